"""Connections to a platform outlive the target that opened them: Mastodon.py and tweepy each get a fresh requests
session per target, mounted on the process's pool, so the next target to the same instance reuses the
connection instead of opening another (in production: a TCP and a TLS handshake per post saved)."""

from __future__ import annotations

from pathlib import Path

from tests.fakes.running import running_fake
from tests.peers.app import make_octopost
from tests.scheduler.flows import connect, wait_for_status

POSTS = 4


def test_posts_one_after_another_share_one_connection_per_platform(tmp_path: Path) -> None:
    with running_fake("mastodon", tmp_path) as mastodon, running_fake("twitter", tmp_path) as twitter:
        service = make_octopost(tmp_path).start()
        try:
            api = service.client()
            connect(api, "mastodon", mastodon.url, {"access_token": "reuse"})
            connect(api, "twitter", twitter.url, {"access_token": "reuse"})
            for n in range(POSTS):
                created = api.post("/v1/posts", json={"content": f"reuse {n}", "platforms": ["mastodon", "twitter"]})
                assert created.status_code == 201, created.text
                post_id = created.json()["id"]
                assert api.post(f"/v1/posts/{post_id}/publish").status_code < 300
                assert wait_for_status(api, post_id, "published", "failed", timeout=30)["status"] == "published"
        finally:
            service.stop()
        for fake in (mastodon, twitter):
            stats = fake.stats()
            assert stats["created"] == POSTS, (fake.platform, stats)
            # One connection carried the account check and every post (a pool dropped with each adapter would
            # have opened one for each of them).
            assert stats["requests"] > POSTS, (fake.platform, stats)
            assert stats["connections"] == 1, (fake.platform, stats)
