"""Refreshing an OAuth account's tokens when several workers may do it at once, against the OAuth peer (a strict
rotating server: of two refreshes with one refresh token exactly one wins) on both dialects: the saved refresh
token is always the newest live one, the loser uses the winner's tokens, and only a refusal that no one else
explains (the user revoked the app) asks for a reconnect."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from adapters.base import ReauthRequired
from octopost.db import utcnow
from octopost.oauth.apps import OAuthApp
from octopost.oauth.client import TokenClient, new_verifier
from octopost.oauth.refresh import refreshed
from octopost.runtime import Runtime
from scheduler.outcome import save_credentials
from tests.peers.oauth_server import OAuthPeer
from tests.scheduler.in_process import Stage, stage

REDIRECT = "http://127.0.0.1:9/v1/oauth/callback"  # never visited: the peer redirects, the test reads the code


def app_settings(peer: OAuthPeer) -> dict[str, dict[str, str]]:
    secret = {"client_secret": peer.client_secret} if peer.client_secret else {}
    return {
        "twitter": {
            "client_id": peer.client_id,
            "authorize_url": peer.authorize_url,
            "token_url": peer.token_url,
            **secret,
        }
    }


async def connected(runtime: Runtime, peer: OAuthPeer, stage_: Stage) -> str:
    """Give the stage's account real tokens through a real authorization: its encrypted credentials."""
    app = runtime.oauth_app("twitter")
    assert app is not None
    client = TokenClient(app, runtime.http)
    verifier = new_verifier()
    url = client.authorize_url(state="race", verifier=verifier, redirect_uri=REDIRECT)
    code = (await asyncio.to_thread(peer.visit_authorize, url))["code"]
    tokens = await client.exchange(code=code, verifier=verifier, redirect_uri=REDIRECT, now=utcnow())
    encrypted = runtime.cipher.encrypt(tokens.credentials())
    await save_credentials(runtime.db, stage_.account_id, encrypted)
    return encrypted


async def stored(stage_: Stage) -> str:
    return (await stage_.account()).credentials_encrypted


@asynccontextmanager
async def connected_stage(
    database_url: str, tmp_path: Path, peer: OAuthPeer
) -> AsyncIterator[tuple[Stage, OAuthApp, str]]:
    """A stage whose account holds tokens from the peer: the stage, the X app, the encrypted credentials."""
    settings = {"network_allowlist": "127.0.0.0/8", "oauth_apps": app_settings(peer)}
    async with stage(database_url, tmp_path, **settings) as s:
        app = s.runtime.oauth_app("twitter")
        assert app is not None
        yield s, app, await connected(s.runtime, peer, s)


async def test_two_workers_refreshing_at_once_keep_the_newest_token(
    migrated_database_url: str, tmp_path: Path, oauth_peer: OAuthPeer
) -> None:
    async with connected_stage(migrated_database_url, tmp_path, oauth_peer) as (s, app, seen):
        runtime = s.runtime
        grants = oauth_peer.grant_count("refresh_token")
        refusals = oauth_peer.refusal_count("invalid_grant")

        # Both read the same credentials and refresh from them: one swap wins, the other keeps what it saved.
        first, second = await asyncio.gather(
            refreshed(runtime, app, s.account_id, seen), refreshed(runtime, app, s.account_id, seen)
        )
        assert first == second == await stored(s)
        assert first != seen
        assert oauth_peer.grant_count("refresh_token") == grants + 1  # the peer let exactly one win
        # The loser either reached the peer with the rotated token (refused: it then took the winner's tokens) or,
        # when its first read came after the winner's save, never called it; which one depends on timing.
        assert oauth_peer.refusal_count("invalid_grant") in (refusals, refusals + 1)

        # What is stored is live: the next refresh from it succeeds (and a stale copy refreshes nothing).
        assert await refreshed(runtime, app, s.account_id, seen) == first
        assert oauth_peer.grant_count("refresh_token") == grants + 1
        third = await refreshed(runtime, app, s.account_id, first)
        assert third != first
        assert oauth_peer.grant_count("refresh_token") == grants + 2


async def test_a_revoked_refresh_token_asks_for_a_reconnect(
    migrated_database_url: str, tmp_path: Path, oauth_peer: OAuthPeer
) -> None:
    async with connected_stage(migrated_database_url, tmp_path, oauth_peer) as (s, app, seen):
        runtime = s.runtime
        refresh_token = runtime.cipher.decrypt(seen)["refresh_token"]
        form = {"token": refresh_token, "token_type_hint": "refresh_token"}
        revoked = await asyncio.to_thread(httpx.post, oauth_peer.revoke_url, data=form, auth=oauth_peer.client_auth)
        assert revoked.status_code == 200

        with pytest.raises(ReauthRequired, match="invalid_grant"):
            await refreshed(runtime, app, s.account_id, seen)
        assert await stored(s) == seen  # nothing half-written
