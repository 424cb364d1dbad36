"""Claiming due work from the database: the one mechanism that keeps any number of workers correct.

One statement claims (UPDATE … WHERE id IN (SELECT … LIMIT n [FOR UPDATE SKIP LOCKED]) RETURNING), so two
workers never hold the same target; every later write is fenced by the lease owner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from octopost.db import Database
from octopost.posts.state import PostStatus, TargetStatus
from octopost.posts.tables import Post, Target

_target = Target.__table__  # type: ignore[attr-defined]
_post = Post.__table__  # type: ignore[attr-defined]


class LeaseLost(Exception):
    """Another worker owns this target now (our lease expired): stop without writing anything."""


@dataclass(frozen=True)
class Claimed:
    target_id: str
    post_id: str


async def claim_due(db: Database, owner: str, now: datetime, lease: timedelta, limit: int) -> list[Claimed]:
    """Claim up to ``limit`` targets that are due, or whose holder's lease expired (a dead worker's)."""
    if limit <= 0:
        return []
    due = (
        select(_target.c.id)
        .where(
            or_(
                and_(_target.c.status == TargetStatus.PENDING, _target.c.next_attempt_at <= now),
                and_(_target.c.status == TargetStatus.PUBLISHING, _target.c.lease_until < now),
            )
        )
        .order_by(_target.c.next_attempt_at)
        .limit(limit)
    )
    if db.dialect == "postgresql":
        due = due.with_for_update(skip_locked=True)
    claim = (
        update(_target)
        .where(_target.c.id.in_(due.scalar_subquery()))
        .values(status=TargetStatus.PUBLISHING, lease_owner=owner, lease_until=now + lease)
        .returning(_target.c.id, _target.c.post_id)
    )
    async with db.transaction() as session:
        rows = (await session.exec(claim)).all()
        claimed = [Claimed(target_id=row[0], post_id=row[1]) for row in rows]
        post_ids = sorted({c.post_id for c in claimed})
        if post_ids:
            # Posts are locked in id order (a locking SELECT … ORDER BY locks as it sorts), so two claimers
            # whose targets share posts queue on the first shared post instead of deadlocking. NO KEY UPDATE:
            # the weakest lock an UPDATE of non-key columns needs (it doesn't block foreign-key checks).
            locked = select(_post.c.id).where(_post.c.id.in_(post_ids)).order_by(_post.c.id)
            await session.exec(locked.with_for_update(key_share=True))
            await session.exec(
                update(_post)
                .where(_post.c.id.in_(post_ids), _post.c.status == PostStatus.SCHEDULED)
                .values(status=PostStatus.PUBLISHING, updated_at=now)
            )
    return claimed


async def renew(db: Database, owner: str, target_ids: list[str], until: datetime) -> set[str]:
    """Extend our leases; returns the ids we still hold."""
    if not target_ids:
        return set()
    async with db.transaction() as session:
        rows = await session.exec(
            update(_target)
            .where(
                _target.c.id.in_(target_ids),
                _target.c.lease_owner == owner,
                _target.c.status == TargetStatus.PUBLISHING,
            )
            .values(lease_until=until)
            .returning(_target.c.id)
        )
        return {row[0] for row in rows.all()}


async def fence(session: AsyncSession, target_id: str, owner: str) -> None:
    """Inside a write transaction: proceed only while we hold the target's lease (else LeaseLost)."""
    held = await session.exec(
        select(_target.c.id)
        .where(_target.c.id == target_id, _target.c.lease_owner == owner, _target.c.status == TargetStatus.PUBLISHING)
        # Holds the row until commit on PostgreSQL; SQLite's IMMEDIATE transaction already excludes writers.
        .with_for_update()
    )
    if held.first() is None:
        raise LeaseLost(target_id)
