"""Fixtures of the TikTok adapter tests: the TikTok fake (tests/fakes/tiktok/) and adapters on it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from adapters.tiktok import TikTokAdapter
from tests.adapters.closing import closing
from tests.adapters.tiktok.support import CREDENTIALS, MakeAdapter
from tests.fakes.running import RunningFake, calm, fake_per_module

tiktok_fake = fake_per_module("tiktok")


@pytest.fixture
def fake(tiktok_fake: RunningFake) -> Iterator[RunningFake]:
    with calm(tiktok_fake) as fake:
        yield fake


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=15) as client:
        yield client


@pytest.fixture
async def make_adapter(fake: RunningFake, http: httpx.AsyncClient) -> AsyncIterator[MakeAdapter]:
    def build(credentials: dict[str, str] | None = None, **more: Any) -> TikTokAdapter:
        adapter = TikTokAdapter.build(base_url=fake.url, credentials=credentials or CREDENTIALS, http=http, **more)
        adapter.chunk_bytes = 5 * 1024 * 1024  # TikTok's smallest chunk: an 11 MB video goes in two
        return adapter

    async with closing(build) as make:
        yield make
