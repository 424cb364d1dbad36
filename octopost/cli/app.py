"""The `octopost` command: the server side (serve, worker, migrate, keys) and a client of a running server
(post, posts, queue, accounts, validate, doctor, login). Errors end as a message and an exit code, never a
traceback (OCTOPOST_LOG_LEVEL=DEBUG shows one for an unexpected error)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import typer

from octopost.cli import accounts, doctor, login, output, post, posts, queue, server, validate
from octopost.cli.errors import ApiError, CliError

app = typer.Typer(
    name="octopost",
    help="Self-hosted cross-posting scheduler.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
for group in (server, post, posts, queue, accounts, validate, doctor, login):
    group.register(app)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        # Standalone: usage errors print as click prints them (exit code 2); a command's exit code comes as
        # SystemExit (typer.Exit).
        app(args=args, prog_name="octopost")
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except ApiError as exc:
        output.error(exc.lines())
        return exc.exit_code
    except CliError as exc:
        output.error([exc.message])
        return exc.exit_code
    except Exception as exc:
        from octopost.errors import DomainError

        if isinstance(exc, DomainError):  # from keys revoke and the like, on the server side
            output.error([exc.message])
            return 1
        if os.environ.get("OCTOPOST_LOG_LEVEL", "").upper() == "DEBUG":
            raise
        output.error([f"unexpected {type(exc).__name__}: {exc}"])
        return 1
    return 0
