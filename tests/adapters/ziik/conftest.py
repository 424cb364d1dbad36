"""Fixtures of the Ziik adapter tests: one Ziik fake (tests/fakes/ziik.py) per module, emptied for each test, and
adapters on it built with our own httpx client (which records what it sent)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from adapters.ziik import ZiikAdapter
from tests.adapters.closing import closing
from tests.adapters.ziik.support import LOGIN, MakeAdapter, Sent, api_url
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake, running_fake


@pytest.fixture(scope="module")
def ziik_fake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningFake]:
    with running_fake("ziik", tmp_path_factory.mktemp("fake-ziik")) as fake:
        yield fake


@pytest.fixture
def fake(ziik_fake: RunningFake) -> Iterator[RunningFake]:
    """The module's fake with its items, tokens and record emptied and its conditions calm, for each test."""
    ziik_fake.set_conditions(Conditions())
    ziik_fake.reset()
    yield ziik_fake
    ziik_fake.set_conditions(Conditions())


@pytest.fixture
def sent() -> Sent:
    return Sent()


@pytest.fixture
async def http(sent: Sent) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10, event_hooks={"request": [sent]}) as client:
        yield client


@pytest.fixture
async def make_adapter(fake: RunningFake, http: httpx.AsyncClient) -> AsyncIterator[MakeAdapter]:
    """Adapters on the fake (logging in with the fake's user unless other credentials are given), closed at the
    end."""

    def build(credentials: dict[str, str] | None = None, **options: Any) -> ZiikAdapter:
        return ZiikAdapter.build(base_url=api_url(fake), credentials=credentials or LOGIN, http=http, **options)

    async with closing(build) as make:
        yield make
