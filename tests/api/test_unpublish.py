"""POST /v1/posts/{id}/unpublish and unpublish_at through `octopost serve`: a thread deleted from the real Bluesky PDS
and mastodon_mock, every segment; a platform that cannot delete reported with its reason; the post's unpublish_at
taking it down by itself; a worker killed in the middle of the deletes resumed by another; what cannot be
unpublished refused (409, 422, 404)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests.adapters.colibri.support import PASSWORD
from tests.api.conftest import TwoPeers
from tests.api.test_posts import assert_error
from tests.peers.app import OctopostProcess, make_octopost
from tests.peers.mastodon import MastodonAccount, MastodonPeer
from tests.scheduler.flows import connect, in_seconds, publish, wait_for, wait_for_status

THREAD = [{"content": "the second part"}, {"content": "and the last"}]


def unpublished(api: httpx.Client, post_id: str, *platforms: str, timeout: float = 60) -> dict[str, Any]:
    """The post once each platform's unpublish has ended (done or failed)."""
    seen: dict[str, Any] = {}

    def ended() -> bool:
        nonlocal seen
        seen = api.get(f"/v1/posts/{post_id}").json()
        results = seen.get("platform_results") or {}
        return all(results.get(p, {}).get("unpublish_status") in ("done", "failed") for p in platforms)

    wait_for(ended, timeout=timeout, what=f"the unpublish of {platforms}")
    return seen


def test_a_thread_is_deleted_from_bluesky_and_mastodon(two_peers: TwoPeers) -> None:
    api = two_peers.api
    post = api.post(
        "/v1/posts", json={"content": "Soon gone", "platforms": ["mastodon", "bluesky"], "segments": THREAD}
    ).json()
    assert api.post(f"/v1/posts/{post['id']}/publish").status_code == 200
    wait_for_status(api, post["id"], "published", "failed")
    assert len(two_peers.toots()) == 3
    assert len(two_peers.skeets()) == 3

    answer = api.post(f"/v1/posts/{post['id']}/unpublish")
    assert answer.status_code == 200, answer.text
    assert {p: r["unpublish_status"] for p, r in answer.json()["platform_results"].items()} == {
        "bluesky": "pending",
        "mastodon": "pending",
    }
    done = unpublished(api, post["id"], "mastodon", "bluesky")

    for platform in ("mastodon", "bluesky"):
        result = done["platform_results"][platform]
        assert result["unpublish_status"] == "done", result
        assert result["unpublished_at"] is not None
        assert len(result["segments"]) == 3  # what had been posted stays on record
    assert two_peers.toots() == []
    assert two_peers.skeets() == []
    assert done["status"] == "published"  # the post's history is unchanged; its results say it was taken down
    again = api.post(f"/v1/posts/{post['id']}/unpublish")
    assert "mastodon is done already" in assert_error(again, 409, "conflict")["error"]


def test_a_platform_that_cannot_delete_says_so(octopost: OctopostProcess) -> None:
    sandbox = octopost.client(octopost.new_key("ws-unpublish-sandbox", mode="test"))
    connect(sandbox, "mastodon", "https://mastodon.social", {"access_token": "sandbox-token"})
    connect(sandbox, "colibri", "https://colibri.example", PASSWORD)
    post_id = publish(sandbox, "mastodon", "test post", platforms=["mastodon", "colibri"])
    wait_for_status(sandbox, post_id, "published", "failed")

    answer = sandbox.post(f"/v1/posts/{post_id}/unpublish")
    assert answer.status_code == 200, answer.text
    colibri = answer.json()["platform_results"]["colibri"]
    assert colibri["unpublish_status"] == "failed"
    assert colibri["unpublish_error"] == "ColibriSM cannot delete posts through its API; delete it on ColibriSM"
    done = unpublished(sandbox, post_id, "mastodon")
    assert done["platform_results"]["mastodon"]["unpublish_status"] == "done"  # the sandbox twin deletes


def test_what_cannot_be_unpublished_is_refused(octopost: OctopostProcess, api: httpx.Client) -> None:
    draft = api.post("/v1/posts", json={"content": "a draft", "platforms": ["mastodon"]}).json()
    refused = assert_error(api.post(f"/v1/posts/{draft['id']}/unpublish"), 409, "conflict")
    assert "this post is draft" in refused["error"]
    wrong = api.post(f"/v1/posts/{draft['id']}/unpublish", json={"platforms": ["twitter"]})
    assert "'twitter' is not one of the post's platforms" in assert_error(wrong, 422, "validation_error")["error"]
    other = octopost.client(workspace="ws-unpublish-other")
    assert_error(other.post(f"/v1/posts/{draft['id']}/unpublish"), 404, "not_found")
    too_early = api.post(
        "/v1/posts",
        json={
            "content": "x",
            "platforms": ["mastodon"],
            "scheduled_for": in_seconds(3600),
            "unpublish_at": in_seconds(60),
        },
    )
    assert "unpublish_at:" in assert_error(too_early, 422, "validation_error")["error"]


def test_unpublish_at_takes_the_post_down_by_itself(
    api: httpx.Client, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    connect(api, "mastodon", mastodon_peer.url, mastodon_account.credentials)
    when = in_seconds(3)
    post_id = publish(api, "mastodon", "here for a moment", segments=THREAD[:1], unpublish_at=when)
    done = wait_for_status(api, post_id, "published", "failed")
    assert done["unpublish_at"][:19] == when[:19]

    gone = unpublished(api, post_id, "mastodon")

    assert gone["platform_results"]["mastodon"]["unpublish_status"] == "done"
    assert mastodon_peer.statuses(mastodon_account.token) == []


def test_a_worker_killed_mid_unpublish_is_resumed_by_another(
    tmp_path: Path, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    first = make_octopost(tmp_path, OCTOPOST_LEASE_SECONDS="2").start()
    api = first.client()
    key = api.headers["Authorization"].removeprefix("Bearer ")
    connect(api, "mastodon", mastodon_peer.url, mastodon_account.credentials)
    post_id = publish(api, "mastodon", "a thread to take down", segments=THREAD)
    wait_for_status(api, post_id, "published", "failed")
    # The first delete (the last reply) is held by the instance long enough to kill the worker in the middle.
    fault = mastodon_peer.inject_fault(
        {"type": "latency", "delay_ms": 3000}, count=1, methods=["DELETE"], path_regex="^/api/v1/statuses/"
    )
    assert api.post(f"/v1/posts/{post_id}/unpublish").status_code == 200
    wait_for(
        lambda: all(f["id"] != fault or f["remaining"] == 0 for f in mastodon_peer.faults()),
        timeout=30,
        what="the first delete reaching the instance",
    )

    first.kill()
    second = first.sibling().start()
    try:
        done = unpublished(second.client(key), post_id, "mastodon")
    finally:
        second.stop()
        first.stop()

    assert done["platform_results"]["mastodon"]["unpublish_status"] == "done", done["platform_results"]
    assert mastodon_peer.statuses(mastodon_account.token) == []
