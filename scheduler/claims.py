"""Claiming due work from the database: the one mechanism that keeps any number of workers correct.

One transaction claims: a locking read of due candidates (SELECT … LIMIT n [FOR UPDATE SKIP LOCKED]) and an
UPDATE … RETURNING of those that fit each platform's room, so two workers never hold the same target; every
later write is fenced by the lease owner.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CompoundSelect, and_, union_all, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from octopost.db import Database
from octopost.metrics import record
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
    platform: str


@dataclass(frozen=True)
class Claim:
    claimed: list[Claimed]
    more: bool  # more work of any platform may be due now (the window or the limit was filled)
    full: frozenset[str]  # platforms that used all their room: more of theirs may be due now
    next_due: datetime | None  # the earliest pending target due after ``now`` (to wake up for it)


# Candidates read per claimed slot: a platform at its limit leaves rows of others in the window.
_WINDOW = 4


def _candidates(db: Database, now: datetime, window: int, platforms: Collection[str] | None) -> CompoundSelect[Any]:
    """Due targets (pending and due, or held under an expired lease), earliest first, each kind through its
    own index: ix_target_due (status, next_attempt_at) and ix_target_lease (status, lease_until)."""
    kinds = [
        and_(_target.c.status == TargetStatus.PENDING, _target.c.next_attempt_at <= now),
        and_(_target.c.status == TargetStatus.PUBLISHING, _target.c.lease_until < now),
    ]
    order = [_target.c.next_attempt_at, _target.c.lease_until]
    parts = []
    for kind, by in zip(kinds, order, strict=True):
        # status: a row still `publishing` is a takeover of an expired lease (counted in the metrics).
        part = select(_target.c.id, _target.c.status, _target.c.platform, _target.c.next_attempt_at).where(kind)
        if platforms is not None:
            part = part.where(_target.c.platform.in_(sorted(platforms)))
        part = part.order_by(by).limit(window)
        if db.dialect == "postgresql":
            part = part.with_for_update(skip_locked=True)  # rows another claimer is taking are skipped, not waited for
        parts.append(part.subquery())
    return union_all(*(select(*part.c) for part in parts))


async def claim(
    db: Database,
    owner: str,
    now: datetime,
    lease: timedelta,
    limit: int,
    rooms: Mapping[str, int] | None = None,
) -> Claim:
    """Claim up to ``limit`` due targets, and with ``rooms`` at most ``rooms[p]`` of platform p (others: none).

    One transaction: read a window of due candidates (locked with SKIP LOCKED on PostgreSQL), keep what fits
    each platform's room, earliest first, and mark those ours under a lease."""
    if rooms is not None:
        rooms = {p: n for p, n in rooms.items() if n > 0}
        limit = min(limit, sum(rooms.values()))
    if limit <= 0:
        return Claim([], more=False, full=frozenset(), next_due=await next_due(db, now))
    window = limit * _WINDOW if rooms is not None and len(rooms) > 1 else limit
    async with db.transaction() as session:
        rows = (await session.exec(_candidates(db, now, window, rooms))).all()  # type: ignore[call-overload]
        left = dict(rooms) if rooms is not None else None
        chosen: list[str] = []
        for row in sorted(rows, key=lambda r: r.next_attempt_at):
            if len(chosen) == limit:
                break
            if left is not None:
                if left.get(row.platform, 0) <= 0:
                    continue
                left[row.platform] -= 1
            chosen.append(row.id)
        more = len(rows) >= window or len(rows) > len(chosen) == limit
        full = frozenset(p for p, n in (left or {}).items() if n <= 0)
        claimed = await _take(session, owner, now, lease, chosen) if chosen else []
        upcoming = await _next_due(session, now)
    record.claimed(now, rows, set(chosen))  # dispatch lateness and lease takeovers
    return Claim(claimed, more=more, full=full, next_due=upcoming)


async def claim_due(db: Database, owner: str, now: datetime, lease: timedelta, limit: int) -> list[Claimed]:
    """Claim up to ``limit`` targets that are due, or whose holder's lease expired (a dead worker's)."""
    return (await claim(db, owner, now, lease, limit)).claimed


async def _take(session: AsyncSession, owner: str, now: datetime, lease: timedelta, ids: list[str]) -> list[Claimed]:
    # By id alone: the rows were read under the write lock (SQLite) or are locked (PostgreSQL's FOR UPDATE
    # re-checks them), so they are still due. A status condition here made SQLite scan the status indexes.
    rows = (
        await session.exec(
            update(_target)
            .where(_target.c.id.in_(ids))
            .values(status=TargetStatus.PUBLISHING, lease_owner=owner, lease_until=now + lease)
            .returning(_target.c.id, _target.c.post_id, _target.c.platform)
        )
    ).all()
    claimed = [Claimed(target_id=row[0], post_id=row[1], platform=row[2]) for row in rows]
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


async def _next_due(session: AsyncSession, now: datetime) -> datetime | None:
    # ORDER BY … LIMIT 1 rather than min(): one step into ix_target_due on both dialects.
    query = (
        select(_target.c.next_attempt_at)
        .where(_target.c.status == TargetStatus.PENDING, _target.c.next_attempt_at > now)
        .order_by(_target.c.next_attempt_at)
        .limit(1)
    )
    return (await session.exec(query)).first()


async def next_due(db: Database, now: datetime) -> datetime | None:
    """When the earliest pending target comes due after ``now`` (None: nothing is scheduled)."""
    async with db.session() as session:
        return await _next_due(session, now)


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
