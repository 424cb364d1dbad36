"""The `octopost` command: serve, worker, migrate, keys."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Sequence
from typing import Any

from octopost import logs, migrate
from octopost.heap import freeze_startup_objects
from octopost.keys.scopes import SCOPES
from octopost.settings import Settings


def run_uvicorn(app: Any, host: str, port: int) -> None:
    """How `octopost serve` runs an app (bench/echo_app.py serves its reference through this too): uvicorn's
    defaults (loop/http "auto": uvloop and httptools when installed; one worker), our logging, no access log."""
    import uvicorn

    freeze_startup_objects()
    uvicorn.run(app, host=host, port=port, log_config=None, access_log=False)


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from octopost.app import create_app

    migrate.upgrade(settings.resolved_database_url)
    app = create_app(settings, with_scheduler=not args.no_scheduler)
    run_uvicorn(app, settings.host, settings.port)
    return 0


def _worker(settings: Settings, _: argparse.Namespace) -> int:
    """The scheduler without the API (any number of these may share one PostgreSQL database)."""
    from octopost.runtime import Runtime
    from scheduler.ticker import Ticker

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
    return 0


def _migrate(settings: Settings, _: argparse.Namespace) -> int:
    migrate.upgrade(settings.resolved_database_url)
    print(f"database at head: {settings.resolved_database_url.split('@')[-1]}")
    return 0


def _keys(settings: Settings, args: argparse.Namespace) -> int:
    from octopost.db import Database
    from octopost.keys import service

    migrate.upgrade(settings.resolved_database_url)

    async def main() -> int:
        db = Database(settings.resolved_database_url)
        try:
            if args.keys_command == "create":
                created = await service.create_key(
                    db,
                    name=args.name,
                    workspace=args.workspace,
                    mode="test" if args.test else "live",
                    scopes=args.scope or [],
                )
                print(f"Created key {created.key.id} ({created.key.mode}) in workspace {args.workspace!r}.")
                print("Store it now: it is shown only once and only its hash is kept.")
                print(created.secret)
            elif args.keys_command == "list":
                for key, workspace in await service.list_keys(db):
                    state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
                    scopes = ",".join(key.scopes) or "full access"
                    print(f"{key.id}\t{key.prefix}…\t{key.name}\t{workspace}\t{key.mode}\t{scopes}\t{state}")
            elif args.keys_command == "revoke":
                await service.revoke_key(db, args.key_id)
                print(f"Revoked {args.key_id}.")
            return 0
        finally:
            await db.dispose()

    return asyncio.run(main())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="octopost", description="Self-hosted cross-posting scheduler.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the API (with the scheduler unless --no-scheduler)")
    serve.add_argument("--no-scheduler", action="store_true", help="run the API alone")
    serve.set_defaults(handler=_serve)
    sub.add_parser("worker", help="run the scheduler without the API").set_defaults(handler=_worker)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(handler=_migrate)

    keys = sub.add_parser("keys", help="manage API keys")
    keys.set_defaults(handler=_keys)
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    create = keys_sub.add_parser("create", help="create a key; the key is the last line printed")
    create.add_argument("--name", required=True)
    create.add_argument("--workspace", default="default")
    create.add_argument("--test", action="store_true", help="an oct_test_ key (sandbox, never reaches a platform)")
    create.add_argument(
        "--scope",
        action="append",
        choices=SCOPES,
        metavar="SCOPE",
        help=f"limit the key (repeatable; none = full access): {', '.join(SCOPES)}",
    )
    keys_sub.add_parser("list", help="list keys (never their secrets)")
    revoke = keys_sub.add_parser("revoke", help="revoke a key by id")
    revoke.add_argument("key_id")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings()
    settings.ensure_data_dir()
    logs.configure(settings.log_level)
    try:
        return int(args.handler(settings, args))
    except Exception as exc:
        from octopost.errors import DomainError

        if isinstance(exc, DomainError):
            print(f"error: {exc.message}", file=sys.stderr)
            return 1
        raise


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
