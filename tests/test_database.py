"""The PostgreSQL connection pool: a connection the server closed is replaced at checkout, not handed out."""

from __future__ import annotations

import asyncio

import asyncpg
from sqlalchemy import text

from octopost.db import Database

_PID = text("SELECT pg_backend_pid()")
_TERMINATE = "SELECT count(*) FROM unnest($1::int[]) AS p WHERE pg_terminate_backend(p, 5000)"  # waits for each


async def _backend_pid(db: Database) -> int:
    async with db.session() as session:
        return int((await session.exec(_PID)).scalar_one())


async def test_connections_the_server_closed_are_replaced_not_handed_out(postgres_url: str) -> None:
    db = Database(postgres_url, pool_size=3, max_overflow=0)
    try:
        # Three connections in the pool, all in use at once so that each is a different one.
        async with db.session() as a, db.session() as b, db.session() as c:
            pids = {int((await s.exec(_PID)).scalar_one()) for s in (a, b, c)}
        assert len(pids) == 3
        admin = await asyncpg.connect(postgres_url.replace("postgresql+asyncpg://", "postgresql://"))
        try:  # what a server restart or an idle-connection timeout does to the pool
            ended = await admin.fetchval(_TERMINATE, list(pids))
        finally:
            await admin.close()
        assert ended == 3
        await asyncio.sleep(0)  # a turn of the event loop: asyncpg reads the servers' goodbyes
        new_pids = {await _backend_pid(db) for _ in range(6)}
        assert new_pids.isdisjoint(pids)
    finally:
        await db.dispose()
