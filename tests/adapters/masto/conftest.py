"""Fixtures of the Mastodon adapter tests: our own httpx client and adapters on mastodon_mock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from adapters.mastodon import MastodonAdapter
from tests.adapters.closing import closing
from tests.adapters.masto.support import MakeAdapter
from tests.peers.mastodon import MastodonAccount, MastodonPeer


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
async def make_adapter(
    mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount, http: httpx.AsyncClient
) -> AsyncIterator[MakeAdapter]:
    """Adapters for the test's fresh account (or another token), closed at the end."""

    def build(token: str | None = None, **options: Any) -> MastodonAdapter:
        return MastodonAdapter.build(
            base_url=mastodon_peer.url,
            credentials={"access_token": token or mastodon_account.token},
            http=http,
            **options,
        )

    async with closing(build) as make:
        yield make
