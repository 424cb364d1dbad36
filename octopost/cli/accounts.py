"""`octopost accounts list|connect PLATFORM`."""

from __future__ import annotations

from typing import Annotated

import typer

from octopost.cli import output
from octopost.cli.client import KeyOption, ProfileOption, UrlOption, connect
from octopost.cli.errors import CliError
from octopost.cli.output import JsonOption

accounts = typer.Typer(help="The connected platform accounts.", no_args_is_help=True)


@accounts.command("list")
def list_accounts(
    platform: Annotated[str | None, typer.Option("--platform", help="only this platform's accounts")] = None,
    url: UrlOption = None,
    key: KeyOption = None,
    profile: ProfileOption = None,
    as_json: JsonOption = False,
) -> None:
    """List accounts, active and inactive."""
    with connect(url, key, profile) as api:
        found = api.get("/v1/accounts", platform=platform)
    if as_json:
        output.emit_json(found)
        return
    grid = output.table("ID", "PLATFORM", "USERNAME", "ACTIVE", "DEFAULT", "SERVER")
    for account in found["accounts"]:
        cells = (
            account["id"],
            account["platform"],
            account["username"],
            "yes" if account["is_active"] else "no",
            "yes" if account.get("is_default") else "",
            account["base_url"],
        )
        grid.add_row(*map(output.escape, cells))
    output.out().print(grid)


def _fields(pairs: list[str] | None) -> dict[str, str] | None:
    fields = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise CliError(f"--field {pair!r}: write NAME=VALUE (e.g. page_id=123)")
        fields[name] = value
    return fields or None


@accounts.command("connect")
def connect_account(
    platform: Annotated[str, typer.Argument(metavar="PLATFORM", help="e.g. mastodon, linkedin, twitter")],
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="the platform's server (a Mastodon instance)")
    ] = None,
    return_to: Annotated[str | None, typer.Option("--return-to", help="where the browser goes afterwards")] = None,
    field: Annotated[
        list[str] | None, typer.Option("--field", help="a non-secret account field NAME=VALUE (repeatable)")
    ] = None,
    url: UrlOption = None,
    key: KeyOption = None,
    profile: ProfileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Start an OAuth connect: prints the URL to open in a browser (the account appears once authorized)."""
    request = {"platform": platform, "base_url": base_url, "return_to": return_to, "fields": _fields(field)}
    with connect(url, key, profile) as api:
        started = api.post("/v1/accounts/connect", {k: v for k, v in request.items() if v is not None})
    if as_json:
        output.emit_json(started)
        return
    console = output.out()
    console.print(
        f"Open this URL in a browser to authorize Octopost on {platform} (valid until {started['expires_at']}):",
        markup=False,
    )
    console.print(started["authorize_url"], markup=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(accounts, name="accounts")
