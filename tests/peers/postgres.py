"""A real PostgreSQL server on 127.0.0.1, one per session: initdb into a temp directory, pg_ctl start, stop at
the end. Each test (or module) gets its own database, copied from a template in a few milliseconds.

Run as the `postgres` OS user when we are root (PostgreSQL refuses to run as root). Trust authentication on
loopback only; the unix socket lives in the temp directory. Durability is off (fsync, synchronous_commit):
a test server that dies loses nothing anyone needs, and tests run several times faster.

Where the server cannot be found or started the tests FAIL with the reason: `make test` installs it
(scripts/install-postgres.sh), so a missing server is a broken setup, never a reason to skip.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from octopost import migrate
from tests.peers.ports import free_port

_SUPERUSER = "postgres"
_START_TIMEOUT = 60
MIGRATED_TEMPLATE = "octopost_migrated"  # the schema at head; tests that only need tables start from it


class PostgresUnavailable(RuntimeError):
    """The server binaries are missing or the server would not start; the message says which and why."""


def run_async(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine from sync or async code alike (in a thread with its own event loop)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def server_bin_dir() -> Path:
    """Where initdb and pg_ctl are: on PATH, else Debian's /usr/lib/postgresql/<newest major>/bin."""
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).resolve().parent
    majors = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[4]))
    if majors:
        return Path(majors[-1]).parent
    raise PostgresUnavailable(
        "PostgreSQL is not installed (no initdb/pg_ctl on PATH or in /usr/lib/postgresql/*/bin): "
        "run scripts/install-postgres.sh (`make test` does)"
    )


@dataclass
class PostgresServer:
    """A running server. ``url(name)`` is a SQLAlchemy URL for one of its databases."""

    port: int
    work: Path
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1), repr=False)
    _migrated: bool = False

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://{_SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def dsn(self, database: str = "postgres") -> str:
        return f"postgresql://{_SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def execute(self, *statements: str, database: str = "postgres") -> None:
        async def run() -> None:
            conn = await asyncpg.connect(self.dsn(database))
            try:
                for statement in statements:
                    await conn.execute(statement)
            finally:
                await conn.close()

        run_async(run())

    def create_database(self, prefix: str = "test", *, migrated: bool = False) -> str:
        """A fresh database (copied from template0, or from the migrated template); returns its URL."""
        template = "template0"
        if migrated:
            self._ensure_migrated_template()
            template = MIGRATED_TEMPLATE
        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return self.url(name)

    def _ensure_migrated_template(self) -> None:
        # Migrating takes about a second; copying a migrated database takes milliseconds.
        if self._migrated:
            return
        self.execute(f'CREATE DATABASE "{MIGRATED_TEMPLATE}" TEMPLATE template0')
        migrate.upgrade(self.url(MIGRATED_TEMPLATE))
        self.execute(f"ALTER DATABASE \"{MIGRATED_TEMPLATE}\" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false")
        self._migrated = True


def _as_server_user(owner: pwd.struct_passwd | None, command: list[str]) -> list[str]:
    return ["runuser", "-u", owner.pw_name, "--", *command] if owner else command


def _run(command: list[str], what: str, log: Path | None = None) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
        raise PostgresUnavailable(f"{what} failed ({done.returncode}): {done.stderr.strip()}\n{tail}".strip())


@contextmanager
def running_postgres(*, durable: bool = False, max_connections: int = 300) -> Iterator[PostgresServer]:
    """Start a throwaway server in a new temp directory (also usable outside pytest, e.g. by bench scripts)."""
    bin_dir = server_bin_dir()
    # As root the server runs as `postgres`; the temp dir (not pytest's, whose parents are root-only) is its own.
    owner = pwd.getpwnam("postgres") if os.geteuid() == 0 else None
    work = Path(tempfile.mkdtemp(prefix="octopost-pg-"))
    if owner:
        os.chown(work, owner.pw_uid, owner.pw_gid)
    data, socket_dir, log = work / "data", work / "socket", work / "server.log"
    port = free_port()
    try:
        _run(_as_server_user(owner, ["mkdir", "-m", "700", str(socket_dir)]), "making the socket directory")
        initdb = [str(bin_dir / "initdb"), "-D", str(data), "-U", _SUPERUSER, "--auth=trust", "-E", "UTF8"]
        _run(_as_server_user(owner, [*initdb, "--locale=C", "--no-sync"]), "initdb")
        settings = {
            "listen_addresses": "127.0.0.1",
            "port": str(port),
            "unix_socket_directories": str(socket_dir),
            "max_connections": str(max_connections),
            "fsync": "on" if durable else "off",
            "synchronous_commit": "on" if durable else "off",
            "full_page_writes": "on" if durable else "off",
        }
        options = " ".join(f"-c {key}={value}" for key, value in settings.items())
        pg_ctl = str(bin_dir / "pg_ctl")
        start = [pg_ctl, "start", "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", str(_START_TIMEOUT)]
        _run(_as_server_user(owner, start), "pg_ctl start", log)
        try:
            yield PostgresServer(port=port, work=work)
        finally:
            subprocess.run(
                _as_server_user(owner, [pg_ctl, "stop", "-D", str(data), "-m", "immediate", "-w"]),
                capture_output=True,
                check=False,
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    try:
        with running_postgres() as server:
            yield server
    except PostgresUnavailable as exc:
        pytest.fail(f"PostgreSQL test server unavailable: {exc}", pytrace=False)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """An empty database of its own for one test (the code under test migrates it)."""
    return postgres_server.create_database()
