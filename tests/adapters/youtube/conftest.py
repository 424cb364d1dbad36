"""Fixtures of the YouTube adapter tests: the YouTube fake (tests/fakes/youtube/, strict to Google's discovery
document) and adapters on it with a small chunk size, so a test video goes in several chunks."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from adapters.youtube import YouTubeAdapter
from tests.adapters.closing import closing
from tests.adapters.youtube.support import CREDENTIALS, TEST_CHUNK, MakeAdapter
from tests.fakes.running import RunningFake, calm, fake_per_module
from tests.fakes.youtube import discovery_present

_running_youtube = fake_per_module("youtube")


@pytest.fixture(scope="module")
def youtube_fake(request: pytest.FixtureRequest) -> RunningFake:
    if not discovery_present():
        pytest.skip("~/.cache/octopost/youtube.v3.json is absent: run python -m tests.fakes.youtube.discovery")
    return request.getfixturevalue("_running_youtube")


@pytest.fixture
def fake(youtube_fake: RunningFake) -> Iterator[RunningFake]:
    with calm(youtube_fake) as fake:
        yield fake


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=15) as client:
        yield client


@pytest.fixture
async def make_adapter(fake: RunningFake, http: httpx.AsyncClient) -> AsyncIterator[MakeAdapter]:
    def build(credentials: dict[str, str] | None = None, **options: Any) -> YouTubeAdapter:
        adapter = YouTubeAdapter.build(base_url=fake.url, credentials=credentials or CREDENTIALS, http=http, **options)
        adapter.uploads.chunk_bytes = TEST_CHUNK
        return adapter

    async with closing(build) as make:
        yield make
