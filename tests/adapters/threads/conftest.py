"""Fixtures of the Threads adapter tests: the Threads fake (tests/fakes/threads/), one per module, calm and empty
for each test, and adapters on it through our own httpx client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from adapters.threads import ThreadsAdapter
from tests.adapters.closing import closing
from tests.adapters.threads.support import CREDENTIALS, MakeAdapter
from tests.fakes.running import RunningFake, calm, fake_per_module

_running_threads = fake_per_module("threads")


@pytest.fixture
def fake(_running_threads: RunningFake) -> Iterator[RunningFake]:
    with calm(_running_threads) as fake:
        yield fake


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=15) as client:
        yield client


@pytest.fixture
async def make_adapter(fake: RunningFake, http: httpx.AsyncClient) -> AsyncIterator[MakeAdapter]:
    def build(credentials: dict[str, str] | None = None) -> ThreadsAdapter:
        return ThreadsAdapter.build(base_url=fake.url, credentials=credentials or CREDENTIALS, http=http)

    async with closing(build) as make:
        yield make
