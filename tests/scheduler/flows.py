"""Helpers for end-to-end tests: connect accounts over the API, publish, wait for outcomes, seed due work, move
the clock, read the ledger and peers."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import update
from sqlmodel import col

from octopost.db import Database, utcnow
from octopost.ids import new_id
from octopost.keys.tables import Workspace
from octopost.posts.tables import Post, Target
from tests.peers.app import OctopostProcess
from tests.peers.postgres import run_async


def connect(api: httpx.Client, platform: str, base_url: str, credentials: dict[str, str]) -> dict[str, Any]:
    response = api.post("/v1/accounts", json={"platform": platform, "base_url": base_url, "credentials": credentials})
    assert response.status_code == 201, response.text
    return dict(response.json())


def publish(api: httpx.Client, platform: str, content: str, **fields: Any) -> str:
    """A draft to ``platform`` (with any further ``fields`` of the body), published now: the post's id."""
    post = api.post("/v1/posts", json={"content": content, "platforms": [platform], **fields}).json()
    assert api.post(f"/v1/posts/{post['id']}/publish").status_code == 200
    return str(post["id"])


def finish_with_another_worker(first: OctopostProcess, key: str, post_id: str) -> dict[str, Any]:
    """A second worker on ``first``'s database (``first`` was killed, or stalls) finishes the post once the lease
    runs out: the post as it ended. Both processes are stopped afterwards."""
    second = first.sibling().start()
    try:
        return wait_for_status(second.client(key), post_id, "published", "failed", timeout=60)
    finally:
        second.stop()
        first.stop()


def in_seconds(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")


def wait_for_status(api: httpx.Client, post_id: str, *statuses: str, timeout: float = 60) -> dict[str, Any]:
    """Poll the post until its status is one of ``statuses`` (a deadline, not a sleep)."""
    deadline = time.monotonic() + timeout
    last: dict[str, Any] = {}
    while time.monotonic() < deadline:
        last = api.get(f"/v1/posts/{post_id}").json()
        if last.get("status") in statuses:
            return last
        time.sleep(0.1)  # polling interval
    raise AssertionError(f"post {post_id} did not reach {statuses} within {timeout}s; last seen: {last}")


def wait_for(condition, *, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)  # polling interval
    raise AssertionError(f"{what} did not happen within {timeout}s")


def ledger(db_path: Path, post_id: str) -> list[tuple[str, int, str, str | None]]:
    """(platform, segment index, state, remote id) of every delivery row of the post."""
    with sqlite3.connect(db_path, timeout=30) as conn:
        rows = conn.execute(
            "SELECT t.platform, d.segment_index, d.state, d.remote_id FROM delivery d "
            "JOIN target t ON t.id = d.target_id WHERE t.post_id = ? ORDER BY t.platform, d.segment_index",
            (post_id,),
        ).fetchall()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def make_all_due(url: str) -> None:
    """The clock jumps an hour: every pending target and scheduled post comes due at the same moment, on either
    dialect. The one write behind the API's back, as tests/scheduler/test_crash_resume.py ages a ledger row:
    waiting an hour is not a test."""

    async def run() -> None:
        db = Database(url)
        try:
            async with db.transaction() as session:
                now = utcnow()
                await session.exec(update(Target).where(col(Target.status) == "pending").values(next_attempt_at=now))
                await session.exec(update(Post).where(col(Post.status) == "scheduled").values(scheduled_for=now))
        finally:
            await db.dispose()

    run_async(run())


async def seed(
    db: Database, posts: int, *, due: datetime, platforms: tuple[str, ...] = ("bluesky", "mastodon")
) -> None:
    """``posts`` scheduled posts in a new workspace, each with a pending target per platform, all due at ``due``."""
    async with db.transaction() as session:
        workspace = Workspace(id=new_id("ws"), name=new_id("name"))
        session.add(workspace)
        for n in range(posts):
            post = Post(
                id=new_id("post"),
                workspace_id=workspace.id,
                content=f"post {n}",
                platforms=list(platforms),
                status="scheduled",
                scheduled_for=due,
            )
            session.add(post)
            for platform in platforms:
                session.add(Target(id=new_id("tgt"), post_id=post.id, platform=platform, next_attempt_at=due))
