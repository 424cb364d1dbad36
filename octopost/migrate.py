"""Applies (and, for developers, generates) Alembic migrations programmatically."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config

from octopost.db import is_sqlite
from octopost.sqlite import database_path

_HERE = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_HERE))
    config.set_main_option("sqlalchemy.url", database_url)
    return config


@contextmanager
def _sqlite_migration_lock(database_url: str) -> Iterator[None]:
    """Every `serve` and `worker` migrates at start. On PostgreSQL an advisory lock (migrations/env.py) makes
    processes starting together take turns; SQLite has no such lock (two processes would both see an empty
    database and both create its tables), so a lock file beside the database does it."""
    database = database_path(database_url)
    if not is_sqlite(database_url) or database == ":memory:":
        yield
        return
    with open(f"{database}.migrate-lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or when the process dies
        yield


def upgrade(database_url: str) -> None:
    """Bring the database to the newest schema. Runs its own event loop: call it outside one."""
    with _sqlite_migration_lock(database_url):
        command.upgrade(alembic_config(database_url), "heads")


def revision(database_url: str, message: str) -> None:
    command.revision(alembic_config(database_url), message=message, autogenerate=True)
