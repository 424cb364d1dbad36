"""The delivery ledger: a row is written `sending` before each remote call and `sent` right after it.

A `sending` row found later means the outcome of that call is unknown; the publisher decides per platform
how to resolve it (look it up, resend with the same idempotency key, or mark the target unconfirmed).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from adapters.base import PublishedRef
from octopost.db import Database, utcnow
from octopost.posts.tables import Delivery
from scheduler.claims import LeaseLost, fence

SENDING = "sending"
SENT = "sent"
# The platform is processing the segment (a container, an upload session): the row's `handle` is where its adapter
# continues from (adapters.base.Pending), on the next attempt and after any crash.
PENDING = "pending"

# Writes go through the Core table: an ORM-enabled UPDATE first searches the session for objects to keep in step
# (nothing here reads them back), which cost more CPU than the statement.
_delivery = Delivery.__table__  # type: ignore[attr-defined]


async def deliveries(session: AsyncSession, target_id: str) -> dict[int, Delivery]:
    """The target's ledger rows by segment index, read in the caller's session (with the target it loads)."""
    rows = await session.exec(select(Delivery).where(Delivery.target_id == target_id))
    return {d.segment_index: d for d in rows.all()}


async def mark_sending(db: Database, target_id: str, owner: str, index: int, key: str) -> None:
    async with db.transaction() as session:
        await fence(session, target_id, owner)
        await _add_sending(session, target_id, index, key, utcnow())


async def mark_sent(db: Database, target_id: str, owner: str, index: int, ref: PublishedRef) -> None:
    async with db.transaction() as session:
        await set_sent(session, target_id, index, ref, utcnow())


async def mark_sent_and_sending(
    db: Database, target_id: str, owner: str, sent: tuple[int, PublishedRef], index: int, key: str
) -> None:
    """Segment ``sent`` is on the platform and segment ``index`` starts: both in one commit, so each reply of a
    thread waits for one write, not two. The `sent` row is kept even when the lease was lost (as in mark_sent);
    the `sending` row is written only while we hold the lease (as in mark_sending)."""
    now = utcnow()  # one clock read per write
    async with db.transaction() as session:
        await set_sent(session, target_id, *sent, now)
        try:
            await fence(session, target_id, owner)
        except LeaseLost:
            lost = True
        else:
            lost = False
            await _add_sending(session, target_id, index, key, now)
    if lost:
        raise LeaseLost(target_id)


async def _add_sending(session: AsyncSession, target_id: str, index: int, key: str, now: datetime) -> None:
    await session.exec(
        insert(_delivery).values(
            target_id=target_id, segment_index=index, state=SENDING, idempotency_key=key, created_at=now
        )
    )


async def set_sent(session: AsyncSession, target_id: str, index: int, ref: PublishedRef, now: datetime) -> None:
    """Inside a write transaction. Not fenced: the remote post exists, so recording it is always right,
    whoever holds the lease now."""
    await session.exec(
        update(_delivery)
        .where(_delivery.c.target_id == target_id, _delivery.c.segment_index == index)
        .values(
            state=SENT,
            remote_id=ref.id,
            remote_url=ref.url,
            remote_uri=ref.uri,
            remote_cid=ref.cid,
            sent_at=now,
        )
    )


async def mark_pending(db: Database, target_id: str, owner: str, index: int, handle: str) -> None:
    """The call answered Pending: what it started is recorded before the target lets go of its lease. Fenced:
    a worker that lost the lease must not overwrite the handle of the one that holds it."""
    async with db.transaction() as session:
        await fence(session, target_id, owner)
        await session.exec(
            update(_delivery)
            .where(_delivery.c.target_id == target_id, _delivery.c.segment_index == index)
            .values(state=PENDING, handle=handle)
        )


async def forget_sending(db: Database, target_id: str, owner: str, index: int) -> None:
    """The platform said the call was not applied: the next attempt starts this segment afresh."""
    async with db.transaction() as session:
        await fence(session, target_id, owner)
        await session.exec(
            delete(_delivery).where(
                _delivery.c.target_id == target_id,
                _delivery.c.segment_index == index,
                _delivery.c.state == SENDING,
            )
        )


def ref_of(delivery: Delivery) -> PublishedRef:
    return PublishedRef(
        id=delivery.remote_id or "",
        url=delivery.remote_url or "",
        uri=delivery.remote_uri,
        cid=delivery.remote_cid,
    )
