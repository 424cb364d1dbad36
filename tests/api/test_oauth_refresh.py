"""Keeping an OAuth account's tokens fresh while it publishes, through `octopost serve` and the OAuth peer:
a token about to expire is refreshed before the publish uses it and the rotated refresh token is the one kept;
X refusing the access token (401) refreshes and retries once, publishing exactly one post; a refresh the platform
refuses (invalid_grant) turns the account inactive and fails the target asking to reconnect the X account."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.api.oauth_support import connect_through_oauth, octopost_for, stored_credentials
from tests.fakes.running import RunningFake, calm, fake_per_module
from tests.peers.app import OctopostProcess
from tests.peers.oauth_server import OAuthPeer, running_oauth_peer
from tests.peers.prism import PrismPeer
from tests.scheduler.flows import publish, wait_for_status
from tests.webhooks.flows import database_bytes

x_fake = fake_per_module("twitter")


@pytest.fixture
def fake(x_fake: RunningFake) -> Iterator[RunningFake]:
    with calm(x_fake) as calmed:
        yield calmed


@pytest.fixture(scope="module")
def short_lived_peer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OAuthPeer]:
    """Access tokens for one minute: inside the five minutes ahead of expiry in which a publish refreshes first."""
    with running_oauth_peer(expires_in=60, work_dir=tmp_path_factory.mktemp("oauth-short")) as peer:
        yield peer


@pytest.fixture(scope="module")
def short_lived_service(
    short_lived_peer: OAuthPeer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[OctopostProcess]:
    # At DEBUG, so the leak check below reads everything the service would ever log.
    running = octopost_for(short_lived_peer, tmp_path_factory.mktemp("octopost-short"), OCTOPOST_LOG_LEVEL="DEBUG")
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def service(oauth_peer: OAuthPeer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OctopostProcess]:
    running = octopost_for(oauth_peer, tmp_path_factory.mktemp("octopost-refresh")).start()
    yield running
    running.stop()


def refresh_with(peer: OAuthPeer, refresh_token: str) -> httpx.Response:
    """What the platform says to a refresh with this token (as a client of its own would ask)."""
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    return httpx.post(peer.token_url, data=form, auth=peer.client_auth, timeout=10)


def published(api: httpx.Client, content: str) -> dict:
    done = wait_for_status(api, publish(api, "twitter", content), "published", "failed", timeout=60)
    assert done["status"] == "published", done["platform_results"]
    return done


def test_a_token_about_to_expire_is_refreshed_before_publishing_and_the_rotated_one_kept(
    short_lived_service: OctopostProcess, short_lived_peer: OAuthPeer, prism_x: PrismPeer
) -> None:
    api = short_lived_service.client(workspace="ws-refresh-ahead")
    account = connect_through_oauth(api, short_lived_peer, prism_x.url)
    first = stored_credentials(short_lived_service, account["id"])
    refreshes = short_lived_peer.grant_count("refresh_token")

    published(api, "Published on a refreshed token")
    assert short_lived_peer.grant_count("refresh_token") == refreshes + 1
    second = stored_credentials(short_lived_service, account["id"])
    assert second["access_token"] != first["access_token"]
    assert second["refresh_token"] != first["refresh_token"]
    assert second["expires_at"] > first["expires_at"]
    # The platform rotated the refresh token: the old one is dead, so only the one we kept can go on.
    assert refresh_with(short_lived_peer, first["refresh_token"]).json()["error"] == "invalid_grant"

    published(api, "And again on the rotated refresh token")
    assert short_lived_peer.grant_count("refresh_token") == refreshes + 2

    # No token and no client secret is ever logged or stored in the clear.
    held = [first["access_token"], first["refresh_token"], second["access_token"], second["refresh_token"]]
    log, database = short_lived_service.log_text(), database_bytes(short_lived_service)
    for secret in [*held, str(short_lived_peer.client_secret)]:
        assert secret not in log
        assert secret.encode() not in database


def test_an_access_token_x_refuses_is_refreshed_and_the_segment_sent_once(
    service: OctopostProcess, oauth_peer: OAuthPeer, fake: RunningFake
) -> None:
    api = service.client(workspace="ws-refresh-on-401")
    account = connect_through_oauth(api, oauth_peer, fake.url)
    refreshes = oauth_peer.grant_count("refresh_token")
    fake.control("POST", "refuse-seen-tokens")  # X expires the access token early: 401 from now on

    done = published(api, "Refreshed after a 401")
    assert oauth_peer.grant_count("refresh_token") == refreshes + 1
    assert [c["text"] for c in fake.created()] == ["Refreshed after a 401"]
    assert done["platform_results"]["twitter"]["success"] is True
    listed = api.get(f"/v1/accounts/{account['id']}").json()
    assert listed["is_active"] is True


def test_a_refused_refresh_turns_the_account_inactive_and_asks_to_reconnect(
    service: OctopostProcess, oauth_peer: OAuthPeer, fake: RunningFake
) -> None:
    api = service.client(workspace="ws-invalid-grant")
    account = connect_through_oauth(api, oauth_peer, fake.url)
    stored = stored_credentials(service, account["id"])
    revoked = httpx.post(
        oauth_peer.revoke_url,
        data={"token": stored["refresh_token"], "token_type_hint": "refresh_token"},
        auth=oauth_peer.client_auth,
        timeout=10,
    )
    assert revoked.status_code == 200  # the user revoked the app on the platform
    fake.control("POST", "refuse-seen-tokens")

    post_id = publish(api, "twitter", "Never published")
    done = wait_for_status(api, post_id, "failed", "published", timeout=60)
    result = done["platform_results"]["twitter"]
    assert result["success"] is False
    assert result["error"].endswith("Reconnect your X account.")
    assert "invalid_grant" in result["error"]
    assert fake.created() == []
    assert api.get(f"/v1/accounts/{account['id']}").json()["is_active"] is False


def test_removing_an_oauth_account_revokes_its_grant_at_the_platform(
    service: OctopostProcess, oauth_peer: OAuthPeer, fake: RunningFake
) -> None:
    api = service.client(workspace="ws-revoke-on-delete")
    account = connect_through_oauth(api, oauth_peer, fake.url)
    stored = stored_credentials(service, account["id"])
    assert api.delete(f"/v1/accounts/{account['id']}").status_code == 204
    assert refresh_with(oauth_peer, stored["refresh_token"]).json()["error"] == "invalid_grant"
    assert api.get("/v1/accounts").json() == {"accounts": []}
