"""The database: engine and sessions for SQLite (default) and PostgreSQL, and the UTC timestamp type."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Table, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.types import TypeDecorator
from sqlmodel.ext.asyncio.session import AsyncSession

from octopost.sqlite import WRITE_OPTION, Checkpointer, create_sqlite_engine


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in and out on every dialect (SQLite drops tzinfo from DateTime(timezone=True))."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def upsert_insert(session: AsyncSession, table: Table) -> sqlite.Insert | postgresql.Insert:
    """An INSERT that takes ON CONFLICT … DO UPDATE/NOTHING and RETURNING (SQLite ≥ 3.35 and PostgreSQL)."""
    if session.get_bind().dialect.name == "sqlite":
        return sqlite.insert(table)
    return postgresql.insert(table)


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def create_engine(url: str, *, pool_size: int = 5, max_overflow: int = 10) -> AsyncEngine:
    """SQLite: one file, WAL, writers queue. PostgreSQL: a pool per process of ``pool_size`` kept connections
    plus up to ``max_overflow`` more under load (every process of a deployment has its own pool, and all of them
    together must stay under the server's max_connections, 100 by default)."""
    if is_sqlite(url):
        return create_sqlite_engine(url)
    engine = create_async_engine(url, pool_size=pool_size, max_overflow=max_overflow)

    @event.listens_for(engine.sync_engine, "checkout")
    def _replace_closed(_dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        # A connection the server closed (restart, idle timeout, pg_terminate_backend) is replaced, not handed
        # out broken: asyncpg marks it closed as soon as the event loop reads the server's goodbye. Not
        # pool_pre_ping, which costs three round trips on every checkout (a third of a worker's throughput).
        if record.driver_connection is not None and record.driver_connection.is_closed():
            raise DisconnectionError("the server closed this pooled connection")

    return engine


class Database:
    """Owns the engine and hands out sessions. One per process."""

    def __init__(self, url: str, *, pool_size: int = 5, max_overflow: int = 10) -> None:
        self.url = url
        self.engine = create_engine(url, pool_size=pool_size, max_overflow=max_overflow)
        self._sessions = async_sessionmaker(self.engine, class_=AsyncSession, expire_on_commit=False)
        self._write_sessions = async_sessionmaker(
            self.engine, class_=AsyncSession, expire_on_commit=False, execution_options={WRITE_OPTION: True}
        )
        # SQLite has one writer at a time. Left to SQLite, waiting writers poll the lock with growing sleeps
        # (busy_timeout): under load they queue for up to a second behind a 1 ms transaction. Writers of this
        # process queue here instead, in order, and wake the moment the lock is free; busy_timeout still
        # covers other processes (`octopost keys create`, a second worker).
        self._write_lock = asyncio.Lock() if is_sqlite(url) else None
        self._checkpointer = Checkpointer(url) if is_sqlite(url) else None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self._sessions() as session:
            yield session

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session whose work commits on success and rolls back on error."""
        if self._write_lock is None or self._checkpointer is None:
            async with self._write_sessions() as session, session.begin():
                yield session
            return
        async with self._write_lock, self._write_sessions() as session, session.begin():
            yield session
        self._checkpointer.after_write()

    async def dispose(self) -> None:
        if self._checkpointer is not None:
            await self._checkpointer.aclose()
        await self.engine.dispose()
