"""`octopost doctor`: is this installation healthy? Server, database and schema, scheduler, every account, the
clock, the secret key: a line each (ok, warn, fail); exit code 1 when anything fails."""

from __future__ import annotations

from typing import Annotated

import typer

from octopost.cli import doctor_checks, output
from octopost.cli.client import KeyOption, ProfileOption, UrlOption, connect
from octopost.cli.doctor_checks import Check
from octopost.cli.errors import CliError
from octopost.cli.output import JsonOption

_STYLE = {"ok": "green", "warn": "yellow", "fail": "bold red"}


def run_checks(url: str | None, key: str | None, profile: str | None, time_url: str | None) -> list[Check]:
    checks: list[Check] = []
    with connect(url, key, profile, timeout=30) as api:
        server, body = doctor_checks.health(api)
        checks.append(server)
        found = []
        if body is not None:
            checks.extend(doctor_checks.database(body))
            checks.append(doctor_checks.scheduler(body))
            try:
                found = api.get("/v1/accounts")["accounts"]
            except CliError as exc:
                checks.append(doctor_checks.warn("accounts", f"not checked: {exc.message}"))
            else:
                checks.extend(doctor_checks.accounts(api, found))
    platforms = [time_url] if time_url else list(dict.fromkeys(a["base_url"] for a in found))
    checks.append(doctor_checks.clock(platforms))
    checks.append(doctor_checks.secret_key())
    return checks


def doctor(
    time_url: Annotated[
        str | None, typer.Option("--time-url", help="compare the clock with this URL's Date [default: the accounts']")
    ] = None,
    url: UrlOption = None,
    key: KeyOption = None,
    profile: ProfileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check the installation (run it on the server host); exit code 1 when a check fails."""
    checks = run_checks(url, key, profile, time_url)
    if as_json:
        output.emit_json([check.as_dict() for check in checks])
    else:
        for check in checks:
            style = _STYLE[check.status]
            output.out().print(f"[{style}]{check.status:<4}[/]  {check.name:<10}  {output.escape(check.detail)}")
    if any(check.status == "fail" for check in checks):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)
