"""Series queries: a series locked while its rule or cursor moves, occurrences by time, the later unpublished
occurrences a rule change or an end removes, and the series the materializer has work in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from octopost.posts.state import PostStatus
from octopost.posts.tables import Post, Target
from octopost.series.tables import PostSeries

# Occurrences a series edit may replace: not yet publishing (publishing, published and failed ones stay).
REPLACEABLE = (PostStatus.DRAFT, PostStatus.SCHEDULED)


async def lock(session: AsyncSession, series_id: str) -> PostSeries | None:
    """The series, locked for this transaction (SQLite's write transactions are IMMEDIATE: already exclusive)."""
    query = select(PostSeries).where(col(PostSeries.id) == series_id).with_for_update()
    return (await session.exec(query)).first()


async def get(session: AsyncSession, series_id: str) -> PostSeries | None:
    return await session.get(PostSeries, series_id)


async def drop_later(session: AsyncSession, series_id: str, after: datetime, keep: str) -> None:
    """Delete the series' occurrences after ``after`` that have not started publishing (``keep`` aside). Their
    targets are locked first, in the order a claim takes them, so a concurrent claim cannot deadlock with this."""
    later = (
        col(Post.series_id) == series_id,
        col(Post.occurrence_at) > after,
        col(Post.id) != keep,
        col(Post.status).in_(REPLACEABLE),
    )
    await session.exec(
        select(Target.id).join(Post, col(Post.id) == col(Target.post_id)).where(*later).order_by(col(Target.id))
        .with_for_update()
    )
    await session.exec(delete(Post).where(*later))


async def occurrences_after(session: AsyncSession, series_id: str, after: datetime) -> dict[datetime, Post]:
    rows = await session.exec(
        select(Post).where(col(Post.series_id) == series_id, col(Post.occurrence_at) > after)
    )
    return {post.occurrence_at: post for post in rows.all() if post.occurrence_at is not None}


async def with_work(session: AsyncSession, now: datetime, horizon_end: datetime, limit: int) -> list[str]:
    """Series with an occurrence to create: the next one within the horizon, or none ahead of now any more."""
    rows = await session.exec(
        select(PostSeries.id)
        .where(
            col(PostSeries.next_at).is_not(None),
            or_(col(PostSeries.next_at) <= horizon_end, col(PostSeries.materialized_until) <= now),
        )
        .order_by(col(PostSeries.next_at))
        .limit(limit)
    )
    return list(rows.all())
