"""Fixtures of the X adapter tests: our own httpx client (recording what it sent), the OAuth 1.0a gateway in
front of Prism, the X fake (tests/fakes/twitter.py), and adapters made on them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from adapters.twitter import TwitterAdapter
from tests.adapters.closing import closing
from tests.adapters.x.support import OAUTH1, OAUTH2, MakeAdapter, Sent
from tests.fakes.running import RunningFake, fake_per_module
from tests.peers.prism import OAuth1Gateway, PrismPeer


@pytest.fixture
def sent() -> Sent:
    return Sent()


@pytest.fixture
async def http(sent: Sent) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(event_hooks={"request": [sent]}) as client:
        yield client


@pytest.fixture(scope="session")
def oauth1_gateway(prism_x: PrismPeer) -> Iterator[OAuth1Gateway]:
    with OAuth1Gateway(prism_x.url, OAUTH1) as gateway:
        yield gateway


@pytest.fixture
async def make_adapter(
    prism_x: PrismPeer, oauth1_gateway: OAuth1Gateway, http: httpx.AsyncClient
) -> AsyncIterator[MakeAdapter]:
    """Adapters on Prism (OAuth 1.0a ones through the signature-checking gateway), closed at the end."""

    def build(credentials: dict[str, str] = OAUTH2, base_url: str | None = None, **options: Any) -> TwitterAdapter:
        default = oauth1_gateway.url if "consumer_key" in credentials else prism_x.url
        return TwitterAdapter.build(base_url=base_url or default, credentials=credentials, http=http, **options)

    async with closing(build) as make:
        yield make


x_fake = fake_per_module("twitter")


@pytest.fixture
async def make_fake_adapter(x_fake: RunningFake, http: httpx.AsyncClient) -> AsyncIterator[MakeAdapter]:
    """Adapters on the X fake (an OAuth 2.0 token names the account), closed at the end."""

    def build(credentials: dict[str, str] = OAUTH2, **options: Any) -> TwitterAdapter:
        return TwitterAdapter.build(base_url=x_fake.url, credentials=credentials, http=http, **options)

    async with closing(build) as make:
        yield make
