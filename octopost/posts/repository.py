"""Post, target and delivery queries. Everything is scoped to a workspace and a mode (test keys see test posts,
live keys live ones); lists load related rows in bulk."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, func, insert
from sqlalchemy import delete as sql_delete
from sqlalchemy import update as sql_update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from octopost.ids import new_id
from octopost.posts.state import TargetStatus
from octopost.posts.tables import Delivery, Post, PostCount, Target, Unpublish


async def get(
    session: AsyncSession, workspace_id: str, post_id: str, *, is_test: bool, for_update: bool = False
) -> Post | None:
    query = select(Post).where(Post.id == post_id, Post.workspace_id == workspace_id, Post.is_test == is_test)
    if for_update:  # ignored by SQLite, whose write transactions are IMMEDIATE
        await lock_targets(session, post_id)
        query = query.with_for_update()
    return (await session.exec(query)).first()


_POSTS: Table = Post.__table__  # type: ignore[attr-defined]
_INSERT_POST = insert(_POSTS)  # built once: SQLAlchemy remembers a statement's cache key


async def add(session: AsyncSession, post: Post) -> None:
    """Insert a new post now (a Core INSERT: the ORM's unit of work cost more than the write itself)."""
    await session.exec(_INSERT_POST, params={column.name: getattr(post, column.name) for column in _POSTS.columns})


async def add_many(session: AsyncSession, posts: list[Post]) -> None:
    """``add`` for many posts in one executemany INSERT (bulk import)."""
    if posts:
        rows = [{column.name: getattr(post, column.name) for column in _POSTS.columns} for post in posts]
        await session.exec(_INSERT_POST, params=rows)


async def add_targets(session: AsyncSession, targets: list[Target]) -> None:
    """New targets (``new_targets``) in one executemany INSERT."""
    if targets:
        table: Table = Target.__table__  # type: ignore[attr-defined]
        rows = [{column.name: getattr(t, column.name) for column in table.columns} for t in targets]
        await session.exec(insert(table), params=rows)


async def set_scheduled_for(session: AsyncSession, post: Post) -> None:
    """The time of a post inserted by ``add`` in this transaction, once it is known (a queue slot it took)."""
    await session.exec(sql_update(_POSTS).where(_POSTS.c.id == post.id).values(scheduled_for=post.scheduled_for))


async def lock_targets(session: AsyncSession, post_id: str) -> None:
    """Lock a post's targets, before the post itself: the order the scheduler takes them in (a claim locks
    targets, then updates their posts; a finishing target locks its post). Locking the post first and then
    replacing its targets deadlocks against a claim on PostgreSQL. A claim skips targets locked here."""
    await session.exec(
        select(Target.id).where(col(Target.post_id) == post_id).order_by(col(Target.id)).with_for_update()
    )


@dataclass(frozen=True)
class PageQuery:
    """What GET /v1/posts asks for: a status, a window of scheduled times (a calendar's), an order, a page."""

    status: str | None = None
    scheduled_from: datetime | None = None
    scheduled_to: datetime | None = None
    sort: str = "created_at"  # or "scheduled_for": soonest first, unscheduled posts last
    limit: int = 10
    offset: int = 0


async def page(session: AsyncSession, workspace_id: str, query: PageQuery, *, is_test: bool) -> tuple[list[Post], int]:
    filters = [col(Post.workspace_id) == workspace_id, col(Post.is_test) == is_test]
    if query.status:
        filters.append(col(Post.status) == query.status)
    if query.scheduled_from is not None:
        filters.append(col(Post.scheduled_for) >= query.scheduled_from)
    if query.scheduled_to is not None:
        filters.append(col(Post.scheduled_for) < query.scheduled_to)
    if len(filters) > 2:
        # Counted over its index: a per-status counter would need triggers on every status change, and those
        # would make concurrent transitions queue on one counter row (a deadlock risk on PostgreSQL).
        total = (await session.exec(select(func.count()).select_from(Post).where(*filters))).one()
    else:
        # One row kept exact by triggers on post INSERT/DELETE, instead of counting every post of the workspace.
        counted = await session.exec(
            select(PostCount.n).where(col(PostCount.workspace_id) == workspace_id, col(PostCount.is_test) == is_test)
        )
        total = counted.first() or 0
    order = (
        (col(Post.scheduled_for).asc().nulls_last(), col(Post.id))
        if query.sort == "scheduled_for"
        else (col(Post.created_at).desc(), col(Post.id).desc())
    )
    # A deferred join: OFFSET skips over the covering index alone (ids only), and only the page's rows are read.
    # Selecting whole rows, each skipped entry also cost a row lookup: 3.1 → 2.0 ms at offset 50,000 of 100k.
    page_ids = select(Post.id).where(*filters).order_by(*order).limit(query.limit).offset(query.offset).subquery()
    rows = await session.exec(select(Post).join(page_ids, col(Post.id) == page_ids.c.id).order_by(*order))
    return list(rows.all()), int(total)


async def targets_by_post(session: AsyncSession, post_ids: list[str]) -> dict[str, list[Target]]:
    found: dict[str, list[Target]] = defaultdict(list)
    if post_ids:
        for target in (await session.exec(select(Target).where(col(Target.post_id).in_(post_ids)))).all():
            found[target.post_id].append(target)
    return found


async def deliveries_by_target(session: AsyncSession, target_ids: list[str]) -> dict[str, list[Delivery]]:
    found: dict[str, list[Delivery]] = defaultdict(list)
    if target_ids:
        rows = await session.exec(
            select(Delivery).where(col(Delivery.target_id).in_(target_ids)).order_by(col(Delivery.segment_index))
        )
        for delivery in rows.all():
            found[delivery.target_id].append(delivery)
    return found


async def unpublishes_by_target(session: AsyncSession, target_ids: list[str]) -> dict[str, Unpublish]:
    if not target_ids:
        return {}
    rows = await session.exec(select(Unpublish).where(col(Unpublish.target_id).in_(target_ids)))
    return {row.target_id: row for row in rows.all()}


async def replace_targets(
    session: AsyncSession, post: Post, due: datetime, accounts: dict[str, str | None]
) -> list[Target]:
    """Drop the post's (unstarted) targets and queue one per platform, due at ``due``. With a primary platform the
    others wait (no time yet) until the primary's target has ended: scheduler/outcome.py releases them."""
    await session.exec(sql_delete(Target).where(col(Target.post_id) == post.id))
    targets = new_targets(post, due, accounts)
    session.add_all(targets)
    return targets


def new_targets(post: Post, due: datetime, accounts: dict[str, str | None]) -> list[Target]:
    """One pending target per platform of ``post`` (see replace_targets), not yet stored."""
    waits = post.primary_platform in post.platforms and len(post.platforms) > 1
    return [
        Target(
            id=new_id("tgt"),
            post_id=post.id,
            platform=platform,
            account_id=accounts.get(platform),
            status=TargetStatus.PENDING,
            next_attempt_at=None if waits and platform != post.primary_platform else due,
        )
        for platform in post.platforms
    ]


async def drop_targets(session: AsyncSession, post_id: str) -> None:
    await session.exec(sql_delete(Target).where(col(Target.post_id) == post_id))


async def oldest_overdue(session: AsyncSession, now: datetime) -> datetime | None:
    """When the longest-waiting due work became due: a pending target past its time, or an expired lease."""
    pending = (
        await session.exec(
            select(func.min(Target.next_attempt_at)).where(
                col(Target.status) == TargetStatus.PENDING, col(Target.next_attempt_at) <= now
            )
        )
    ).one()
    abandoned = (
        await session.exec(
            select(func.min(Target.lease_until)).where(
                col(Target.status) == TargetStatus.PUBLISHING, col(Target.lease_until) < now
            )
        )
    ).one()
    found = [t for t in (pending, abandoned) if t is not None]
    return min(found) if found else None
