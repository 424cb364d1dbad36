"""Connecting X through its OAuth 2.0 screen, end to end: `octopost serve` with the OAuth peer as X's authorization
server (code + PKCE S256 + state, a confidential client by HTTP Basic) and Prism serving X's spec for the profile
call and the publish. The test plays the user's browser: it opens the authorize URL, follows the redirect to the
callback, and ends with an active account that publishes. Then everything that must connect nothing: a replayed
state, an expired one, access denied, a code the platform refuses, a platform without app settings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlmodel import col, update

from octopost.db import Database, utcnow
from octopost.oauth.states import state_id
from octopost.oauth.tables import OAuthState
from tests.api.oauth_support import authorize, follow, octopost_for, start_connect
from tests.peers.app import OctopostProcess
from tests.peers.oauth_server import OAuthPeer
from tests.peers.prism import PrismPeer
from tests.scheduler.flows import publish, run_async, wait_for_status


@pytest.fixture(scope="module")
def service(oauth_peer: OAuthPeer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OctopostProcess]:
    running = octopost_for(oauth_peer, tmp_path_factory.mktemp("octopost-oauth")).start()
    yield running
    running.stop()


@pytest.fixture
def api(service: OctopostProcess, request: pytest.FixtureRequest) -> httpx.Client:
    return service.client(workspace=f"ws-{request.node.name}"[:180])


def expire_state(database_url: str, state: str) -> None:
    """Ten minutes pass for this state: the one write behind the API's back (waiting is not a test)."""

    async def run() -> None:
        db = Database(database_url)
        try:
            async with db.transaction() as session:
                past = utcnow() - timedelta(seconds=1)
                changed = await session.exec(
                    update(OAuthState).where(col(OAuthState.id) == state_id(state)).values(expires_at=past)
                )
                assert changed.rowcount == 1
        finally:
            await db.dispose()

    run_async(run())


def accounts(api: httpx.Client) -> list[dict]:
    return list(api.get("/v1/accounts").json()["accounts"])


def test_connect_through_the_oauth_screen_then_publish(
    api: httpx.Client, service: OctopostProcess, oauth_peer: OAuthPeer, prism_x: PrismPeer
) -> None:
    codes_before = oauth_peer.grant_count("authorization_code")
    started = start_connect(api, prism_x.url)
    query = parse_qs(urlsplit(started["authorize_url"]).query)
    assert query["redirect_uri"] == [f"{service.url}/v1/oauth/callback"]
    assert query["scope"] == ["tweet.read tweet.write users.read media.write offline.access"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["state"] == [started["state"]]
    assert "code_verifier" not in started["authorize_url"]  # the verifier never leaves the server
    expires_in = datetime.fromisoformat(started["expires_at"]) - datetime.now(UTC)
    assert timedelta(minutes=9) < expires_in <= timedelta(minutes=10)

    callback = authorize(oauth_peer, started)
    assert callback.startswith(f"{service.url}/v1/oauth/callback?")
    page = follow(callback)
    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["cache-control"] == "no-store"
    assert oauth_peer.grant_count("authorization_code") == codes_before + 1

    [account] = accounts(api)
    assert (account["platform"], account["is_active"], account["base_url"]) == ("twitter", True, prism_x.url)
    assert account["id"] in page.text
    assert "access_token" not in str(account)
    assert "refresh_token" not in str(account)

    since = prism_x.log_offset()
    post_id = publish(api, "twitter", "Connected through OAuth")
    done = wait_for_status(api, post_id, "published", "failed", timeout=60)
    assert done["status"] == "published", done["platform_results"]
    assert prism_x.request_violations(since) == []


def test_a_callback_redirects_back_to_return_to_with_the_account(
    api: httpx.Client, oauth_peer: OAuthPeer, prism_x: PrismPeer
) -> None:
    started = start_connect(api, prism_x.url, return_to="https://app.example/connected?team=7")
    answer = follow(authorize(oauth_peer, started))
    assert answer.status_code == 303, answer.text
    location = urlsplit(answer.headers["location"])
    assert (location.scheme, location.netloc, location.path) == ("https", "app.example", "/connected")
    [account] = accounts(api)
    assert parse_qs(location.query) == {"team": ["7"], "account_id": [account["id"]]}


def test_a_replayed_callback_connects_nothing_more(
    api: httpx.Client, oauth_peer: OAuthPeer, prism_x: PrismPeer
) -> None:
    callback = authorize(oauth_peer, start_connect(api, prism_x.url))
    assert follow(callback).status_code == 200
    replayed = follow(callback)
    assert replayed.status_code == 400
    assert "already used" in replayed.text
    assert len(accounts(api)) == 1


def test_an_expired_state_connects_nothing(
    api: httpx.Client, service: OctopostProcess, oauth_peer: OAuthPeer, prism_x: PrismPeer
) -> None:
    started = start_connect(api, prism_x.url)
    callback = authorize(oauth_peer, started)
    expire_state(service.database_url, started["state"])
    answer = follow(callback)
    assert answer.status_code == 400
    assert "expired" in answer.text
    assert accounts(api) == []


def test_access_denied_connects_nothing_and_spends_the_state(
    api: httpx.Client, oauth_peer: OAuthPeer, prism_x: PrismPeer
) -> None:
    oauth_peer.deny_next_authorization()
    started = start_connect(api, prism_x.url)
    callback = authorize(oauth_peer, started)
    assert "error=access_denied" in callback
    answer = follow(callback)
    assert answer.status_code == 400
    assert "X did not authorize Octopost (access was denied)" in answer.text
    # The denied state cannot be turned into a connect afterwards, even with a code.
    forged = follow(callback.replace("error=access_denied", "code=anything"))
    assert forged.status_code == 400
    assert "already used" in forged.text
    assert accounts(api) == []


def test_a_code_the_platform_refuses_connects_nothing(
    api: httpx.Client, service: OctopostProcess, oauth_peer: OAuthPeer, prism_x: PrismPeer
) -> None:
    refused_before = oauth_peer.refusal_count("invalid_grant")
    started = start_connect(api, prism_x.url)
    answer = follow(f"{service.url}/v1/oauth/callback?code=not-a-code-it-issued&state={started['state']}")
    assert answer.status_code == 400
    assert "X: the code exchange was refused (invalid_grant" in answer.text
    assert oauth_peer.refusal_count("invalid_grant") == refused_before + 1
    assert accounts(api) == []


def test_a_callback_without_a_known_state_connects_nothing(service: OctopostProcess) -> None:
    for query in ("code=abc", "code=abc&state=never-issued"):
        answer = follow(f"{service.url}/v1/oauth/callback?{query}")
        assert answer.status_code == 400, query
        assert "Nothing was connected" in answer.text


def test_connect_refuses_what_it_cannot_start(api: httpx.Client, prism_x: PrismPeer) -> None:
    cases = {
        "mastodon": ({"platform": "mastodon"}, "Mastodon does not connect through OAuth"),
        "return_to": ({"platform": "twitter", "return_to": "javascript:alert(1)"}, "return_to must be"),
        "unknown": ({"platform": "myspace"}, "myspace"),
    }
    for name, (body, message) in cases.items():
        response = api.post("/v1/accounts/connect", json=body)
        assert response.status_code == 422, name
        assert response.json()["code"] == "validation_error"
        assert message in response.json()["error"], name


def test_a_platform_without_app_settings_names_the_settings_to_set(octopost: OctopostProcess) -> None:
    api = octopost.client(workspace="ws-no-oauth-app")
    response = api.post("/v1/accounts/connect", json={"platform": "twitter"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert "OCTOPOST_TWITTER_CLIENT_ID" in error
    assert "OCTOPOST_TWITTER_CLIENT_SECRET" in error


def test_connect_needs_an_api_key_with_accounts_write(service: OctopostProcess) -> None:
    assert httpx.post(f"{service.url}/v1/accounts/connect", json={"platform": "twitter"}).status_code == 401
    reader = service.client(service.new_key("ws-reader", scopes=["accounts:read"]))
    assert reader.post("/v1/accounts/connect", json={"platform": "twitter"}).status_code == 403
