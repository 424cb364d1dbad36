"""The OAuth peer is strict: plain httpx over 127.0.0.1 against it, no Octopost code.

Each test drives /authorize like a browser (no redirects followed, the Location read) and /token like a client.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from tests.peers.oauth_server import OAuthPeer, running_oauth_peer

# The oauth_peer fixture (registering it twice, here and in tests/conftest.py, is harmless).
pytest_plugins = ["tests.peers.oauth_fixtures"]

CALLBACK = "http://127.0.0.1:9/oauth/callback"
SCOPE = "tweet.read tweet.write users.read offline.access"


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize_url(peer: OAuthPeer, challenge: str, **overrides: str | None) -> str:
    params: dict[str, str | None] = {
        "response_type": "code",
        "client_id": peer.client_id,
        "redirect_uri": CALLBACK,
        "scope": SCOPE,
        "state": secrets.token_urlsafe(16),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **overrides,
    }
    return f"{peer.authorize_url}?{urlencode({k: v for k, v in params.items() if v is not None})}"


def authorize(peer: OAuthPeer) -> tuple[str, str]:
    """An approved authorization: (code, verifier)."""
    verifier, challenge = pkce_pair()
    return peer.visit_authorize(authorize_url(peer, challenge))["code"], verifier


def exchange(peer: OAuthPeer, code: str, verifier: str | None, **overrides: Any) -> httpx.Response:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "code_verifier": verifier}
    form.update(overrides.pop("form", {}))
    auth = overrides.pop("auth", peer.client_auth)
    data = {k: v for k, v in form.items() if v is not None}
    return httpx.post(peer.token_url, data=data, auth=auth, timeout=10)


def refresh(peer: OAuthPeer, refresh_token: str, auth: Any = None) -> httpx.Response:
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    return httpx.post(peer.token_url, data=form, auth=auth or peer.client_auth, timeout=10)


def tokens(peer: OAuthPeer) -> dict[str, Any]:
    """A fresh, successful code exchange's token answer."""
    code, verifier = authorize(peer)
    response = exchange(peer, code, verifier)
    assert response.status_code == 200, response.text
    return dict(response.json())


def assert_oauth_error(response: httpx.Response, status: int, error: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = dict(response.json())
    assert body["error"] == error
    assert body["error_description"]
    return body


def jwt_claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def test_code_with_pkce_is_exchanged_for_bearer_tokens(oauth_peer: OAuthPeer) -> None:
    before = oauth_peer.state()
    verifier, challenge = pkce_pair()
    url = authorize_url(oauth_peer, challenge, state="csrf-123")
    callback = oauth_peer.visit_authorize(url)
    assert callback["redirect_to"] == CALLBACK
    assert callback["state"] == "csrf-123"
    assert "error" not in callback

    response = exchange(oauth_peer, callback["code"], verifier)

    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    answer = response.json()
    assert set(answer) == {"token_type", "access_token", "refresh_token", "expires_in", "scope"}
    assert answer["token_type"] == "bearer"
    assert answer["expires_in"] == 7200
    assert answer["scope"] == SCOPE
    claims = jwt_claims(answer["access_token"])
    assert claims["exp"] - claims["iat"] == 7200
    assert claims["scope"] == SCOPE
    after = oauth_peer.state()
    assert after["grants"]["authorization_code"] == before["grants"].get("authorization_code", 0) + 1
    assert after["live_refresh_tokens"] == before["live_refresh_tokens"] + 1


def test_every_grant_gets_distinct_tokens(oauth_peer: OAuthPeer) -> None:
    answers = [tokens(oauth_peer) for _ in range(3)]
    assert len({a["access_token"] for a in answers}) == 3
    assert len({a["refresh_token"] for a in answers}) == 3


def test_a_wrong_code_verifier_is_invalid_grant_and_spends_the_code(oauth_peer: OAuthPeer) -> None:
    code, verifier = authorize(oauth_peer)
    other_verifier, _ = pkce_pair()
    assert_oauth_error(exchange(oauth_peer, code, other_verifier), 400, "invalid_grant")
    assert_oauth_error(exchange(oauth_peer, code, verifier), 400, "invalid_grant")


def test_a_missing_code_verifier_is_invalid_grant(oauth_peer: OAuthPeer) -> None:
    code, _ = authorize(oauth_peer)
    assert_oauth_error(exchange(oauth_peer, code, None), 400, "invalid_grant")


def test_a_code_works_once(oauth_peer: OAuthPeer) -> None:
    code, verifier = authorize(oauth_peer)
    assert exchange(oauth_peer, code, verifier).status_code == 200
    body = assert_oauth_error(exchange(oauth_peer, code, verifier), 400, "invalid_grant")
    assert "already used" in body["error_description"]


def test_a_code_is_bound_to_its_redirect_uri(oauth_peer: OAuthPeer) -> None:
    code, verifier = authorize(oauth_peer)
    other = exchange(oauth_peer, code, verifier, form={"redirect_uri": "http://127.0.0.1:9/elsewhere"})
    assert_oauth_error(other, 400, "invalid_grant")


def test_a_wrong_client_secret_is_invalid_client(oauth_peer: OAuthPeer) -> None:
    code, verifier = authorize(oauth_peer)
    response = exchange(oauth_peer, code, verifier, auth=(oauth_peer.client_id, "not-the-secret"))
    assert_oauth_error(response, 401, "invalid_client")
    assert response.headers["www-authenticate"].startswith("Basic")


def test_a_confidential_client_must_use_basic(oauth_peer: OAuthPeer) -> None:
    code, verifier = authorize(oauth_peer)
    in_body = {"client_id": oauth_peer.client_id, "client_secret": oauth_peer.client_secret}
    assert_oauth_error(exchange(oauth_peer, code, verifier, auth=None, form=in_body), 401, "invalid_client")


def test_refresh_rotates_the_refresh_token(oauth_peer: OAuthPeer) -> None:
    first = tokens(oauth_peer)
    response = refresh(oauth_peer, first["refresh_token"])
    assert response.status_code == 200, response.text
    second = response.json()
    assert second["token_type"] == "bearer"
    assert second["scope"] == SCOPE
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]

    old = assert_oauth_error(refresh(oauth_peer, first["refresh_token"]), 400, "invalid_grant")
    assert old["error_description"] == "Value passed for the token was invalid."
    assert refresh(oauth_peer, second["refresh_token"]).status_code == 200


def test_an_unknown_refresh_token_is_invalid_grant(oauth_peer: OAuthPeer) -> None:
    assert_oauth_error(refresh(oauth_peer, "never-issued"), 400, "invalid_grant")


def test_two_concurrent_refreshes_with_one_token_exactly_one_wins(oauth_peer: OAuthPeer) -> None:
    for _ in range(5):
        token = tokens(oauth_peer)["refresh_token"]
        start = threading.Barrier(2)

        def race(token: str = token, start: threading.Barrier = start) -> httpx.Response:
            start.wait(timeout=10)
            return refresh(oauth_peer, token)

        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(lambda _: race(), range(2)))
        assert sorted(a.status_code for a in answers) == [200, 400]
        loser = next(a for a in answers if a.status_code == 400)
        assert_oauth_error(loser, 400, "invalid_grant")
        winner = next(a for a in answers if a.status_code == 200)
        assert refresh(oauth_peer, winner.json()["refresh_token"]).status_code == 200


def test_a_revoked_refresh_token_cannot_refresh(oauth_peer: OAuthPeer) -> None:
    token = tokens(oauth_peer)["refresh_token"]
    denied = httpx.post(oauth_peer.revoke_url, data={"token": token}, auth=(oauth_peer.client_id, "wrong"), timeout=10)
    assert_oauth_error(denied, 401, "invalid_client")

    revoked = httpx.post(oauth_peer.revoke_url, data={"token": token}, auth=oauth_peer.client_auth, timeout=10)
    assert revoked.status_code == 200
    assert revoked.json() == {"revoked": True}
    assert_oauth_error(refresh(oauth_peer, token), 400, "invalid_grant")


def test_a_denied_authorization_redirects_access_denied(oauth_peer: OAuthPeer) -> None:
    _, challenge = pkce_pair()
    oauth_peer.deny_next_authorization()
    denied = oauth_peer.visit_authorize(authorize_url(oauth_peer, challenge, state="s-1"))
    assert denied["error"] == "access_denied"
    assert denied["state"] == "s-1"
    assert "code" not in denied
    assert denied["redirect_to"] == CALLBACK
    # Only the next one: the one after is approved again.
    assert "code" in oauth_peer.visit_authorize(authorize_url(oauth_peer, challenge))


@pytest.mark.parametrize(
    ("override", "description"),
    [
        ({"code_challenge": None}, "code_challenge"),
        ({"code_challenge_method": "plain"}, "S256"),
        ({"state": None}, "state"),
        ({"scope": None}, "scope"),
    ],
)
def test_authorize_without_pkce_state_or_scope_is_invalid_request(
    oauth_peer: OAuthPeer, override: dict[str, str | None], description: str
) -> None:
    _, challenge = pkce_pair()
    callback = oauth_peer.visit_authorize(authorize_url(oauth_peer, challenge, **override))
    assert callback["error"] == "invalid_request"
    assert description in callback["error_description"]
    assert "code" not in callback


def test_an_unknown_client_gets_no_redirect(oauth_peer: OAuthPeer) -> None:
    _, challenge = pkce_pair()
    response = httpx.get(authorize_url(oauth_peer, challenge, client_id="someone-else"), timeout=10)
    assert response.status_code == 400
    assert "location" not in response.headers


def test_other_grant_types_are_unsupported(oauth_peer: OAuthPeer) -> None:
    response = httpx.post(
        oauth_peer.token_url, data={"grant_type": "client_credentials"}, auth=oauth_peer.client_auth, timeout=10
    )
    assert_oauth_error(response, 400, "unsupported_grant_type")


def test_a_public_client_with_offline_scope_and_registered_callback(tmp_path: Any) -> None:
    """The one test with its own server: the options the session's server does not use."""
    with running_oauth_peer(
        client_secret=None, redirect_uris=(CALLBACK,), expires_in=60, refresh_scope="offline.access", work_dir=tmp_path
    ) as peer:
        verifier, challenge = pkce_pair()
        code = peer.visit_authorize(authorize_url(peer, challenge, scope="tweet.read"))["code"]
        answer = exchange(peer, code, verifier, auth=None, form={"client_id": peer.client_id})
        assert answer.status_code == 200, answer.text
        assert answer.json()["expires_in"] == 60
        assert "refresh_token" not in answer.json()  # no offline.access, no refresh token

        code, verifier = authorize(peer)
        with_basic = exchange(peer, code, verifier, auth=(peer.client_id, "x"), form={"client_id": peer.client_id})
        assert_oauth_error(with_basic, 401, "invalid_client")

        unregistered = httpx.get(authorize_url(peer, challenge, redirect_uri="http://127.0.0.1:9/other"), timeout=10)
        assert unregistered.status_code == 400
        assert "location" not in unregistered.headers


def test_an_expired_code_is_invalid_grant(tmp_path: Any) -> None:
    with running_oauth_peer(code_ttl=0, work_dir=tmp_path) as peer:
        code, verifier = authorize(peer)
        body = assert_oauth_error(exchange(peer, code, verifier), 400, "invalid_grant")
        assert "expired" in body["error_description"]
