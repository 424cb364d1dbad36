"""Fixtures of the LinkedIn adapter tests: one LinkedIn fake per module (tests/fakes/linkedin/), emptied for each
test, and adapters on it over our own recording httpx client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from adapters.linkedin import LinkedInAdapter
from tests.adapters.closing import closing
from tests.adapters.linkedin.support import MEMBER, MakeAdapter, Sent
from tests.fakes.running import RunningFake, calm, fake_per_module

_running_linkedin = fake_per_module("linkedin")


@pytest.fixture
def fake(_running_linkedin: RunningFake) -> Iterator[RunningFake]:
    with calm(_running_linkedin) as fake:
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
    """Adapters on the fake (a member's credentials unless given), closed at the end."""

    def build(credentials: dict[str, str] | None = None, **options: Any) -> LinkedInAdapter:
        return LinkedInAdapter.build(base_url=fake.url, credentials=credentials or MEMBER, http=http, **options)

    async with closing(build) as make:
        yield make
