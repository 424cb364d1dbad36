"""The store on both dialects: ``database_url`` runs a test once on SQLite and once on PostgreSQL.

PostgreSQL databases come from the session's server (tests/peers/postgres.py), started only when a test asks
for one. ``fetch`` reads a database the same way on both, for assertions on rows the API does not show, and
``execute`` writes to it (rows put in place behind the API's back).
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from octopost import migrate
from octopost.db import Database, create_engine
from tests.peers.postgres import PostgresServer, run_async

DIALECTS = ["sqlite", "postgresql"]


def _sqlite_url(tmp: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp / 'octopost.db'}"


def _postgres(request: pytest.FixtureRequest) -> PostgresServer:
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server


@pytest.fixture(params=DIALECTS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database, once per dialect; whatever the test runs migrates it."""
    if request.param == "sqlite":
        return _sqlite_url(tmp_path)
    return _postgres(request).create_database()


@pytest.fixture(params=DIALECTS)
def migrated_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database at the newest schema, once per dialect."""
    if request.param == "sqlite":
        url = _sqlite_url(tmp_path)
        in_thread(migrate.upgrade, url)
        return url
    return _postgres(request).create_database(migrated=True)


def in_thread(function: Callable[..., Any], *args: Any) -> Any:
    """Run a sync function that starts its own event loop (Alembic's) off the test's event loop thread."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(function, *args).result()


def fetch(url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """Rows of one query on either dialect (named parameters: ``:name``)."""

    async def run() -> list[tuple[Any, ...]]:
        engine = create_engine(url)
        try:
            async with engine.connect() as conn:
                return [tuple(row) for row in (await conn.execute(text(sql), params)).all()]
        finally:
            await engine.dispose()

    return list(run_async(run()))


def execute(url: str, sql: str, rows: list[dict[str, Any]] | dict[str, Any] | None = None) -> None:
    """One write statement on either dialect, committed (``rows``: its named parameters, or a list of them to run
    it once per row)."""

    async def run() -> None:
        db = Database(url)
        try:
            async with db.transaction() as session:
                await (await session.connection()).execute(text(sql), rows)
        finally:
            await db.dispose()

    run_async(run())
