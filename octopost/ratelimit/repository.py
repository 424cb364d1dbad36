"""The one counter statement per request: a hit in the key's current window, starting a new one when it ended."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Table, bindparam, case, text
from sqlalchemy import delete as sql_delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from octopost.ratelimit.tables import RateLimitCounter

_TABLE: Table = RateLimitCounter.__table__  # type: ignore[attr-defined]


def _count_hit_statement(dialect: str) -> Any:
    insert = (sqlite.insert if dialect == "sqlite" else postgresql.insert)(_TABLE).values(
        key_id=bindparam("key_id"), bucket=bindparam("bucket"), window_start_ms=bindparam("now_ms"), hits=1
    )
    # A window ends window_ms after its first hit. A worker whose clock lags counts into the newer window.
    ended = insert.excluded.window_start_ms >= _TABLE.c.window_start_ms + bindparam("window_ms", type_=BigInteger)
    return insert.on_conflict_do_update(
        index_elements=[_TABLE.c.key_id, _TABLE.c.bucket],
        set_={
            "hits": case((ended, 1), else_=_TABLE.c.hits + 1),
            "window_start_ms": case((ended, insert.excluded.window_start_ms), else_=_TABLE.c.window_start_ms),
        },
    ).returning(_TABLE.c.hits, _TABLE.c.window_start_ms)


# Built once: SQLAlchemy keys its compiled-statement cache on a traversal of the statement, which for this
# upsert cost more CPU than running it; a statement object remembers its key.
_COUNT_HIT = {dialect: _count_hit_statement(dialect) for dialect in ("sqlite", "postgresql")}


async def count_hit(session: AsyncSession, key_id: str, bucket: str, now_ms: int, window_ms: int) -> tuple[int, int]:
    """Atomically add one hit; returns (hits in the window, window start in ms). Safe across workers: the
    row is updated in place by INSERT … ON CONFLICT DO UPDATE … RETURNING (SQLite ≥ 3.35, PostgreSQL)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        # A counter lost in a crash costs nothing; waiting for its WAL flush costs about 3 ms a request.
        await (await session.connection()).execute(text("SET LOCAL synchronous_commit TO OFF"))
    params = {"key_id": key_id, "bucket": bucket, "now_ms": now_ms, "window_ms": window_ms}
    hits, window_start_ms = (await session.execute(_COUNT_HIT[dialect], params)).one()
    return int(hits), int(window_start_ms)


async def purge_started_before(session: AsyncSession, cutoff_ms: int) -> int:
    """Drop counters of keys idle since ``cutoff_ms`` (a missing row is just a fresh window)."""
    result = await session.exec(sql_delete(RateLimitCounter).where(col(RateLimitCounter.window_start_ms) < cutoff_ms))
    return int(result.rowcount or 0)
