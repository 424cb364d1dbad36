"""The server-side commands, run where the service runs: serve, worker, migrate, keys."""

from __future__ import annotations

import asyncio
import signal
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from octopost.settings import Settings

# The server's modules (alembic, Litestar, the database; the scope names too, which import Litestar's errors)
# load inside each command: a client command starts without them, twice as fast.


def run_uvicorn(app: Any, host: str, port: int, forwarded_allow_ips: str | None = None) -> None:
    """How `octopost serve` runs an app (bench/echo_app.py serves its reference through this too): uvicorn's
    defaults (loop/http "auto": uvloop and httptools when installed; one worker), our logging, no access log.
    Forwarded headers are believed only from ``forwarded_allow_ips`` (the reverse proxy in front)."""
    import uvicorn

    from octopost.heap import freeze_startup_objects

    freeze_startup_objects()
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips or "127.0.0.1",
    )


def server_settings() -> Settings:
    """Settings for a command that touches the database or serves: the data directory made, logging configured.
    (Client commands never do this: they must not create a `data` directory wherever they run.)"""
    from octopost import logs
    from octopost.settings import Settings

    settings = Settings()
    settings.ensure_data_dir()
    logs.configure(settings.log_level)
    return settings


def serve(
    no_scheduler: Annotated[bool, typer.Option("--no-scheduler", help="run the API alone")] = False,
) -> None:
    """Serve the API (with the scheduler unless --no-scheduler)."""
    from octopost import migrate
    from octopost.app import create_app

    settings = server_settings()
    migrate.upgrade(settings.resolved_database_url)
    app = create_app(settings, with_scheduler=not no_scheduler)
    run_uvicorn(app, settings.host, settings.port, settings.forwarded_allow_ips)


def worker() -> None:
    """Run the scheduler without the API (any number of these may share one PostgreSQL database)."""
    from octopost import migrate
    from octopost.heap import freeze_startup_objects
    from octopost.runtime import Runtime
    from scheduler.ticker import Ticker

    settings = server_settings()
    migrate.upgrade(settings.resolved_database_url)

    async def main() -> None:
        runtime = Runtime.create(settings)
        ticker = Ticker(runtime)
        freeze_startup_objects()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        ticker.start()
        try:
            await stop.wait()
        finally:
            await ticker.stop()
            await runtime.aclose()

    asyncio.run(main())


def migrate_command() -> None:
    """Apply database migrations."""
    from octopost import migrate

    settings = server_settings()
    migrate.upgrade(settings.resolved_database_url)
    print(f"database at head: {settings.resolved_database_url.split('@')[-1]}")


keys = typer.Typer(help="Manage API keys (on the server host: reads the database directly).", no_args_is_help=True)


def _known_scopes(values: list[str] | None) -> list[str] | None:
    from octopost.keys.scopes import SCOPES

    for value in values or []:
        if value not in SCOPES:
            raise typer.BadParameter(f"{value!r} is not a scope; choose from {', '.join(SCOPES)}")
    return values


def _with_database(work: Any) -> None:
    """Run ``work(db)`` against the migrated database, in its own event loop."""
    from octopost import migrate
    from octopost.db import Database

    settings = server_settings()
    migrate.upgrade(settings.resolved_database_url)

    async def main() -> None:
        db = Database(settings.resolved_database_url)
        try:
            await work(db)
        finally:
            await db.dispose()

    asyncio.run(main())


@keys.command("create")
def keys_create(
    name: Annotated[str, typer.Option("--name", help="what the key is for")],
    workspace: Annotated[str, typer.Option("--workspace")] = "default",
    test: Annotated[bool, typer.Option("--test", help="an oct_test_ key (sandbox, never reaches a platform)")] = False,
    scope: Annotated[
        list[str] | None,
        typer.Option(
            "--scope",
            metavar="SCOPE",
            callback=_known_scopes,
            help="limit the key to a scope, e.g. posts:read (repeatable; none = full access; a bad name lists all)",
        ),
    ] = None,
) -> None:
    """Create a key; the key is the last line printed."""
    from octopost.keys import service

    async def work(db: Any) -> None:
        created = await service.create_key(
            db, name=name, workspace=workspace, mode="test" if test else "live", scopes=scope or []
        )
        print(f"Created key {created.key.id} ({created.key.mode}) in workspace {workspace!r}.")
        print("Store it now: it is shown only once and only its hash is kept.")
        print(created.secret)

    _with_database(work)


@keys.command("list")
def keys_list() -> None:
    """List keys (never their secrets)."""
    from octopost.keys import service

    async def work(db: Any) -> None:
        for key, workspace in await service.list_keys(db):
            state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
            scopes = ",".join(key.scopes) or "full access"
            print(f"{key.id}\t{key.prefix}…\t{key.name}\t{workspace}\t{key.mode}\t{scopes}\t{state}")

    _with_database(work)


@keys.command("revoke")
def keys_revoke(
    key_id: Annotated[str, typer.Argument(metavar="KEY_ID", help="the key's id (from keys list)")],
) -> None:
    """Revoke a key by id."""
    from octopost.keys import service

    async def work(db: Any) -> None:
        await service.revoke_key(db, key_id)
        print(f"Revoked {key_id}.")

    _with_database(work)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("worker")(worker)
    app.command("migrate")(migrate_command)
    app.add_typer(keys, name="keys")
