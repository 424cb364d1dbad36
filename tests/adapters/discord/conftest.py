"""Fixtures of the Discord adapter tests: our own httpx client (recording what it sent), adapters on Prism serving
Discord's spec, and the Discord fake (tests/fakes/discord/) with adapters on it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from adapters.discord import DiscordAdapter
from tests.adapters.closing import closing
from tests.adapters.discord.support import FAKE_CREDENTIALS, PRISM_CREDENTIALS, MakeAdapter, Sent
from tests.fakes.running import RunningFake, calm, fake_per_module
from tests.peers.prism import PrismPeer


@pytest.fixture
def sent() -> Sent:
    return Sent()


@pytest.fixture
async def http(sent: Sent) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=15, event_hooks={"request": [sent]}) as client:
        yield client


def _builder(base_url: str, defaults: dict[str, str], http: httpx.AsyncClient) -> MakeAdapter:
    def build(credentials: dict[str, str] | None = None, **options: Any) -> DiscordAdapter:
        return DiscordAdapter.build(base_url=base_url, credentials=credentials or defaults, http=http, **options)

    return build


@pytest.fixture
async def make_adapter(prism_discord: PrismPeer, http: httpx.AsyncClient) -> AsyncIterator[MakeAdapter]:
    """Adapters on Prism (``PRISM_CREDENTIALS`` unless given), closed at the end."""
    async with closing(_builder(prism_discord.url, PRISM_CREDENTIALS, http)) as make:
        yield make


discord_fake = fake_per_module("discord")


@pytest.fixture
def fake(discord_fake: RunningFake) -> Iterator[RunningFake]:
    """The module's fake, its record emptied and its conditions calm for each test."""
    with calm(discord_fake) as fake:
        yield fake


@pytest.fixture
async def make_fake_adapter(fake: RunningFake, http: httpx.AsyncClient) -> AsyncIterator[MakeAdapter]:
    """Adapters on the fake (``FAKE_CREDENTIALS`` unless given), closed at the end."""
    async with closing(_builder(fake.url, FAKE_CREDENTIALS, http)) as make:
        yield make
