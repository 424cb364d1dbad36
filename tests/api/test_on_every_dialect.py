"""The posts API on SQLite and on PostgreSQL, through a real `octopost serve --no-scheduler` (the API alone,
whose /healthz still answers 200), with a separate `octopost worker` on the same database publishing."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from tests.peers.app import OCTOPOST, make_octopost
from tests.peers.mastodon import MastodonAccount, MastodonPeer
from tests.peers.ports import stop
from tests.scheduler.flows import connect, wait_for_status


def test_posts_api_smoke_with_the_api_and_a_worker_in_separate_processes(
    tmp_path: Path, database_url: str, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    service = make_octopost(tmp_path, database_url=database_url).start("--no-scheduler")
    worker: subprocess.Popen[bytes] | None = None
    try:
        health = httpx.get(f"{service.url}/healthz", timeout=10)
        assert health.status_code == 200, health.text
        assert health.json()["checks"] == {
            "database": "ok",
            "schema": "ok",
            "oldest_overdue_seconds": 0.0,
            "scheduler": "disabled in this process",
        }
        api = service.client()
        connect(api, "mastodon", mastodon_peer.url, mastodon_account.credentials)

        draft = api.post("/v1/posts", json={"content": "über ✓ 日本", "platforms": ["mastodon"]}).json()
        assert draft["status"] == "draft"
        assert api.get(f"/v1/posts/{draft['id']}").json() == draft  # text and timestamps round-trip as stored
        when = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        scheduled = api.put(f"/v1/posts/{draft['id']}", json={"scheduled_for": when, "segments": [{"content": "2"}]})
        assert scheduled.status_code == 200, scheduled.text
        assert scheduled.json()["status"] == "scheduled"
        assert scheduled.json()["scheduled_for"] == when
        assert scheduled.json()["segments"] == [{"content": "2", "media_urls": []}]  # JSON columns
        listed = api.get("/v1/posts", params={"status": "scheduled"}).json()
        assert [p["id"] for p in listed["posts"]] == [draft["id"]]
        assert listed["total"] == 1
        assert api.put(f"/v1/posts/{draft['id']}", json={"scheduled_for": None}).json()["status"] == "draft"
        assert api.delete(f"/v1/posts/{draft['id']}").status_code == 204
        assert api.get(f"/v1/posts/{draft['id']}").status_code == 404

        post = api.post("/v1/posts", json={"content": "from a worker", "platforms": ["mastodon"]}).json()
        assert api.post(f"/v1/posts/{post['id']}/publish").json()["status"] == "publishing"
        with (tmp_path / "worker.log").open("ab") as log:
            worker = subprocess.Popen(
                [str(OCTOPOST), "worker"], env=service.env, cwd=service.data_dir, stdout=log, stderr=log
            )
        done = wait_for_status(api, post["id"], "published", "failed", timeout=60)
        assert done["status"] == "published", done
        assert done["platform_results"]["mastodon"]["success"] is True
        assert api.get("/v1/posts").json()["total"] == 1
        assert httpx.get(f"{service.url}/healthz", timeout=10).status_code == 200
    finally:
        if worker is not None:
            stop(worker)
        service.stop()
    statuses = mastodon_peer.statuses(mastodon_account.token)
    assert [s["content"] for s in statuses] == ["<p>from a worker</p>"]
