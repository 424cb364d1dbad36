"""Per-platform concurrency (OCTOPOST_PLATFORM_CONCURRENCY): a worker never has more than a platform's limit of
requests in flight to it, and a platform at its limit does not hold the others back. The fakes answer slowly
and count the most requests they ever had in flight at once."""

from __future__ import annotations

from pathlib import Path

from tests.fakes.core import Conditions
from tests.fakes.running import running_fake
from tests.peers.app import make_octopost
from tests.peers.databases import fetch
from tests.scheduler.flows import connect, in_seconds, make_all_due, wait_for

POSTS = 8


def test_each_platform_stays_within_its_limit_and_the_others_keep_going(tmp_path: Path, database_url: str) -> None:
    slow = Conditions(latency_ms=300)  # every target is in flight long enough for the limit to matter
    with running_fake("mastodon", tmp_path, slow) as mastodon, running_fake("bluesky", tmp_path, slow) as bluesky:
        service = make_octopost(
            tmp_path,
            database_url=database_url,
            OCTOPOST_PLATFORM_CONCURRENCY="mastodon=2,bluesky=5",
            OCTOPOST_MAX_PARALLEL_TARGETS="16",
        ).start()
        try:
            api = service.client()
            connect(api, "mastodon", mastodon.url, {"access_token": "limits"})
            connect(api, "bluesky", bluesky.url, {"identifier": "limits.fake.test", "password": "limits"})
            for n in range(POSTS):
                when = in_seconds(3600)
                body = {"content": f"limits {n}", "platforms": ["mastodon", "bluesky"], "scheduled_for": when}
                assert api.post("/v1/posts", json=body).status_code == 201
            mastodon.reset()
            bluesky.reset()
            make_all_due(service.database_url)  # all come due at the same moment: the limits are all that hold
            sql = "SELECT count(*) FROM post WHERE status = 'published'"
            wait_for(lambda: fetch(database_url, sql)[0][0] == POSTS, timeout=90, what="every post published")
        finally:
            service.stop()
        assert mastodon.stats()["max_in_flight"] == 2  # reached, never passed
        assert bluesky.stats()["max_in_flight"] == 5  # mastodon's limit held nothing of bluesky's back
        assert mastodon.stats()["created"] == bluesky.stats()["created"] == POSTS
