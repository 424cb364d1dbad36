"""Octopost connected to the OAuth peer as a platform's authorization server (X's by default): the app settings
in the environment (the way an operator sets them), the callback on the process's own URL, and a browser's walk
through the flow."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from octopost.crypto import CredentialCipher
from tests.peers.app import OctopostProcess, make_octopost
from tests.peers.oauth_server import OAuthPeer

SECRET_KEY = "test-secret-key-not-for-production"  # tests/peers/app.py's: to read a stored token back


def octopost_for(peer: OAuthPeer, tmp: Path, platform: str = "twitter", **env: str) -> OctopostProcess:
    """A configured (not started) service whose ``platform`` app is the peer's client."""
    service = make_octopost(tmp)
    service.env.update({"OCTOPOST_PUBLIC_URL": service.url, **app_env(peer, platform), **env})
    return service


def app_env(peer: OAuthPeer, platform: str) -> dict[str, str]:
    """The operator's settings of ``platform``'s OAuth app, pointing at the peer."""
    prefix = f"OCTOPOST_{platform.upper()}_"
    return {
        f"{prefix}CLIENT_ID": peer.client_id,
        f"{prefix}AUTHORIZE_URL": peer.authorize_url,
        f"{prefix}TOKEN_URL": peer.token_url,
        f"{prefix}REVOKE_URL": peer.revoke_url,
        **({f"{prefix}CLIENT_SECRET": peer.client_secret} if peer.client_secret else {}),
    }


def peer_like(platform: str) -> dict[str, Any]:
    """``running_oauth_peer`` settings that make the peer authenticate clients, name scopes and hand out refresh
    tokens as ``platform``'s authorization server does (its OAuthSpec says how)."""
    from adapters.registry import platform_info

    spec = platform_info(platform).oauth
    assert spec is not None, f"{platform} has no OAuth flow"
    return {
        "client_id_param": spec.client_id_param,
        "client_auth": spec.client_auth.value,
        "scopes": spec.scopes,
        "scope_separator": spec.scope_separator,
    }


def start_connect(api: httpx.Client, base_url: str, platform: str = "twitter", **fields: Any) -> dict[str, Any]:
    response = api.post("/v1/accounts/connect", json={"platform": platform, "base_url": base_url, **fields})
    assert response.status_code == 201, response.text
    return dict(response.json())


def authorize(peer: OAuthPeer, started: dict[str, Any]) -> str:
    """The user approves (or denies) on the platform's screen: the callback URL the browser is sent to."""
    params = peer.visit_authorize(started["authorize_url"])
    callback = params.pop("redirect_to")
    return f"{callback}?{urlencode(params)}"


def follow(callback_url: str) -> httpx.Response:
    """The browser arriving at the callback: no API key, no redirects followed."""
    return httpx.get(callback_url, follow_redirects=False, timeout=30)


def connect_through_oauth(
    api: httpx.Client, peer: OAuthPeer, base_url: str, platform: str = "twitter", **fields: Any
) -> dict[str, Any]:
    """The whole flow; the connected account as the API lists it (``fields``: the connect's body fields beyond
    platform and base_url, e.g. ``fields={"page_id": ...}``)."""
    page = follow(authorize(peer, start_connect(api, base_url, platform, **fields)))
    assert page.status_code == 200, page.text
    account_id = page.text.split("as account ")[1].split(".")[0]
    return next(a for a in api.get("/v1/accounts").json()["accounts"] if a["id"] == account_id)


def stored_credentials(service: OctopostProcess, account_id: str) -> dict[str, str]:
    """The account's credentials as stored (decrypted with the test key): the one read behind the API's back, to
    revoke the very refresh token the service holds."""
    import sqlite3

    path = service.database_url.removeprefix("sqlite+aiosqlite:///")
    with sqlite3.connect(path, timeout=30) as conn:
        (encrypted,) = conn.execute("SELECT credentials_encrypted FROM account WHERE id = ?", (account_id,)).fetchone()
    return CredentialCipher(SECRET_KEY).decrypt(encrypted)
