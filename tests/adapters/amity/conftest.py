"""Fixtures of the Amity adapter tests: one Amity fake (tests/fakes/amity/) for the module, its record emptied and
its conditions calm for each test, our own httpx client recording what it sent, and adapters on the fake."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from adapters.amity import AmityAdapter
from tests.adapters.amity.support import CREDENTIALS, MakeAdapter, Sent
from tests.adapters.closing import closing
from tests.fakes.running import RunningFake, calm, fake_per_module

amity_fake = fake_per_module("amity")


@pytest.fixture
def fake(amity_fake: RunningFake) -> Iterator[RunningFake]:
    with calm(amity_fake) as fake:
        yield fake


@pytest.fixture
def sent() -> Sent:
    return Sent()


@pytest.fixture
async def http(sent: Sent) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=15, event_hooks={"request": [sent]}) as client:
        yield client


@pytest.fixture
async def make_adapter(fake: RunningFake, http: httpx.AsyncClient) -> AsyncIterator[MakeAdapter]:
    """Adapters on the fake (``CREDENTIALS`` unless given), closed at the end."""

    def build(credentials: dict[str, str] | None = None) -> AmityAdapter:
        return AmityAdapter.build(base_url=fake.url, credentials=credentials or CREDENTIALS, http=http)

    async with closing(build) as make:
        yield make
