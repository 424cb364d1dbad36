"""Fixtures of the API tests that publish to two real peers at once."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest

from tests.peers.bluesky import BskyAccount, BskyPds
from tests.peers.mastodon import MastodonAccount, MastodonPeer
from tests.scheduler.flows import connect


@dataclass(frozen=True)
class TwoPeers:
    """The test's workspace with an account on mastodon_mock and one on the Bluesky PDS, and both peers to read."""

    api: httpx.Client
    mastodon: MastodonPeer
    mastodon_account: MastodonAccount
    bluesky: BskyPds
    bluesky_account: BskyAccount

    def toots(self) -> list[dict]:
        return self.mastodon.statuses(self.mastodon_account.token)

    def skeets(self) -> list[dict]:
        return self.bluesky.list_records(self.bluesky_account.did)


@pytest.fixture
def two_peers(
    api: httpx.Client,
    mastodon_peer: MastodonPeer,
    mastodon_account: MastodonAccount,
    bsky_pds: BskyPds,
    bsky_account: BskyAccount,
) -> TwoPeers:
    connect(api, "mastodon", mastodon_peer.url, mastodon_account.credentials)
    connect(api, "bluesky", bsky_pds.url, bsky_account.credentials)
    return TwoPeers(api, mastodon_peer, mastodon_account, bsky_pds, bsky_account)
