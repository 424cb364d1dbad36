"""Test keys (oct_test_…): they see only test data, live keys never see it, and nothing reaches a platform.

A test key's thread runs the whole pipeline (claim, ledger, targets, platform_results, state changes)
through the sandbox adapters, which answer with ids shaped like each platform's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from tests.api.test_posts import assert_error
from tests.media import make_png
from tests.peers.app import OctopostProcess
from tests.peers.mastodon import MastodonAccount, MastodonPeer
from tests.peers.media_server import MediaServer
from tests.peers.proxy import FORWARD, Proxy
from tests.peers.webhook_receiver import WebhookReceiver
from tests.scheduler.flows import connect, ledger, wait_for_status
from tests.webhooks.flows import schedule_post, subscribe

TID = r"[2-7a-z]{13}"


@pytest.fixture
def watched_mastodon(mastodon_peer: MastodonPeer) -> Iterator[Proxy]:
    """mastodon_mock behind a proxy that records every request reaching it."""
    with Proxy(mastodon_peer.url, lambda method, path, nth: FORWARD) as proxy:
        yield proxy


def clients(octopost: OctopostProcess, workspace: str) -> tuple[httpx.Client, httpx.Client]:
    """A live and a test key of one workspace."""
    return octopost.client(octopost.new_key(workspace)), octopost.client(octopost.new_key(workspace, mode="test"))


def test_posts_are_separated_both_ways(octopost: OctopostProcess) -> None:
    live, test = clients(octopost, "ws-modes-posts")
    body = {"platforms": ["mastodon"]}
    live_post = live.post("/v1/posts", json={**body, "content": "live"}).json()
    test_post = test.post("/v1/posts", json={**body, "content": "test"}).json()

    assert [p["id"] for p in live.get("/v1/posts").json()["posts"]] == [live_post["id"]]
    assert [p["id"] for p in test.get("/v1/posts").json()["posts"]] == [test_post["id"]]
    for client, other in ((live, test_post), (test, live_post)):
        assert_error(client.get(f"/v1/posts/{other['id']}"), 404, "not_found")
        assert_error(client.put(f"/v1/posts/{other['id']}", json={"content": "mine now"}), 404, "not_found")
        assert_error(client.post(f"/v1/posts/{other['id']}/publish"), 404, "not_found")
        assert_error(client.delete(f"/v1/posts/{other['id']}"), 404, "not_found")
    assert live.get(f"/v1/posts/{live_post['id']}").json()["content"] == "live"
    assert test.get(f"/v1/posts/{test_post['id']}").json()["content"] == "test"


def test_webhooks_are_separated_both_ways_and_get_their_own_mode_s_events(
    octopost: OctopostProcess, webhook_receiver: WebhookReceiver
) -> None:
    live, test = clients(octopost, "ws-modes-webhooks")
    inboxes = {"live": webhook_receiver.inbox(), "test": webhook_receiver.inbox()}
    endpoints = {}
    for mode, client in (("live", live), ("test", test)):
        endpoints[mode] = subscribe(client, inboxes[mode], ["post.scheduled"])
    assert [w["id"] for w in live.get("/v1/webhooks").json()["webhooks"]] == [endpoints["live"]["id"]]
    assert [w["id"] for w in test.get("/v1/webhooks").json()["webhooks"]] == [endpoints["test"]["id"]]
    for client, other in ((live, endpoints["test"]), (test, endpoints["live"])):
        assert_error(client.get(f"/v1/webhooks/{other['id']}"), 404, "not_found")
        assert_error(client.put(f"/v1/webhooks/{other['id']}", json={"is_active": False}), 404, "not_found")
        assert_error(client.post(f"/v1/webhooks/{other['id']}/rotate-secret"), 404, "not_found")
        assert_error(client.get(f"/v1/webhooks/{other['id']}/deliveries"), 404, "not_found")
        assert_error(client.delete(f"/v1/webhooks/{other['id']}"), 404, "not_found")

    posts = {mode: schedule_post(client, f"{mode} event")["id"] for mode, client in (("live", live), ("test", test))}
    for inbox in inboxes.values():
        inbox.wait_for_type("post.scheduled")
    for mode, inbox in inboxes.items():  # each mode's event reached its own endpoint only
        assert [r.payload["data"]["post"]["id"] for r in inbox.received] == [posts[mode]]
        assert all(r.verified for r in inbox.received)


def test_accounts_are_separated_both_ways(
    octopost: OctopostProcess,
    mastodon_peer: MastodonPeer,
    mastodon_account: MastodonAccount,
    watched_mastodon: Proxy,
) -> None:
    live, test = clients(octopost, "ws-modes-accounts")
    sandbox = connect(test, "mastodon", watched_mastodon.url, mastodon_account.credentials)
    assert live.get("/v1/accounts").json() == {"accounts": []}
    real = connect(live, "mastodon", mastodon_peer.url, mastodon_account.credentials)
    # One active account per platform and mode: the live connect did not replace the sandbox one.
    assert [a["id"] for a in test.get("/v1/accounts").json()["accounts"]] == [sandbox["id"]]
    assert [a["id"] for a in live.get("/v1/accounts").json()["accounts"]] == [real["id"]]
    assert_error(live.delete(f"/v1/accounts/{sandbox['id']}"), 404, "not_found")
    assert_error(test.delete(f"/v1/accounts/{real['id']}"), 404, "not_found")
    # A live post does not see the test account: with only that one, it cannot publish.
    assert live.delete(f"/v1/accounts/{real['id']}").status_code == 204
    post = live.post("/v1/posts", json={"content": "live", "platforms": ["mastodon"]}).json()
    assert_error(live.post(f"/v1/posts/{post['id']}/publish"), 422, "validation_error", "no active mastodon account")
    assert watched_mastodon.log == []  # the sandbox connect never called the instance


def test_a_test_thread_publishes_end_to_end_with_realistic_ids_and_nothing_reaches_the_platform(
    octopost: OctopostProcess,
    mastodon_peer: MastodonPeer,
    mastodon_account: MastodonAccount,
    watched_mastodon: Proxy,
) -> None:
    test = octopost.client(octopost.new_key("ws-sandbox-thread", mode="test"))
    mastodon = connect(test, "mastodon", watched_mastodon.url, mastodon_account.credentials)
    bluesky = connect(test, "bluesky", "https://bsky.social", {"identifier": "alice.bsky.social", "password": "pw"})
    twitter = connect(test, "twitter", "https://api.x.com", {"access_token": "not-a-real-token"})
    assert bluesky["username"] == "alice.bsky.social"
    assert re.fullmatch(r"did:plc:[2-7a-z]{24}", bluesky["platform_user_id"])
    assert mastodon["username"].startswith("sandbox_")
    assert mastodon["username"] != mastodon_account.username  # a sandbox profile, not the platform's

    platforms = ["mastodon", "bluesky", "twitter"]
    post = test.post(
        "/v1/posts",
        json={
            "content": "A test thread",
            "platforms": platforms,
            "segments": [{"content": "https://example.com/reply"}, {"content": "the end"}],
        },
    ).json()
    assert test.post(f"/v1/posts/{post['id']}/publish").json()["status"] == "publishing"
    done = wait_for_status(test, post["id"], "published", "failed")
    assert done["status"] == "published", done
    assert done["published_at"] is not None

    results = done["platform_results"]
    for platform in platforms:
        assert results[platform]["success"] is True, results
        assert len(results[platform]["segments"]) == 3
        assert results[platform]["post_id"] == results[platform]["segments"][0]["post_id"]

    x_ids = [s["post_id"] for s in results["twitter"]["segments"]]
    assert all(re.fullmatch(r"\d{19}", i) for i in x_ids), x_ids
    assert x_ids == sorted(x_ids, key=int)  # snowflakes grow, so a reply is newer than its parent
    for segment in results["twitter"]["segments"]:
        assert segment["post_url"] == f"https://x.com/{twitter['username']}/status/{segment['post_id']}"

    did, handle = bluesky["platform_user_id"], bluesky["username"]
    for segment in results["bluesky"]["segments"]:
        match = re.fullmatch(rf"at://{did}/app\.bsky\.feed\.post/({TID})", segment["post_id"])
        assert match, segment
        assert segment["post_url"] == f"https://bsky.app/profile/{handle}/post/{match.group(1)}"

    for segment in results["mastodon"]["segments"]:
        assert re.fullmatch(r"\d{18}", segment["post_id"]), segment
        assert segment["post_url"] == f"{watched_mastodon.url}/@{mastodon['username']}/{segment['post_id']}"

    rows = ledger(octopost.data_dir / "octopost.db", post["id"])
    assert [(p, i, state) for p, i, state, _ in rows] == [(p, i, "sent") for p in sorted(platforms) for i in range(3)]
    # Nothing reached the platform: no request at all, and the account has no status.
    assert watched_mastodon.log == []
    assert mastodon_peer.statuses(mastodon_account.token) == []


def test_the_sandbox_validates_like_the_platform(octopost: OctopostProcess, media_server: MediaServer) -> None:
    test = octopost.client(octopost.new_key("ws-sandbox-limits", mode="test"))
    connect(test, "bluesky", "https://bsky.social", {"identifier": "bob.bsky.social", "password": "pw"})
    connect(test, "twitter", "https://api.x.com", {"access_token": "not-a-real-token"})

    # Text limits come from the real platform info, counted the platform's way (X: a URL is 23, CJK is 2).
    too_long = test.post("/v1/posts", json={"content": "字" * 141, "platforms": ["twitter"]}).json()
    assert_error(test.post(f"/v1/posts/{too_long['id']}/publish"), 422, "validation_error", "twitter", "280")

    # What is only known once media is fetched is checked by the sandbox adapter, as by the real one.
    big = media_server.add("/sandbox-big.png", make_png() + bytes(1_100_000), "image/png")
    post = test.post(
        "/v1/posts", json={"content": "big picture", "platforms": ["bluesky"], "media": {"images": [{"url": big}]}}
    ).json()
    test.post(f"/v1/posts/{post['id']}/publish")
    failed = wait_for_status(test, post["id"], "published", "failed")
    assert failed["status"] == "failed"
    assert "the limit is 1,000,000" in failed["platform_results"]["bluesky"]["error"]
    assert failed["platform_results"]["bluesky"]["error_category"] == "rejected"  # for a client to act on
