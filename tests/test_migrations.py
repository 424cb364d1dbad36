"""The committed Alembic migrations build exactly the schema the models describe, on an empty database of every
dialect (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from octopost import migrate
from octopost.db import create_engine
from octopost.tables import metadata


def _schema_report(url: str) -> tuple[set[str], list[object]]:
    async def inspect_db() -> tuple[set[str], list[object]]:
        engine = create_engine(url)
        try:
            async with engine.connect() as conn:
                tables = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
                diff = await conn.run_sync(
                    lambda sync: compare_metadata(
                        MigrationContext.configure(sync, opts={"compare_type": True}), metadata
                    )
                )
            return tables, diff
        finally:
            await engine.dispose()

    return asyncio.run(inspect_db())


def test_migrations_apply_to_an_empty_database_and_match_the_models(database_url: str) -> None:
    """On SQLite and on PostgreSQL: the same migrations, the same schema as the models."""
    migrate.upgrade(database_url)
    tables, diff = _schema_report(database_url)
    assert {"workspace", "api_key", "account", "post", "target", "delivery", "alembic_version"} <= tables
    assert diff == [], f"models and migrations differ; generate a migration: {diff}"
    migrate.upgrade(database_url)  # idempotent: already at head


def test_processes_starting_together_migrate_an_empty_database_once(database_url: str, tmp_path: Path) -> None:
    """Every `octopost serve`/`worker` migrates at start; several starting at once on one empty database must
    all come up, with the schema applied once (an advisory lock on PostgreSQL, a lock file on SQLite)."""
    octopost = Path(sys.executable).parent / "octopost"
    env = {"OCTOPOST_DATABASE_URL": database_url, "OCTOPOST_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    runs = [
        subprocess.Popen([str(octopost), "migrate"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for _ in range(4)
    ]
    outputs = [run.communicate(timeout=120)[0].decode(errors="replace") for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0, 0], outputs
    tables, diff = _schema_report(database_url)
    assert "alembic_version" in tables
    assert diff == []
