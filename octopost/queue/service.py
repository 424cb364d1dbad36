"""The queue's schedule (read, replace) and its next free slots. A slot is free when no post holds it: neither a
post that took it with ``next_free_slot`` (a claim) nor a scheduled post set for that very instant by hand."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from itertools import islice

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from octopost.db import utcnow
from octopost.errors import ValidationFailed
from octopost.keys.service import Caller
from octopost.posts.state import PostStatus
from octopost.posts.tables import Post
from octopost.queue import schemas
from octopost.queue.slots import InvalidSchedule, Slot, parse_slots, upcoming, zone
from octopost.queue.tables import QueueSchedule, SlotClaim
from octopost.runtime import Runtime
from octopost.timefmt import iso

DEFAULT_TIMEZONE = "UTC"
MAX_PREVIEW = 50
_BATCH = 20  # candidate slots whose holders are read in one query


def _read(row: QueueSchedule | None) -> schemas.QueueSchedule:
    if row is None:
        return schemas.QueueSchedule(timezone=DEFAULT_TIMEZONE, slots=[])
    return schemas.QueueSchedule(timezone=row.timezone, slots=[schemas.QueueSlot(**s) for s in row.slots])


async def schedule_of(session: AsyncSession, workspace_id: str, is_test: bool) -> QueueSchedule | None:
    return await session.get(QueueSchedule, (workspace_id, is_test))


async def get_schedule(runtime: Runtime, caller: Caller) -> schemas.QueueSchedule:
    async with runtime.db.session() as session:
        return _read(await schedule_of(session, caller.workspace_id, caller.is_test))


async def put_schedule(runtime: Runtime, caller: Caller, data: schemas.QueueSchedule) -> schemas.QueueSchedule:
    problems: list[str] = []
    try:
        zone(data.timezone)
    except InvalidSchedule as exc:
        problems.extend(exc.problems)
    try:
        slots = parse_slots([{"day": s.day, "time": s.time} for s in data.slots])
    except InvalidSchedule as exc:
        problems.extend(exc.problems)
    if problems:
        raise ValidationFailed.of(problems)
    async with runtime.db.transaction() as session:
        row = await schedule_of(session, caller.workspace_id, caller.is_test)
        if row is None:
            row = QueueSchedule(workspace_id=caller.workspace_id, is_test=caller.is_test, timezone=data.timezone)
        row.timezone = data.timezone
        row.slots = [slot.label for slot in slots]
        row.updated_at = utcnow()
        session.add(row)
    return _read(row)


def candidates(row: QueueSchedule | None, after: datetime) -> Iterator[tuple[datetime, Slot]]:
    """Every slot instant after ``after``, with the slot it comes from."""
    if row is None or not row.slots:
        return
    slots = parse_slots(row.slots)
    for instant in upcoming(slots, row.timezone, after):
        local = instant.astimezone(zone(row.timezone))
        yield instant, next(s for s in slots if s.weekday == local.weekday() and _near(s, local))


def _near(slot: Slot, local: datetime) -> bool:
    """The slot an instant came from (a slot moved out of a DST gap lands up to an hour after its time)."""
    minutes = local.hour * 60 + local.minute - (slot.at.hour * 60 + slot.at.minute)
    return 0 <= minutes <= 60


async def held(session: AsyncSession, workspace_id: str, is_test: bool, instants: list[datetime]) -> set[datetime]:
    """Which of ``instants`` a post holds already."""
    claims = await session.exec(
        select(SlotClaim.slot_at).where(
            SlotClaim.workspace_id == workspace_id,
            SlotClaim.is_test == is_test,
            col(SlotClaim.slot_at).in_(instants),
        )
    )
    scheduled = await session.exec(
        select(Post.scheduled_for).where(
            Post.workspace_id == workspace_id,
            Post.is_test == is_test,
            Post.status == PostStatus.SCHEDULED,
            col(Post.scheduled_for).in_(instants),
        )
    )
    return {at for at in [*claims.all(), *scheduled.all()] if at is not None}


async def free(
    session: AsyncSession, row: QueueSchedule | None, after: datetime
) -> AsyncIterator[tuple[datetime, Slot]]:
    """The free slots after ``after`` in order, for as long as the caller reads (holders read a batch at a time)."""
    if row is None:
        return
    source = candidates(row, after)
    while batch := list(islice(source, _BATCH)):
        taken = await held(session, row.workspace_id, row.is_test, [at for at, _ in batch])
        for item in batch:
            if item[0] not in taken:
                yield item


async def upcoming_free(runtime: Runtime, caller: Caller, count: int) -> schemas.UpcomingSlots:
    if not 1 <= count <= MAX_PREVIEW:
        raise ValidationFailed.of([f"count must be between 1 and {MAX_PREVIEW}, got {count}"])
    free_now: list[schemas.UpcomingSlot] = []
    async with runtime.db.session() as session:
        row = await schedule_of(session, caller.workspace_id, caller.is_test)
        async for at, slot in free(session, row, utcnow()):
            free_now.append(schemas.UpcomingSlot(scheduled_for=iso(at) or "", **slot.label))
            if len(free_now) == count:
                break
    return schemas.UpcomingSlots(timezone=_read(row).timezone, slots=free_now)
