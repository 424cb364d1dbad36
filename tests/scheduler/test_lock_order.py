"""Lock order on PostgreSQL: an API PUT/DELETE and a claim racing for the same post never deadlock.

A claim locks due targets and then updates their posts; a PUT replaces a post's targets and a DELETE removes
them. If the API locked the post first and the targets second, the two would wait for each other. The API
locks targets first (octopost/posts/repository.py), so a claim skips them, or the API waits for the claim.

The interleaving that deadlocks is forced, not hoped for: a third connection holds the post's row lock, the
API request is sent and seen waiting, then the claim runs, then the holder lets go. Each step is observed in
pg_stat_activity (polled with a deadline).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import asyncpg
import httpx
import pytest

from octopost.db import Database, utcnow
from scheduler import claims
from tests.peers.app import make_octopost
from tests.peers.databases import fetch
from tests.scheduler.flows import in_seconds

_DEADLINE = 30.0
LATER = timedelta(days=2)  # the claim's clock: every target is due then
LEASE = timedelta(seconds=60)
_WAITING = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"


async def _poll(condition: Callable[[], Awaitable[bool]], *, what: str) -> None:
    deadline = time.monotonic() + _DEADLINE
    while time.monotonic() < deadline:
        if await condition():
            return
        await asyncio.sleep(0.02)  # polling interval
    raise AssertionError(f"{what} did not happen within {_DEADLINE}s")


def _dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


@pytest.mark.parametrize("change", ["put", "delete"])
async def test_api_change_racing_a_claim_for_the_same_post_does_not_deadlock(
    tmp_path: Path, postgres_url: str, change: str
) -> None:
    service = make_octopost(tmp_path, database_url=postgres_url).start("--no-scheduler")
    worker_db = Database(postgres_url)
    holder = await asyncpg.connect(_dsn(postgres_url))
    watcher = await asyncpg.connect(_dsn(postgres_url))
    try:
        api = service.client()
        body = {"content": "race me", "platforms": ["bluesky", "mastodon"], "scheduled_for": in_seconds(60)}
        post_id = api.post("/v1/posts", json=body).json()["id"]

        async def waiting() -> int:
            return int(await watcher.fetchval(_WAITING))

        # 1. Someone holds the post.
        holder_tx = holder.transaction()
        await holder_tx.start()
        await holder.execute("SELECT 1 FROM post WHERE id = $1 FOR UPDATE", post_id)
        # 2. The API request arrives and waits for the post.
        if change == "put":
            request = asyncio.create_task(
                asyncio.to_thread(api.put, f"/v1/posts/{post_id}", json={"scheduled_for": in_seconds(3600)})
            )
        else:
            request = asyncio.create_task(asyncio.to_thread(api.delete, f"/v1/posts/{post_id}"))
        async def api_waits() -> bool:
            return await waiting() == 1

        await _poll(api_waits, what="the API request waiting for the post")
        # 3. A worker claims due work meanwhile (its clock says everything is due).
        claim = asyncio.create_task(claims.claim_due(worker_db, "worker", utcnow() + LATER, LEASE, 10))

        async def claim_done_or_waits() -> bool:
            return claim.done() or await waiting() == 2

        await _poll(claim_done_or_waits, what="the claim finishing or waiting")
        # 4. The holder lets go; both must finish, neither as a deadlock victim.
        await holder_tx.rollback()
        claimed = await asyncio.wait_for(claim, timeout=_DEADLINE)
        response: httpx.Response = await asyncio.wait_for(request, timeout=_DEADLINE)
    finally:
        await holder.close()
        await watcher.close()
        await worker_db.dispose()
        service.stop()

    assert "deadlock" not in service.log_text()
    if change == "put":
        assert response.status_code == 200, response.text
        assert claimed == []  # the API held the targets: the claim skipped them
        rows = fetch(postgres_url, "SELECT status FROM target WHERE post_id = :p", p=post_id)
        assert sorted(rows) == [("pending",), ("pending",)]
    else:
        assert response.status_code == 204, response.text
        assert claimed == []
        assert fetch(postgres_url, "SELECT count(*) FROM target WHERE post_id = :p", p=post_id) == [(0,)]

