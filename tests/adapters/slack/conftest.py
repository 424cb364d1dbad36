"""Fixtures of the Slack adapter tests: our own httpx client (recording what it sent), adapters on Prism serving
Slack's Web API spec, and the Slack fake (tests/fakes/slack/, strict to ../shared's method descriptions)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from adapters.slack import SlackAdapter
from tests.adapters.closing import closing
from tests.adapters.slack.support import FAKE_CREDENTIALS, PRISM_CREDENTIALS, MakeAdapter, Sent
from tests.fakes.running import RunningFake, calm, fake_per_module
from tests.fakes.slack import methods_present
from tests.peers.prism import PrismPeer


@pytest.fixture
def sent() -> Sent:
    return Sent()


@pytest.fixture
async def http(sent: Sent) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=15, event_hooks={"request": [sent]}) as client:
        yield client


def _builder(base_url: str, defaults: dict[str, str], http: httpx.AsyncClient) -> MakeAdapter:
    def build(credentials: dict[str, str] | None = None, **options: Any) -> SlackAdapter:
        return SlackAdapter.build(base_url=base_url, credentials=credentials or defaults, http=http, **options)

    return build


@pytest.fixture
async def make_adapter(prism_slack: PrismPeer, http: httpx.AsyncClient) -> AsyncIterator[MakeAdapter]:
    """Adapters on Prism (``PRISM_CREDENTIALS`` unless given), closed at the end."""
    async with closing(_builder(prism_slack.url, PRISM_CREDENTIALS, http)) as make:
        yield make


@pytest.fixture
async def make_static_adapter(prism_slack: PrismPeer, sent: Sent) -> AsyncIterator[MakeAdapter]:
    """Adapters on Prism answering with the spec's own examples (``Prefer: dynamic=false``): conversations.info's
    schema cannot be generated (see the prism_slack fixture)."""
    headers = {"Prefer": "dynamic=false"}
    client = httpx.AsyncClient(timeout=15, headers=headers, event_hooks={"request": [sent]})
    async with client, closing(_builder(prism_slack.url, PRISM_CREDENTIALS, client)) as make:
        yield make


_running_slack = fake_per_module("slack")


@pytest.fixture(scope="module")
def slack_fake(request: pytest.FixtureRequest) -> RunningFake:
    if not methods_present():
        pytest.skip("../shared/specs/slack-methods is absent: the Slack fake checks calls against those descriptions")
    return request.getfixturevalue("_running_slack")  # type: ignore[no-any-return]


@pytest.fixture
def fake(slack_fake: RunningFake) -> Iterator[RunningFake]:
    """The module's fake, its record and workspace emptied and its conditions calm for each test."""
    with calm(slack_fake) as fake:
        yield fake


@pytest.fixture
async def make_fake_adapter(fake: RunningFake, http: httpx.AsyncClient) -> AsyncIterator[MakeAdapter]:
    """Adapters on the fake (``FAKE_CREDENTIALS`` unless given), closed at the end."""
    async with closing(_builder(fake.url, FAKE_CREDENTIALS, http)) as make:
        yield make
