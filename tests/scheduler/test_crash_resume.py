"""Crash resume: a worker SIGKILLed mid-thread; another completes it with exactly one post per segment.

A holding proxy in front of the real peer holds the request for segment 2 (so segment 1 is delivered and in
the ledger), the worker is killed, and the held request is forwarded (it reached the platform, but the worker
died before recording it) or dropped (it never did). A second worker takes over after the lease expires.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.peers.app import OctopostProcess, make_octopost
from tests.peers.bluesky import BskyPds
from tests.peers.mastodon import MastodonAccount, MastodonPeer
from tests.peers.proxy import Proxy, holding_proxy
from tests.scheduler.flows import connect, finish_with_another_worker, ledger, wait_for

THREAD = {
    "content": "crash-safe thread 1/3",
    "segments": [{"content": "crash-safe thread 2/3"}, {"content": "crash-safe thread 3/3"}],
}
LEASE = {"OCTOPOST_LEASE_SECONDS": "2"}


def _kill_after_first_segment(
    tmp_path: Path, platform: str, proxy_url: str, credentials: dict[str, str], proxy: Proxy
) -> tuple[str, OctopostProcess, str]:
    """Publish THREAD through the proxy, kill the worker once segment 2 is in flight; return (post id, db)."""
    first = make_octopost(tmp_path / "first", **LEASE).start()
    key = first.new_key()
    api = first.client(key)
    connect(api, platform, proxy_url, credentials)
    post_id = api.post("/v1/posts", json={**THREAD, "platforms": [platform]}).json()["id"]
    assert api.post(f"/v1/posts/{post_id}/publish").status_code == 200
    wait_for(proxy.held.is_set, timeout=60, what="segment 2 reaching the platform")
    db = first.data_dir / "octopost.db"
    states = [(row[1], row[2]) for row in ledger(db, post_id)]
    assert states == [(0, "sent"), (1, "sending")], states
    first.kill()
    return post_id, first, key


@pytest.mark.parametrize("forward", [True, False], ids=["landed-before-crash", "never-landed"])
def test_bluesky_thread_resumes_without_duplicates(tmp_path: Path, bsky_pds: BskyPds, forward: bool) -> None:
    account = bsky_pds.create_account("crash")
    hold = lambda m, p, n: m == "POST" and p == "/xrpc/com.atproto.repo.createRecord" and n == 2  # noqa: E731
    with holding_proxy(bsky_pds.url, hold) as proxy:
        post_id, first, key = _kill_after_first_segment(tmp_path, "bluesky", proxy.url, account.credentials, proxy)
        proxy.release(forward=forward)
        if forward:
            wait_for(lambda: len(bsky_pds.list_records(account.did)) == 2, timeout=30, what="held record landing")
        done = finish_with_another_worker(first, key, post_id)
    assert done["status"] == "published", done
    records = bsky_pds.list_records(account.did)
    assert sorted(r["value"]["text"] for r in records) == [
        "crash-safe thread 1/3",
        "crash-safe thread 2/3",
        "crash-safe thread 3/3",
    ]
    by_text = {r["value"]["text"]: r for r in records}
    assert (
        by_text["crash-safe thread 3/3"]["value"]["reply"]["parent"]["uri"] == by_text["crash-safe thread 2/3"]["uri"]
    )
    assert (
        by_text["crash-safe thread 2/3"]["value"]["reply"]["parent"]["uri"] == by_text["crash-safe thread 1/3"]["uri"]
    )
    assert [s["post_id"] for s in done["platform_results"]["bluesky"]["segments"]] == [
        by_text[f"crash-safe thread {i}/3"]["uri"] for i in (1, 2, 3)
    ]


def test_mastodon_thread_resumes_with_the_same_idempotency_key(
    tmp_path: Path, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    hold = lambda m, p, n: m == "POST" and p == "/api/v1/statuses" and n == 2  # noqa: E731
    with holding_proxy(mastodon_peer.url, hold) as proxy:
        post_id, first, key = _kill_after_first_segment(
            tmp_path, "mastodon", proxy.url, mastodon_account.credentials, proxy
        )
        root_id = ledger(first.data_dir / "octopost.db", post_id)[0][3]
        proxy.release(forward=True)  # segment 2 lands; the dead worker never recorded it
        token = mastodon_account.token
        wait_for(
            lambda: len(mastodon_peer.context(root_id, token)["descendants"]) == 1,
            timeout=30,
            what="held status landing",
        )
        done = finish_with_another_worker(first, key, post_id)
    assert done["status"] == "published", done
    context = mastodon_peer.context(root_id, token)
    texts = sorted(s["content"] for s in context["descendants"])
    assert len(texts) == 2, texts  # exactly 3 posts in the thread: no duplicate of segment 2
    ids = [s["post_id"] for s in done["platform_results"]["mastodon"]["segments"]]
    assert ids[0] == root_id
    assert mastodon_peer.status(ids[2], token)["in_reply_to_id"] == ids[1]
    assert len(mastodon_peer.statuses(token)) == 3


def test_mastodon_segment_in_doubt_past_the_idempotency_window_is_unconfirmed(
    tmp_path: Path, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    """Mastodon forgets Idempotency-Keys after an hour: an older in-doubt segment is reported, not resent."""
    hold = lambda m, p, n: m == "POST" and p == "/api/v1/statuses" and n == 2  # noqa: E731
    with holding_proxy(mastodon_peer.url, hold) as proxy:
        post_id, first, key = _kill_after_first_segment(
            tmp_path, "mastodon", proxy.url, mastodon_account.credentials, proxy
        )
        proxy.release(forward=True)
        db = first.data_dir / "octopost.db"
        with sqlite3.connect(db) as conn:  # as if the worker had been dead for two hours
            conn.execute("UPDATE delivery SET created_at = datetime(created_at, '-2 hours') WHERE state = 'sending'")
        done = finish_with_another_worker(first, key, post_id)
    result = done["platform_results"]["mastodon"]
    assert done["status"] == "failed"
    assert result["success"] is False
    assert result["status"] == "unconfirmed"
    assert "not sent again to avoid a duplicate" in result["error"]
    assert len(result["segments"]) == 1  # the main post, delivered before the crash
    assert len(mastodon_peer.statuses(mastodon_account.token)) == 2  # nothing was reposted blindly
