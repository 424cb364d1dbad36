"""Queries of uploads and of the posts that reference them (by the id inside their media, segments, overrides)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from octopost.posts.tables import Post
from octopost.uploads.tables import Upload


async def get(session: AsyncSession, workspace_id: str, is_test: bool, media_id: str) -> Upload | None:
    row = await session.get(Upload, media_id)
    if row is None or row.workspace_id != workspace_id or row.is_test != is_test:
        return None
    return row


async def of_workspace(session: AsyncSession, workspace_id: str, is_test: bool, ids: Iterable[str]) -> list[Upload]:
    rows = await session.exec(
        select(Upload).where(
            col(Upload.id).in_(list(ids)), Upload.workspace_id == workspace_id, Upload.is_test == is_test
        )
    )
    return list(rows)


def _mentions(media_id: str) -> sa.ColumnElement[bool]:
    # Ids are 24 random characters, so a substring match of the stored JSON names exactly this upload.
    return sa.or_(
        *(sa.cast(column, sa.Text).contains(media_id) for column in (Post.media, Post.segments, Post.overrides))
    )


async def referencing_posts(
    session: AsyncSession, upload: Upload, statuses: Sequence[str] | None = None
) -> list[str]:
    query = select(Post.id).where(Post.workspace_id == upload.workspace_id, _mentions(upload.id))
    if statuses is not None:
        query = query.where(col(Post.status).in_(list(statuses)))
    return list(await session.exec(query.order_by(col(Post.id))))


async def older_than(session: AsyncSession, cutoff: datetime, limit: int) -> list[Upload]:
    query = select(Upload).where(Upload.created_at < cutoff).order_by(col(Upload.created_at)).limit(limit)
    return list(await session.exec(query))
