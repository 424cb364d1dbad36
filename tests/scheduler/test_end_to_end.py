"""End to end: `octopost serve` (API + scheduler) publishing to the real Bluesky PDS and mastodon_mock."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import httpx
import pytest

from tests.media import make_png
from tests.peers.app import OctopostProcess, make_octopost
from tests.peers.bluesky import BskyPds
from tests.peers.mastodon import MastodonAccount, MastodonPeer
from tests.peers.media_server import MediaServer
from tests.peers.proxy import holding_proxy
from tests.scheduler.flows import connect, in_seconds, ledger, publish, wait_for, wait_for_status


@pytest.fixture
def connected(
    api: httpx.Client, bsky_pds: BskyPds, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> dict:
    account = bsky_pds.create_account("e2e")
    bsky = connect(api, "bluesky", bsky_pds.url, account.credentials)
    masto = connect(api, "mastodon", mastodon_peer.url, mastodon_account.credentials)
    return {"bluesky": bsky, "mastodon": masto, "bsky_account": account, "mastodon_account": mastodon_account}


def test_scheduled_thread_is_published_with_no_further_call(
    api: httpx.Client, connected: dict, bsky_pds: BskyPds, mastodon_peer: MastodonPeer, media_server: MediaServer
) -> None:
    image = media_server.add("/e2e/header.png", make_png(8, 4), "image/png")
    when = in_seconds(2)
    created = api.post(
        "/v1/posts",
        json={
            "content": "Scheduled thread from Octopost #e2e",
            "platforms": ["bluesky", "mastodon"],
            "scheduled_for": when,
            "media": {"images": [{"url": image, "alt_text": "An 8x4 header"}]},
            "segments": [{"content": "second https://example.com/x"}, {"content": "third"}],
        },
    )
    assert created.status_code == 201, created.text
    post_id = created.json()["id"]
    assert created.json()["status"] == "scheduled"

    done = wait_for_status(api, post_id, "published", "failed", timeout=60)
    assert done["status"] == "published", done
    assert datetime.fromisoformat(done["published_at"]) >= datetime.fromisoformat(when)
    assert media_server.hits["/e2e/header.png"] == 1  # fetched once per publish, uploaded per platform

    bsky = done["platform_results"]["bluesky"]
    assert bsky["success"] is True
    assert bsky["post_id"].startswith(f"at://{connected['bsky_account'].did}/app.bsky.feed.post/")
    rkey = bsky["post_id"].rsplit("/", 1)[1]
    assert bsky["post_url"] == f"https://bsky.app/profile/{connected['bsky_account'].handle}/post/{rkey}"
    assert next(s["post_id"] for s in bsky["segments"]) == bsky["post_id"]
    assert len(bsky["segments"]) == 3
    records = {r["uri"]: r for r in bsky_pds.list_records(connected["bsky_account"].did)}
    assert set(records) == {s["post_id"] for s in bsky["segments"]}
    root, second, third = (records[s["post_id"]] for s in bsky["segments"])
    assert root["value"]["embed"]["images"][0]["alt"] == "An 8x4 header"
    assert second["value"]["reply"]["root"]["uri"] == root["uri"]
    assert second["value"]["reply"]["parent"]["uri"] == root["uri"]
    assert third["value"]["reply"]["root"]["uri"] == root["uri"]
    assert third["value"]["reply"]["parent"]["uri"] == second["uri"]

    masto = done["platform_results"]["mastodon"]
    assert masto["success"] is True
    assert len(masto["segments"]) == 3
    ids = [s["post_id"] for s in masto["segments"]]
    assert ids[0] == masto["post_id"]
    token = connected["mastodon_account"].token
    statuses = [mastodon_peer.status(i, token) for i in ids]
    assert statuses[0]["media_attachments"][0]["description"] == "An 8x4 header"
    assert statuses[1]["in_reply_to_id"] == ids[0]
    assert statuses[2]["in_reply_to_id"] == ids[1]

    accounts = {a["platform"]: a for a in api.get("/v1/accounts").json()["accounts"]}
    assert accounts["bluesky"]["last_used_at"] is not None


def test_publish_now_and_the_refused_edges_while_publishing(
    octopost: OctopostProcess, api: httpx.Client, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    # Hold the first status POST at a proxy so the post stays `publishing` while we probe it.
    with holding_proxy(mastodon_peer.url, lambda m, p, n: m == "POST" and p == "/api/v1/statuses" and n == 1) as proxy:
        connect(api, "mastodon", proxy.url, mastodon_account.credentials)
        post_id = api.post("/v1/posts", json={"content": "now!", "platforms": ["mastodon"]}).json()["id"]
        started = api.post(f"/v1/posts/{post_id}/publish")
        assert started.status_code == 200, started.text
        assert started.json()["status"] == "publishing"
        assert started.json()["platform_results"] is None
        wait_for(proxy.held.is_set, timeout=30, what="the status POST reaching the proxy")
        assert api.post(f"/v1/posts/{post_id}/publish").status_code == 409
        assert api.put(f"/v1/posts/{post_id}", json={"content": "edit"}).status_code == 409
        refused = api.delete(f"/v1/posts/{post_id}")
        assert refused.status_code == 409
        assert refused.json()["code"] == "conflict"
        assert api.get("/v1/posts", params={"status": "publishing"}).json()["total"] == 1
        proxy.release(forward=False)  # the worker's request fails; it retries through the proxy (now passing)
        done = wait_for_status(api, post_id, "published", "failed", timeout=60)
    assert done["status"] == "published", done
    assert done["platform_results"]["mastodon"]["success"] is True
    assert [row[2] for row in ledger(octopost.data_dir / "octopost.db", post_id)] == ["sent"]
    # published → nothing but delete
    assert api.post(f"/v1/posts/{post_id}/publish").json()["code"] == "conflict"
    assert api.put(f"/v1/posts/{post_id}", json={"content": "x"}).status_code == 409
    assert api.delete(f"/v1/posts/{post_id}").status_code == 204


def test_scheduled_post_published_now_and_all_failed_is_failed(
    api: httpx.Client, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount, media_server: MediaServer
) -> None:
    connect(api, "mastodon", mastodon_peer.url, mastodon_account.credentials)
    missing = media_server.add("/e2e/exists.png", make_png(), "image/png").replace("exists", "missing")
    post = api.post(
        "/v1/posts",
        json={
            "content": "this will fail",
            "platforms": ["mastodon"],
            "scheduled_for": in_seconds(3600),
            "media": {"images": [{"url": missing}]},
        },
    ).json()
    assert post["status"] == "scheduled"
    assert api.post(f"/v1/posts/{post['id']}/publish").json()["status"] == "publishing"  # scheduled → publishing
    done = wait_for_status(api, post["id"], "published", "failed", timeout=60)
    assert done["status"] == "failed"
    assert done["published_at"] is None
    result = done["platform_results"]["mastodon"]
    assert result["success"] is False
    assert "404" in result["error"]
    assert "missing.png" in result["error"]
    assert api.post(f"/v1/posts/{post['id']}/publish").status_code == 409  # failed is final
    assert api.put(f"/v1/posts/{post['id']}", json={"content": "edited"}).status_code == 409  # and not editable
    assert api.get(f"/v1/posts/{post['id']}").json()["content"] == done["content"]


def test_due_while_down_is_published_on_start(tmp_path: Path, bsky_pds: BskyPds) -> None:
    service = make_octopost(tmp_path).start()
    try:
        api = service.client()
        account = bsky_pds.create_account("down")
        connect(api, "bluesky", bsky_pds.url, account.credentials)
        when = in_seconds(1.5)
        post_id = api.post(
            "/v1/posts", json={"content": "came due while down", "platforms": ["bluesky"], "scheduled_for": when}
        ).json()["id"]
        service.stop()  # SIGTERM before it is due
        wait_for(lambda: datetime.now().astimezone() > datetime.fromisoformat(when), timeout=10, what="due time")
        service.start()
        api = service.client(api.headers["Authorization"].removeprefix("Bearer "))
        done = wait_for_status(api, post_id, "published", "failed", timeout=60)
        assert done["status"] == "published", done
        assert len(bsky_pds.list_records(account.did)) == 1
    finally:
        service.stop()


def test_publish_now_does_not_wait_for_the_next_tick(
    tmp_path: Path, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    # A tick a minute apart: a post published within the deadline below was started by the publish call itself.
    service = make_octopost(tmp_path, OCTOPOST_TICK_SECONDS="60").start()
    try:
        api = service.client()
        connect(api, "mastodon", mastodon_peer.url, mastodon_account.credentials)
        post_id = publish(api, "mastodon", "right now, not at the next tick")
        done = wait_for_status(api, post_id, "published", "failed", timeout=20)
        assert done["status"] == "published", done
    finally:
        service.stop()
