"""Faults at ~20 % of platform writes — 429 with Retry-After, 500/503, connection resets before and after the
platform applied the request, answers slower than the client's timeout — against the real Bluesky PDS and
mastodon_mock: every post ends published with exactly one remote post per segment."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from tests.peers.app import make_octopost
from tests.peers.bluesky import BskyPds
from tests.peers.mastodon import MastodonAccount, MastodonPeer
from tests.peers.proxy import FORWARD, FORWARD_THEN_RESET, Action, Chaos, Proxy
from tests.scheduler.flows import connect, wait_for_status

POSTS = 10
SEGMENTS = 3


def _texts(post: int) -> list[str]:
    return [f"fault-test post {post} part {part}/{SEGMENTS}" for part in range(1, SEGMENTS + 1)]


def test_every_post_lands_exactly_once_through_injected_faults(
    tmp_path: Path, bsky_pds: BskyPds, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    bsky_chaos = Chaos(
        rate=0.2, seed=7, paths=("/xrpc/com.atproto.repo.createRecord",), delay_past_timeout=2.5, enabled=False
    )
    masto_chaos = Chaos(rate=0.2, seed=11, paths=("/api/v1/statuses",), delay_past_timeout=2.5, enabled=False)
    service = make_octopost(
        tmp_path, OCTOPOST_RETRY_BASE_SECONDS="0.5", OCTOPOST_HTTP_TIMEOUT_SECONDS="2", OCTOPOST_MAX_ATTEMPTS="8"
    ).start()
    bsky_account = bsky_pds.create_account("faults")
    with Proxy(bsky_pds.url, bsky_chaos) as bsky_proxy, Proxy(mastodon_peer.url, masto_chaos) as masto_proxy:
        try:
            api = service.client()
            connect(api, "bluesky", bsky_proxy.url, bsky_account.credentials)
            connect(api, "mastodon", masto_proxy.url, mastodon_account.credentials)
            bsky_chaos.enabled = masto_chaos.enabled = True
            ids = []
            for n in range(POSTS):
                first, *rest = _texts(n)
                body = {
                    "content": first,
                    "platforms": ["bluesky", "mastodon"],
                    "segments": [{"content": t} for t in rest],
                }
                post_id = api.post("/v1/posts", json=body).json()["id"]
                assert api.post(f"/v1/posts/{post_id}/publish").status_code == 200
                ids.append(post_id)
            finished = [wait_for_status(api, post_id, "published", "failed", timeout=120) for post_id in ids]
        finally:
            service.stop()

    for post in finished:
        assert post["status"] == "published", post
        for platform in ("bluesky", "mastodon"):
            assert post["platform_results"][platform]["success"] is True, post
            assert len(post["platform_results"][platform]["segments"]) == SEGMENTS

    expected = Counter(t for n in range(POSTS) for t in _texts(n))
    on_bluesky = Counter(r["value"]["text"] for r in bsky_pds.list_records(bsky_account.did))
    assert on_bluesky == expected
    on_mastodon = Counter(re.sub(r"<[^>]+>", "", s["content"]) for s in mastodon_peer.statuses(mastodon_account.token))
    assert on_mastodon == expected

    injected = Counter(kind for _, _, kind in bsky_proxy.log + masto_proxy.log if kind != "forward")
    print("injected faults:", dict(injected))
    assert sum(injected.values()) >= 8, injected  # the faults really happened
    assert {"respond", "reset", "forward_then_reset", "delay_then_forward"} <= set(injected), injected
    masto_kinds = {kind for _, _, kind in masto_proxy.log}
    assert "delay_then_forward" in masto_kinds, masto_kinds  # Mastodon timed out too, and resent under its key


def test_a_reset_after_apply_then_failures_past_one_attempt_still_posts_once(
    tmp_path: Path, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    """The first send lands but its answer is lost; the retries fail until the attempt gives up. The next
    attempt must resend with the same Idempotency-Key, not a fresh one."""

    def decide(method: str, path: str, nth: int) -> Action:
        if method == "POST" and path == "/api/v1/statuses":
            return FORWARD_THEN_RESET if nth == 1 else Action("respond", 500) if nth <= 3 else FORWARD
        return FORWARD

    service = make_octopost(tmp_path, OCTOPOST_RETRY_BASE_SECONDS="0.2").start()
    with Proxy(mastodon_peer.url, decide) as proxy:
        try:
            api = service.client()
            connect(api, "mastodon", proxy.url, mastodon_account.credentials)
            post_id = api.post("/v1/posts", json={"content": "once only", "platforms": ["mastodon"]}).json()["id"]
            api.post(f"/v1/posts/{post_id}/publish")
            done = wait_for_status(api, post_id, "published", "failed", timeout=60)
        finally:
            service.stop()
    assert done["status"] == "published", done
    assert [kind for method, _, kind in proxy.log if method == "POST"][:4] == [
        "forward_then_reset",
        "respond",
        "respond",
        "forward",
    ]
    assert len(mastodon_peer.statuses(mastodon_account.token)) == 1
