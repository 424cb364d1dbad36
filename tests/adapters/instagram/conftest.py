"""Fixtures of the Instagram adapter tests: the Instagram fake (tests/fakes/instagram/), one per module, calm and
empty for each test, and adapters on it through our own httpx client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from adapters.instagram import InstagramAdapter
from tests.adapters.closing import closing
from tests.adapters.instagram.support import CREDENTIALS, MakeAdapter
from tests.fakes.running import RunningFake, calm, fake_per_module

_running_instagram = fake_per_module("instagram")


@pytest.fixture
def fake(_running_instagram: RunningFake) -> Iterator[RunningFake]:
    with calm(_running_instagram) as fake:
        yield fake


@pytest.fixture
async def make_adapter(fake: RunningFake) -> AsyncIterator[MakeAdapter]:
    async with httpx.AsyncClient(timeout=15) as http:

        def build(credentials: dict[str, str] | None = None) -> InstagramAdapter:
            return InstagramAdapter.build(base_url=fake.url, credentials=credentials or CREDENTIALS, http=http)

        async with closing(build) as make:
            yield make
