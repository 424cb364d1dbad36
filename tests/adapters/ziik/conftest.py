"""Fixtures of the Ziik adapter tests: one Ziik fake (tests/fakes/ziik/) per module, emptied for each test, and
adapters on it built with our own httpx client (which records what it sent)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from adapters.ziik import ZiikAdapter
from tests.adapters.closing import closing
from tests.adapters.ziik.support import LOGIN, MakeAdapter, Sent, api_url
from tests.fakes.running import RunningFake, calm, fake_per_module

ziik_fake = fake_per_module("ziik")


@pytest.fixture
def fake(ziik_fake: RunningFake) -> Iterator[RunningFake]:
    """The module's fake with its items, tokens and record emptied and its conditions calm, for each test."""
    with calm(ziik_fake) as fake:
        yield fake


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
