"""A thread's ledger writes, one commit per step: segment i `sent` goes with segment i+1 `sending`, and the last
segment's `sent` with the target's success. Fencing stays as it was: what is on the platform is recorded
whoever holds the lease; a new `sending` row and the success only by the holder. On SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from adapters.base import PublishedRef
from octopost.db import Database
from octopost.ids import new_id
from octopost.keys.tables import Workspace
from octopost.posts.tables import Delivery, Post, Target
from scheduler import claims, ledger, outcome
from scheduler.claims import LeaseLost

LEASE = timedelta(seconds=60)
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
FIRST = PublishedRef(id="101", url="https://example.invalid/101")
SECOND = PublishedRef(id="102", url="https://example.invalid/102")


async def _claimed_target(db: Database, owner: str) -> Target:
    async with db.transaction() as session:
        workspace = Workspace(id=new_id("ws"), name=new_id("name"))
        post = Post(
            id=new_id("post"),
            workspace_id=workspace.id,
            content="main",
            segments=[{"content": "reply"}],
            platforms=["mastodon"],
            status="scheduled",
            scheduled_for=T0,
        )
        session.add_all([workspace, post])
        session.add(Target(id=new_id("tgt"), post_id=post.id, platform="mastodon", next_attempt_at=T0))
    [claimed] = await claims.claim_due(db, owner, T0, LEASE, limit=1)
    async with db.session() as session:
        return (await session.exec(select(Target).where(Target.id == claimed.target_id))).one()


async def _ledger(db: Database) -> list[tuple[int, str, str | None]]:
    async with db.session() as session:
        rows = (await session.exec(select(Delivery).order_by(col(Delivery.segment_index)))).all()
        return [(d.segment_index, d.state, d.remote_id) for d in rows]


async def _target_and_post(db: Database, target_id: str) -> tuple[str, str | None, str]:
    async with db.session() as session:
        target = (await session.exec(select(Target).where(Target.id == target_id))).one()
        post = (await session.exec(select(Post).where(Post.id == target.post_id))).one()
        return target.status, target.lease_owner, post.status


async def test_a_thread_is_one_commit_per_step_and_ends_published(migrated_database_url: str) -> None:
    db = Database(migrated_database_url)
    try:
        target = await _claimed_target(db, "a")
        await ledger.mark_sending(db, target.id, "a", 0, "key-0")
        await ledger.mark_sent_and_sending(db, target.id, "a", (0, FIRST), 1, "key-1")
        assert await _ledger(db) == [(0, "sent", "101"), (1, "sending", None)]
        await outcome.succeed(db, target, "a", FIRST, None, last_sent=(1, SECOND))
        assert await _ledger(db) == [(0, "sent", "101"), (1, "sent", "102")]
        assert await _target_and_post(db, target.id) == ("succeeded", None, "published")
    finally:
        await db.dispose()


@pytest.mark.parametrize("step", ["next segment", "success"])
async def test_a_lost_lease_keeps_the_sent_segment_and_refuses_the_rest(migrated_database_url: str, step: str) -> None:
    a, b = Database(migrated_database_url), Database(migrated_database_url)
    try:
        target = await _claimed_target(a, "a")
        await ledger.mark_sending(a, target.id, "a", 0, "key-0")
        # a stalls past its lease while its call goes through; b takes the target over.
        [taken] = await claims.claim_due(b, "b", T0 + 3 * LEASE, LEASE, limit=1)
        assert taken.target_id == target.id
        late_write = (
            ledger.mark_sent_and_sending(a, target.id, "a", (0, FIRST), 1, "key-1")
            if step == "next segment"
            else outcome.succeed(a, target, "a", FIRST, None, last_sent=(0, FIRST))
        )
        with pytest.raises(LeaseLost):
            await late_write
        # The post that exists is recorded (b resumes after it); a's new row and success are not.
        assert await _ledger(b) == [(0, "sent", "101")]
        assert await _target_and_post(b, target.id) == ("publishing", "b", "publishing")
    finally:
        await a.dispose()
        await b.dispose()
