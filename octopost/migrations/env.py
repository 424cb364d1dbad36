"""Alembic environment: runs the migrations over the app's async engine, on SQLite or PostgreSQL."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection

from octopost.db import create_engine
from octopost.tables import metadata

config = context.config

# Any constant shared by every process: workers starting together on one PostgreSQL database each migrate at
# start, and without a lock two of them would run the same DDL at once (one fails, or worse, half-applies).
_MIGRATION_LOCK = 0x0C70_9057


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Held until this transaction commits; the next process then finds the schema at head. (On SQLite,
            # octopost/migrate.py holds a lock file around the whole upgrade instead.)
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        context.run_migrations()


async def _main() -> None:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run them against a database")
asyncio.run(_main())
