"""The SQLite engine: WAL, one writer at a time, and driver calls made on the event loop's own thread.

aiosqlite runs every driver call (cursor, execute, fetch, close, commit: about 20 for one API request) on a
thread of its own and wakes the event loop for each answer. On a local file those calls take microseconds,
but each hand-over costs ~75 µs of CPU and, under load, waits for the GIL and for the busy loop to come back
to it: `POST /v1/posts` served 270 requests/s with a p99 of one second. Here the same aiosqlite connection
runs each call inline instead. The one call that can wait long — taking the write lock while another
process holds it — is tried without waiting first and only then waited for on a thread, so a blocked
writer never stalls the loop.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from typing import Any

import aiosqlite
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.util import await_

BUSY_TIMEOUT_MS = 30_000
WRITE_OPTION = "octopost_write"  # an execution option: this transaction writes (begin it IMMEDIATE)


class _InlineQueue:
    """Stands in for aiosqlite's queue to its thread (SQLAlchemy puts one job there directly): runs it now."""

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as exc:
            if future is not None:
                future.set_exception(exc)
            return
        if future is not None:
            future.set_result(result)


class InlineConnection(aiosqlite.Connection):
    """aiosqlite's connection, without its thread: every call runs where it is awaited."""

    def __init__(self, connector: Callable[[], sqlite3.Connection]) -> None:
        super().__init__(connector, iter_chunk_size=64)
        self._tx = _InlineQueue()  # type: ignore[assignment]

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        return fn(*args, **kwargs)

    async def _connect(self) -> InlineConnection:
        if self._connection is None:
            self._connection = self._connector()
        return self

    def __await__(self) -> Any:
        return self._connect().__await__()  # no thread to start

    def stop(self) -> None:
        self._running = False
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    async def begin_immediate(self) -> None:
        """Take the write lock: at once when it is free, else wait for it on a thread (another process has it)."""
        conn = self._conn
        conn.execute("PRAGMA busy_timeout=0")
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise
        finally:
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        await asyncio.to_thread(conn.execute, "BEGIN IMMEDIATE")


class Checkpointer:
    """Copies the WAL back into the database file every ``every`` write transactions, on a thread of its own
    and its own connection (a PASSIVE checkpoint runs beside readers and the writer, never blocking them)."""

    def __init__(self, url: str, every: int = 200) -> None:
        self.path = database_path(url)
        self.every = every
        self._writes = 0
        self._running: asyncio.Future[None] | None = None

    def after_write(self) -> None:
        self._writes += 1
        if self._writes < self.every or (self._running is not None and not self._running.done()):
            return
        self._writes = 0
        self._running = asyncio.get_running_loop().run_in_executor(None, self._checkpoint)

    def _checkpoint(self) -> None:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            conn.close()

    async def aclose(self) -> None:
        if self._running is not None:
            await self._running


def database_path(url: str) -> str:
    return make_url(url).database or ":memory:"


def create_sqlite_engine(url: str) -> AsyncEngine:
    path = database_path(url)

    async def connect() -> InlineConnection:
        # check_same_thread off: the one call that may wait for the lock runs on a thread (begin_immediate).
        return await InlineConnection(
            lambda: sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        )

    engine = create_async_engine(url, async_creator=connect)

    @event.listens_for(engine.sync_engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        # WAL lets readers run beside the writer; busy_timeout makes a writer of another process wait, not fail.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # A checkpoint copies the WAL into the database file and fsyncs it (tens of ms on a busy disk), which
        # would stall the event loop inside a commit: Checkpointer runs them on a thread instead.
        cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()
        # Take transactions over from the driver so that writes can start IMMEDIATE (below).
        dbapi_connection.isolation_level = None

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(connection: Any) -> None:
        # A deferred transaction that later writes fails at once with SQLITE_BUSY when another connection
        # wrote meanwhile; taking the write lock up front makes writers queue instead. Reads stay deferred:
        # under WAL they run beside the writer instead of queueing behind it.
        if connection.get_execution_options().get(WRITE_OPTION):
            await_(connection.connection.driver_connection.begin_immediate())
        else:
            connection.exec_driver_sql("BEGIN")

    return engine
