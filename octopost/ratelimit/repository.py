"""The one counter statement per request: a hit in the key's current window, starting a new one when it ended."""

from __future__ import annotations

from sqlalchemy import Table, case, text
from sqlalchemy import delete as sql_delete
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from octopost.db import upsert_insert
from octopost.ratelimit.tables import RateLimitCounter

_TABLE: Table = RateLimitCounter.__table__  # type: ignore[attr-defined]


async def count_hit(session: AsyncSession, key_id: str, bucket: str, now_ms: int, window_ms: int) -> tuple[int, int]:
    """Atomically add one hit; returns (hits in the window, window start in ms). Safe across workers: the
    row is updated in place by INSERT … ON CONFLICT DO UPDATE … RETURNING (SQLite ≥ 3.35, PostgreSQL)."""
    insert = upsert_insert(session, _TABLE).values(key_id=key_id, bucket=bucket, window_start_ms=now_ms, hits=1)
    # A window ends window_ms after its first hit. A worker whose clock lags counts into the newer window.
    ended = insert.excluded.window_start_ms >= _TABLE.c.window_start_ms + window_ms
    statement = insert.on_conflict_do_update(
        index_elements=[_TABLE.c.key_id, _TABLE.c.bucket],
        set_={
            "hits": case((ended, 1), else_=_TABLE.c.hits + 1),
            "window_start_ms": case((ended, insert.excluded.window_start_ms), else_=_TABLE.c.window_start_ms),
        },
    ).returning(_TABLE.c.hits, _TABLE.c.window_start_ms)
    if session.get_bind().dialect.name == "postgresql":
        # A counter lost in a crash costs nothing; waiting for its WAL flush costs about 3 ms a request.
        await (await session.connection()).execute(text("SET LOCAL synchronous_commit TO OFF"))
    hits, window_start_ms = (await session.exec(statement)).one()
    return int(hits), int(window_start_ms)


async def purge_started_before(session: AsyncSession, cutoff_ms: int) -> int:
    """Drop counters of keys idle since ``cutoff_ms`` (a missing row is just a fresh window)."""
    result = await session.exec(sql_delete(RateLimitCounter).where(col(RateLimitCounter.window_start_ms) < cutoff_ms))
    return int(result.rowcount or 0)
