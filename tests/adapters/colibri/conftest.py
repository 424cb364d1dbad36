"""Fixtures of the ColibriSM adapter tests: one fake site for the package (its record, quirks and sessions reset for
each test), our own httpx client, and adapters on the fake (logged in with ALICE's password unless told)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from adapters.colibri import ColibriAdapter, ColibriMessagesAdapter
from tests.adapters.closing import closing
from tests.adapters.colibri.support import PASSWORD, MakeMessages, MakePosts
from tests.fakes.running import RunningFake, calm, running_fake


@pytest.fixture(scope="package")
def colibri_fake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningFake]:
    with running_fake("colibri", tmp_path_factory.mktemp("fake-colibri")) as fake:
        yield fake


@pytest.fixture
def fake(colibri_fake: RunningFake) -> Iterator[RunningFake]:
    """The module's fake site, as new for each test: no posts, no quirks, only the seeded sessions."""
    with calm(colibri_fake) as fake:
        yield fake


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


@pytest.fixture
async def make_posts(fake: RunningFake, http: httpx.AsyncClient) -> AsyncIterator[MakePosts]:
    def build(credentials: dict[str, str] | None = None, **more: Any) -> ColibriAdapter:
        return ColibriAdapter.build(base_url=fake.url, credentials=credentials or PASSWORD, http=http, **more)

    async with closing(build) as make:
        yield make


@pytest.fixture
async def make_messages(fake: RunningFake, http: httpx.AsyncClient) -> AsyncIterator[MakeMessages]:
    def build(credentials: dict[str, str] | None = None, **more: Any) -> ColibriMessagesAdapter:
        return ColibriMessagesAdapter.build(base_url=fake.url, credentials=credentials or PASSWORD, http=http, **more)

    async with closing(build) as make:
        yield make
