"""Fixtures of the Telegram adapter tests: our own httpx client (recording what it sent), and the Telegram fake
(tests/fakes/telegram/, checking every call against ../shared/specs: skipped without it) with adapters on it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from adapters.telegram import TelegramAdapter
from tests.adapters.closing import closing
from tests.adapters.discord.support import Sent
from tests.adapters.telegram.support import CREDENTIALS, MakeAdapter
from tests.fakes.running import RunningFake, calm, running_fake
from tests.fakes.telegram import SPEC_NAME
from tests.peers.prism import shared_spec


@pytest.fixture
def sent() -> Sent:
    return Sent()


@pytest.fixture
async def http(sent: Sent) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=15, event_hooks={"request": [sent]}) as client:
        yield client


@pytest.fixture(scope="module")
def telegram_fake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningFake]:
    shared_spec(SPEC_NAME)  # the fake checks every call against it: skip, saying so, where it is absent
    with running_fake("telegram", tmp_path_factory.mktemp("fake-telegram")) as fake:
        yield fake


@pytest.fixture
def fake(telegram_fake: RunningFake) -> Iterator[RunningFake]:
    """The module's fake, its record emptied and its conditions calm for each test."""
    with calm(telegram_fake) as fake:
        yield fake


@pytest.fixture
async def make_adapter(fake: RunningFake, http: httpx.AsyncClient) -> AsyncIterator[MakeAdapter]:
    """Adapters on the fake (``CREDENTIALS`` unless given), closed at the end."""

    def build(credentials: dict[str, str] | None = None, **options: Any) -> TelegramAdapter:
        return TelegramAdapter.build(base_url=fake.url, credentials=credentials or CREDENTIALS, http=http, **options)

    async with closing(build) as make:
        yield make
