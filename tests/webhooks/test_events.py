"""Events end to end: the service (a real `octopost serve`) publishes to mastodon_mock and signs every event
to a real receiver, which verifies it with `standardwebhooks`. ``data`` is what the API itself shows."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from tests.media import make_png
from tests.peers.app import OctopostProcess
from tests.peers.mastodon import MastodonAccount, MastodonPeer
from tests.peers.media_server import MediaServer
from tests.peers.webhook_receiver import Inbox, Received, WebhookReceiver
from tests.scheduler.flows import connect, wait_for_status
from tests.webhooks.flows import outbox, running_service, schedule_post, subscribe


@pytest.fixture(scope="module")
def octopost(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OctopostProcess]:
    yield from running_service(tmp_path_factory)


@pytest.fixture
def inbox(webhook_receiver: WebhookReceiver) -> Inbox:
    return webhook_receiver.inbox()


def assert_envelope(received: Received, event_type: str) -> dict:
    """A signed, well-formed envelope; returns its ``data``."""
    assert received.verified, received.headers  # standardwebhooks.Webhook(secret).verify passed
    assert received.replied == 204
    body = received.payload
    assert list(body) == ["id", "type", "created_at", "data"]
    assert body["id"].startswith("evt_")
    assert body["id"] == received.headers["webhook-id"]
    assert body["type"] == event_type
    assert body["created_at"].endswith("Z")
    assert received.headers["webhook-signature"].startswith("v1,")
    assert received.headers["content-type"] == "application/json"
    return dict(body["data"])


def test_post_scheduled_then_published_with_real_platform_results(
    octopost: OctopostProcess,
    api: httpx.Client,
    inbox: Inbox,
    mastodon_peer: MastodonPeer,
    mastodon_account: MastodonAccount,
) -> None:
    webhook = subscribe(api, inbox, ["post.scheduled", "post.published", "post.failed"])
    connect(api, "mastodon", mastodon_peer.url, mastodon_account.credentials)  # not subscribed: no event
    created = api.post(
        "/v1/posts",
        json={
            "content": "webhooks tell the truth",
            "platforms": ["mastodon"],
            "scheduled_for": "2099-01-01T09:00:00Z",
            "segments": [{"content": "and threads too"}],
        },
    ).json()
    (scheduled,) = inbox.wait_for_type("post.scheduled")
    assert assert_envelope(scheduled, "post.scheduled") == {"post": created}
    assert created["status"] == "scheduled"

    # An edit that keeps the time announces nothing; a new time is scheduled anew.
    api.put(f"/v1/posts/{created['id']}", json={"content": "webhooks tell the whole truth"})
    moved = api.put(f"/v1/posts/{created['id']}", json={"scheduled_for": "2099-01-02T09:00:00Z"}).json()
    assert [row[0] for row in outbox(octopost, webhook["id"])] == ["post.scheduled", "post.scheduled"]
    rescheduled = inbox.wait_for_type("post.scheduled", 2)[1]
    assert assert_envelope(rescheduled, "post.scheduled") == {"post": moved}

    assert api.post(f"/v1/posts/{created['id']}/publish").status_code == 200
    done = wait_for_status(api, created["id"], "published", "failed")
    (published,) = inbox.wait_for_type("post.published")
    data = assert_envelope(published, "post.published")
    assert data == {"post": done}  # the very PostRead GET shows, platform_results included
    result = data["post"]["platform_results"]["mastodon"]
    assert result["success"] is True
    assert len(result["segments"]) == 2
    status = mastodon_peer.status(result["post_id"], mastodon_account.token)
    assert "webhooks tell the whole truth" in status["content"]
    assert len({r.event_id for r in inbox.received}) == len(inbox.received) == 3  # one id per event
    assert inbox.of_type("post.failed") == []


def test_post_whose_media_is_missing_fails(
    api: httpx.Client,
    inbox: Inbox,
    mastodon_peer: MastodonPeer,
    mastodon_account: MastodonAccount,
    media_server: MediaServer,
) -> None:
    subscribe(api, inbox, ["post.published", "post.failed"])
    connect(api, "mastodon", mastodon_peer.url, mastodon_account.credentials)
    missing = media_server.add("/webhooks/there.png", make_png(), "image/png").replace("there", "missing")
    body = {"content": "broken image", "platforms": ["mastodon"], "media": {"images": [{"url": missing}]}}
    post = api.post("/v1/posts", json=body).json()
    api.post(f"/v1/posts/{post['id']}/publish")
    done = wait_for_status(api, post["id"], "published", "failed")
    (failed,) = inbox.wait_for_type("post.failed")
    data = assert_envelope(failed, "post.failed")
    assert data == {"post": done}
    assert data["post"]["status"] == "failed"
    assert data["post"]["platform_results"]["mastodon"]["success"] is False
    assert "404" in data["post"]["platform_results"]["mastodon"]["error"]
    assert inbox.of_type("post.published") == []


def test_account_connected_and_disconnected(
    api: httpx.Client, inbox: Inbox, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    subscribe(api, inbox, ["account.connected", "account.disconnected"])
    first = connect(api, "mastodon", mastodon_peer.url, mastodon_account.credentials)
    (connected,) = inbox.wait_for_type("account.connected")
    assert assert_envelope(connected, "account.connected") == {"account": first}

    second = connect(api, "mastodon", mastodon_peer.url, mastodon_peer.new_account().credentials)  # a second one
    by_account = {r.payload["data"]["account"]["id"]: r for r in inbox.wait_for_type("account.connected", 2)}
    assert assert_envelope(by_account[second["id"]], "account.connected") == {"account": second}

    assert api.delete(f"/v1/accounts/{second['id']}").status_code == 204
    (gone,) = inbox.wait_for_type("account.disconnected")
    assert assert_envelope(gone, "account.disconnected") == {"account": {**second, "is_active": False}}
    assert api.get(f"/v1/accounts/{first['id']}").json()["is_active"] is True  # the other one stays
    assert mastodon_account.token not in str([r.payload for r in inbox.received])


def test_token_found_expired_disconnects_the_account(
    api: httpx.Client, inbox: Inbox, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    subscribe(api, inbox, ["account.disconnected", "post.failed"])
    account = connect(api, "mastodon", mastodon_peer.url, mastodon_account.credentials)
    post = api.post("/v1/posts", json={"content": "token revoked meanwhile", "platforms": ["mastodon"]}).json()
    mastodon_peer.inject_fault(
        {"type": "status", "status": 401, "body": {"error": "The access token was revoked"}},
        methods=["POST"],
        path="/api/v1/statuses",
    )
    api.post(f"/v1/posts/{post['id']}/publish")
    done = wait_for_status(api, post["id"], "published", "failed")
    (disconnected,) = inbox.wait_for_type("account.disconnected")
    assert assert_envelope(disconnected, "account.disconnected") == {"account": {**account, "is_active": False}}
    (failed,) = inbox.wait_for_type("post.failed")
    assert assert_envelope(failed, "post.failed") == {"post": done}
    assert "Reconnect" in done["platform_results"]["mastodon"]["error"]


def test_rotated_secret_signs_the_next_events(
    api: httpx.Client, inbox: Inbox, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    webhook = subscribe(api, inbox, ["post.scheduled"])
    old_secret = webhook["secret"]
    inbox.secret = api.post(f"/v1/webhooks/{webhook['id']}/rotate-secret").json()["secret"]
    schedule_post(api)
    (received,) = inbox.wait_for_type("post.scheduled")
    assert received.verified  # with the new secret
    with pytest.raises(WebhookVerificationError):
        Webhook(old_secret).verify(received.body, received.headers)
