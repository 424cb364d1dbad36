"""Bulk import's own SQL (executemany INSERTs of posts and targets, queue claims in the batch's transaction) on
SQLite and on PostgreSQL: drafts, scheduled posts and next_free_slot rows created in one request read back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.test_validate import sandbox
from tests.peers.app import OctopostProcess, make_octopost
from tests.queue.test_queue_api import daily
from tests.scheduler.flows import in_seconds


@pytest.fixture
def service(tmp_path: Path, database_url: str) -> Iterator[OctopostProcess]:
    running = make_octopost(tmp_path, database_url=database_url).start("--no-scheduler")
    yield running
    running.stop()


def test_a_mixed_import_is_written_and_reads_back(service: OctopostProcess) -> None:
    api = sandbox(service, "ws-bulk-dialect")
    slots, instants = daily("UTC")
    assert api.put("/v1/queue", json={"timezone": "UTC", "slots": slots}).status_code == 200
    later = in_seconds(7200)
    times = [None, later, "next_free_slot"]
    platforms = ["twitter", "bluesky"]
    body = [{"content": f"row {n}", "platforms": platforms, "scheduled_for": times[n % 3]} for n in range(1200)]
    answer = api.post("/v1/posts/bulk", json=body)
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["created"] == 1200
    assert api.get("/v1/posts").json()["total"] == 1200
    assert api.get("/v1/posts", params={"status": "scheduled"}).json()["total"] == 800
    queued = [api.get(f"/v1/posts/{r['post_id']}").json() for r in result["rows"][2:15:3]]
    assert [p["scheduled_for"] for p in queued] == instants[:5]
