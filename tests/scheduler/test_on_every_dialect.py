"""The publishing pipeline on SQLite and on PostgreSQL: a thread published end to end to the real Bluesky PDS
and mastodon_mock, and a worker SIGKILLed mid-thread whose work another worker finishes without a duplicate."""

from __future__ import annotations

from pathlib import Path

from tests.peers.app import make_octopost
from tests.peers.bluesky import BskyPds
from tests.peers.databases import fetch
from tests.peers.mastodon import MastodonAccount, MastodonPeer
from tests.peers.proxy import holding_proxy
from tests.scheduler.flows import connect, wait_for, wait_for_status

THREAD = {
    "content": "every dialect 1/3",
    "segments": [{"content": "every dialect 2/3"}, {"content": "every dialect 3/3"}],
}


def _ledger(database_url: str, post_id: str) -> list[tuple[int, str, str | None]]:
    """(segment index, state, remote id) of the post's deliveries."""
    rows = fetch(
        database_url,
        "SELECT d.segment_index, d.state, d.remote_id FROM delivery d JOIN target t ON t.id = d.target_id "
        "WHERE t.post_id = :post ORDER BY d.segment_index",
        post=post_id,
    )
    return [(int(r[0]), str(r[1]), r[2]) for r in rows]


def test_a_thread_is_published_end_to_end(
    tmp_path: Path,
    database_url: str,
    bsky_pds: BskyPds,
    mastodon_peer: MastodonPeer,
    mastodon_account: MastodonAccount,
) -> None:
    service = make_octopost(tmp_path, database_url=database_url).start()
    try:
        api = service.client()
        account = bsky_pds.create_account("dialect")
        connect(api, "bluesky", bsky_pds.url, account.credentials)
        connect(api, "mastodon", mastodon_peer.url, mastodon_account.credentials)
        post_id = api.post("/v1/posts", json={**THREAD, "platforms": ["bluesky", "mastodon"]}).json()["id"]
        assert api.post(f"/v1/posts/{post_id}/publish").status_code == 200
        done = wait_for_status(api, post_id, "published", "failed", timeout=60)
    finally:
        service.stop()
    assert done["status"] == "published", done
    texts = [f"every dialect {n}/3" for n in (1, 2, 3)]
    records = {r["uri"]: r for r in bsky_pds.list_records(account.did)}
    bsky_ids = [s["post_id"] for s in done["platform_results"]["bluesky"]["segments"]]
    assert [records[uri]["value"]["text"] for uri in bsky_ids] == texts
    assert records[bsky_ids[2]]["value"]["reply"]["parent"]["uri"] == bsky_ids[1]
    masto_ids = [s["post_id"] for s in done["platform_results"]["mastodon"]["segments"]]
    token = mastodon_account.token
    assert [mastodon_peer.status(i, token)["in_reply_to_id"] for i in masto_ids] == [None, masto_ids[0], masto_ids[1]]
    assert len(mastodon_peer.statuses(token)) == 3
    assert [state for _, state, _ in _ledger(database_url, post_id)] == ["sent"] * 6


def test_a_worker_killed_mid_thread_is_resumed_by_another_without_a_duplicate(
    tmp_path: Path, database_url: str, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    hold = lambda m, p, n: m == "POST" and p == "/api/v1/statuses" and n == 2  # noqa: E731
    with holding_proxy(mastodon_peer.url, hold) as proxy:
        first = make_octopost(tmp_path, database_url=database_url, OCTOPOST_LEASE_SECONDS="2").start()
        second = first.sibling()
        try:
            key = first.new_key()
            api = first.client(key)
            connect(api, "mastodon", proxy.url, mastodon_account.credentials)
            post_id = api.post("/v1/posts", json={**THREAD, "platforms": ["mastodon"]}).json()["id"]
            assert api.post(f"/v1/posts/{post_id}/publish").status_code == 200
            wait_for(proxy.held.is_set, timeout=60, what="segment 2 reaching the platform")
            assert [(i, state) for i, state, _ in _ledger(database_url, post_id)] == [(0, "sent"), (1, "sending")]
            first.kill()  # SIGKILL while segment 2 is in flight
            proxy.release(forward=True)  # it lands; the dead worker never recorded it
            root_id = _ledger(database_url, post_id)[0][2]
            token = mastodon_account.token
            wait_for(lambda: len(mastodon_peer.context(root_id, token)["descendants"]) == 1, timeout=30, what="landing")
            second.start()  # takes over once the dead worker's lease expires
            done = wait_for_status(second.client(key), post_id, "published", "failed", timeout=60)
        finally:
            second.stop()
            first.stop()
    assert done["status"] == "published", done
    assert len(mastodon_peer.statuses(mastodon_account.token)) == 3  # segment 2 resent with its key: no duplicate
    ids = [s["post_id"] for s in done["platform_results"]["mastodon"]["segments"]]
    assert mastodon_peer.status(ids[2], mastodon_account.token)["in_reply_to_id"] == ids[1]
    assert [state for _, state, _ in _ledger(database_url, post_id)] == ["sent"] * 3
