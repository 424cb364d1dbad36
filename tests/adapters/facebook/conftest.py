"""Fixtures of the Facebook adapter tests: one Graph API fake per module (tests/fakes/facebook/), emptied for each
test, and adapters on it (its versioned base URL) over our own httpx client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from adapters.facebook import FacebookAdapter
from tests.adapters.closing import closing
from tests.adapters.facebook.support import USER, MakeAdapter
from tests.fakes.facebook import VERSION_PREFIX
from tests.fakes.running import RunningFake, calm, fake_per_module

_running_facebook = fake_per_module("facebook")


@pytest.fixture
def fake(_running_facebook: RunningFake) -> Iterator[RunningFake]:
    with calm(_running_facebook) as fake:
        yield fake


@pytest.fixture
async def make_adapter(fake: RunningFake) -> AsyncIterator[MakeAdapter]:
    """Adapters on the fake (the user's token and the Page unless given), closed at the end."""
    async with httpx.AsyncClient(timeout=15) as http:

        def build(credentials: dict[str, str] | None = None, **options: Any) -> FacebookAdapter:
            base = fake.url + VERSION_PREFIX
            return FacebookAdapter.build(base_url=base, credentials=credentials or USER, http=http, **options)

        async with closing(build) as make:
            yield make
