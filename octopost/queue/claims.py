"""``scheduled_for: "next_free_slot"``: a post takes the next free slot of its workspace's queue, inside the
transaction that schedules it. The claim's unique key (workspace, mode, instant) settles a race: of two requests
that pick the same slot, one inserts its claim and the other's savepoint fails, so it moves on to the next slot."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from octopost.errors import ValidationFailed
from octopost.posts.tables import Post
from octopost.queue.service import free, schedule_of
from octopost.queue.tables import SlotClaim

NEXT_FREE_SLOT = "next_free_slot"
_claims = SlotClaim.__table__  # type: ignore[attr-defined]


async def claim_next(session: AsyncSession, post: Post, now: datetime) -> datetime:
    """The instant of the slot ``post`` (already in the database) now holds; a previous claim of it is given up
    first, so asking again may keep the same slot."""
    await release(session, post.id)
    workspace_id, is_test, post_id = post.workspace_id, post.is_test, post.id
    row = await schedule_of(session, workspace_id, is_test)
    if row is None or not row.slots:
        raise ValidationFailed.of(
            ["scheduled_for is next_free_slot but the queue has no slots: set them with PUT /v1/queue"]
        )
    async for at, _ in free(session, row, now):
        try:
            async with session.begin_nested():
                session.add(SlotClaim(post_id=post_id, workspace_id=workspace_id, is_test=is_test, slot_at=at))
        except IntegrityError:
            continue  # another request took this slot a moment ago
        return at
    raise ValidationFailed.of(["the queue has no free slot in the next ten years"])


async def release(session: AsyncSession, post_id: str) -> None:
    """The post no longer holds a slot (rescheduled by hand, unscheduled, or taking another)."""
    await session.exec(delete(_claims).where(_claims.c.post_id == post_id))
