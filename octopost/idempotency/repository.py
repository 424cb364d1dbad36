"""Idempotency record queries. Every write is a compare-and-set, so two workers never both own a key."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Table
from sqlalchemy import delete as sql_delete
from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from octopost.db import upsert_insert
from octopost.idempotency.tables import IdempotencyRecord

_TABLE: Table = IdempotencyRecord.__table__  # type: ignore[attr-defined]
LOCKED = "locked"
COMPLETE = "complete"


async def try_lock(
    session: AsyncSession,
    *,
    workspace_id: str,
    is_test: bool,
    key: str,
    method_path: str,
    request_sha256: str,
    now: datetime,
) -> int | None:
    """Insert the key as running; its id, or None when the key is already taken (the unique constraint)."""
    statement = (
        upsert_insert(session, _TABLE)
        .values(
            workspace_id=workspace_id,
            is_test=is_test,
            idempotency_key=key,
            request_method_path=method_path,
            request_sha256=request_sha256,
            state=LOCKED,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=[_TABLE.c.workspace_id, _TABLE.c.is_test, _TABLE.c.idempotency_key])
        .returning(_TABLE.c.id)
    )
    row = (await session.exec(statement)).first()
    return None if row is None else int(row[0])


async def find(session: AsyncSession, workspace_id: str, is_test: bool, key: str) -> IdempotencyRecord | None:
    query = select(IdempotencyRecord).where(
        IdempotencyRecord.workspace_id == workspace_id,
        IdempotencyRecord.is_test == is_test,
        IdempotencyRecord.idempotency_key == key,
    )
    return (await session.exec(query)).first()


async def take_over(
    session: AsyncSession, record: IdempotencyRecord, *, method_path: str, request_sha256: str, now: datetime
) -> bool:
    """Restart an expired record (or one whose request died) as ours, if nobody else did meanwhile."""
    result = await session.exec(
        update(IdempotencyRecord)
        .where(col(IdempotencyRecord.id) == record.id, col(IdempotencyRecord.created_at) == record.created_at)
        .values(
            state=LOCKED,
            request_method_path=method_path,
            request_sha256=request_sha256,
            response_status=None,
            response_body=None,
            created_at=now,
            completed_at=None,
        )
    )
    return bool(result.rowcount)


async def complete(
    session: AsyncSession, record_id: int, locked_at: datetime, status: int, body: str, now: datetime
) -> None:
    await session.exec(
        update(IdempotencyRecord)
        .where(*_held(record_id, locked_at))
        .values(state=COMPLETE, response_status=status, response_body=body, completed_at=now)
    )


async def release(session: AsyncSession, record_id: int, locked_at: datetime) -> None:
    await session.exec(sql_delete(IdempotencyRecord).where(*_held(record_id, locked_at)))


async def purge_created_before(session: AsyncSession, cutoff: datetime) -> int:
    result = await session.exec(sql_delete(IdempotencyRecord).where(col(IdempotencyRecord.created_at) < cutoff))
    return int(result.rowcount or 0)


def _held(record_id: int, locked_at: datetime) -> tuple[ColumnElement[bool], ...]:
    # Fencing: only while the record is still the lock this request took (not taken over after it stalled).
    return (
        col(IdempotencyRecord.id) == record_id,
        col(IdempotencyRecord.state) == LOCKED,
        col(IdempotencyRecord.created_at) == locked_at,
    )
