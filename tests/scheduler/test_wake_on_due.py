"""A scheduled post goes out when it comes due, not on the next tick: each claim arms a timer for the earliest
pending target. The tick here is an hour, so only that timer can publish the post within the test; and it must
never publish early."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from tests.fakes.running import running_fake
from tests.peers.app import make_octopost
from tests.scheduler.flows import connect, in_seconds, publish, wait_for_status


def test_a_post_is_published_at_its_time_without_waiting_for_a_tick(tmp_path: Path, database_url: str) -> None:
    with running_fake("mastodon", tmp_path) as mastodon:
        service = make_octopost(tmp_path, database_url=database_url, OCTOPOST_TICK_SECONDS="3600").start()
        try:
            api = service.client()
            connect(api, "mastodon", mastodon.url, {"access_token": "wake"})
            when = in_seconds(3)
            body = {"content": "due soon", "platforms": ["mastodon"], "scheduled_for": when}
            later = api.post("/v1/posts", json=body)
            assert later.status_code == 201
            # Publishing another post now runs a claim (publish-now wakes the dispatcher): it sees the first one
            # coming due and arms its timer. Nothing else runs a claim before the next tick, an hour away.
            publish(api, "mastodon", "right now")
            done = wait_for_status(api, later.json()["id"], "published", "failed", timeout=60)
        finally:
            service.stop()
        [created] = [item for item in mastodon.created() if item["text"] == "due soon"]
    assert done["status"] == "published", done
    assert created["received_at"] >= datetime.fromisoformat(when).timestamp()  # not a moment early


def test_a_post_scheduled_sooner_than_the_next_tick_wakes_the_scheduler(tmp_path: Path) -> None:
    """Nothing but the create: it is due before the next tick (an hour away), so creating it arms the timer."""
    with running_fake("mastodon", tmp_path) as mastodon:
        service = make_octopost(tmp_path, OCTOPOST_TICK_SECONDS="3600").start()
        try:
            api = service.client()
            connect(api, "mastodon", mastodon.url, {"access_token": "wake-on-create"})
            when = in_seconds(2)
            post = api.post("/v1/posts", json={"content": "soon", "platforms": ["mastodon"], "scheduled_for": when})
            assert post.status_code == 201
            done = wait_for_status(api, post.json()["id"], "published", "failed", timeout=30)
        finally:
            service.stop()
        [created] = [item for item in mastodon.created() if item["text"] == "soon"]
    assert done["status"] == "published", done
    assert created["received_at"] >= datetime.fromisoformat(when).timestamp()
