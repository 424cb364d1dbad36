"""`octopost login --url … --key …`: save a connection as a profile (the key checked against the server first)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from octopost.cli import output, profiles
from octopost.cli.client import Api, Connection
from octopost.cli.errors import ApiError, CliError
from octopost.cli.output import JsonOption


def login(
    url: Annotated[str, typer.Option("--url", help="the server, e.g. https://octopost.example.com")],
    key: Annotated[str, typer.Option("--key", help="an API key; '-' reads it from stdin (kept out of `ps`)")],
    profile: Annotated[str, typer.Option("--profile", help="the profile's name")] = profiles.DEFAULT_PROFILE,
    verify: Annotated[bool, typer.Option("--verify/--no-verify", help="check the key with the server first")] = True,
    as_json: JsonOption = False,
) -> None:
    """Save a server and API key as a profile (used by --profile NAME; 'default' when none is named)."""
    secret = sys.stdin.readline().strip() if key == "-" else key
    if not secret:
        raise CliError("--key is empty")
    url = url.rstrip("/")
    if verify:
        with Api(Connection(url=url, key=secret)) as api:
            try:
                api.get("/v1/posts", limit=1)
            except ApiError as exc:
                # A key limited to other scopes is still a key: only an unknown or revoked one is refused.
                if exc.status == 401:
                    raise CliError(f"{url} refused the key: {exc.message}") from None
    path = profiles.save(profile, url, secret)
    if as_json:
        output.emit_json({"profile": profile, "url": url, "path": str(path)})
    else:
        output.out().print(f"Saved profile {profile!r} ({url}) in {path}.", markup=False)


def register(app: typer.Typer) -> None:
    app.command("login")(login)
