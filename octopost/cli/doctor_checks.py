"""The checks of `octopost doctor`, each one line: ok, warn or fail, and what it found."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx

from octopost.cli.client import Api
from octopost.cli.errors import CliError

SKEW_WARN = timedelta(seconds=30)
SKEW_FAIL = timedelta(minutes=5)


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # ok | warn | fail
    detail: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def ok(name: str, detail: str) -> Check:
    return Check(name, "ok", detail)


def warn(name: str, detail: str) -> Check:
    return Check(name, "warn", detail)


def fail(name: str, detail: str) -> Check:
    return Check(name, "fail", detail)


def health(api: Api) -> tuple[Check, dict[str, Any] | None]:
    """GET /healthz (no key needed): a 503 is an answer too, with the checks that failed."""
    try:
        response = api.exchange("GET", "/healthz")
        body = response.json()
    except CliError as exc:
        return fail("server", exc.message), None
    except ValueError:
        return fail("server", f"{api.url}/healthz did not answer JSON (is it Octopost?)"), None
    return ok("server", f"{api.url} answered ({body.get('worker', 'unknown worker')})"), body


def database(body: dict[str, Any]) -> list[Check]:
    checks = body.get("checks", {})
    state = checks.get("database", "not reported")
    found = [ok("database", "reachable") if state == "ok" else fail("database", str(state))]
    schema = checks.get("schema")
    if schema is None:
        found.append(warn("schema", "this server does not report its migration state"))
    elif schema == "ok":
        found.append(ok("schema", "at the migration head"))
    else:
        found.append(fail("schema", f"{schema}: run `octopost migrate`"))
    return found


def scheduler(body: dict[str, Any]) -> Check:
    checks = body.get("checks", {})
    state = checks.get("scheduler", "not reported")
    overdue = float(checks.get("oldest_overdue_seconds") or 0)
    if state == "not ticking":
        return fail("scheduler", "not ticking in the server process")
    if body.get("status") != "ok" and checks.get("database") == "ok" and overdue > 0:
        return fail("scheduler", f"due work has waited {overdue:g} s: no scheduler is keeping up")
    if state == "disabled in this process":
        return warn("scheduler", "disabled in the server process: an `octopost worker` must run elsewhere")
    if state == "ok":
        return ok("scheduler", "ticking, nothing overdue")
    return warn("scheduler", str(state))


def accounts(api: Api, found: list[dict[str, Any]]) -> list[Check]:
    """Each account re-checked with its platform (POST …/verify); one failing or inactive is a fail naming it."""
    if not found:
        return [warn("accounts", "no accounts connected")]
    checks = []
    for account in found:
        name = f"{account['platform']} @{account['username']} ({account['id']})"
        try:
            verified = api.post(f"/v1/accounts/{account['id']}/verify")
        except CliError as exc:
            checks.append(fail("account", f"{name}: {exc.message}"))
            continue
        if verified.get("is_active"):
            checks.append(ok("account", f"{name} verified"))
        else:
            checks.append(fail("account", f"{name} is inactive: reconnect it"))
    return checks


def clock(urls: list[str]) -> Check:
    """This machine's clock against the Date header of a platform's answer (the first that gives one)."""
    if not urls:
        return warn("clock", "no platform to compare with (connect an account or pass --time-url)")
    for url in urls:
        try:
            sent = time.time()
            response = httpx.get(url, timeout=10)
            received = time.time()
        except httpx.HTTPError:
            continue
        header = response.headers.get("date")
        try:
            theirs = parsedate_to_datetime(header) if header else None
        except (TypeError, ValueError):
            theirs = None
        if theirs is None:
            continue
        # The middle of the exchange is our best guess of when they read their clock; Date has 1 s resolution.
        ours = datetime.fromtimestamp((sent + received) / 2, UTC)
        skew = abs(ours - theirs.astimezone(UTC)) - timedelta(seconds=1)
        skew = max(skew, timedelta(0))
        detail = f"{skew.total_seconds():.0f} s off {url}"
        if skew > SKEW_FAIL:
            return fail("clock", f"{detail}: platforms refuse signed requests; fix NTP")
        if skew > SKEW_WARN:
            return warn("clock", f"{detail}: check NTP")
        return ok("clock", detail)
    return warn("clock", f"no Date header from {', '.join(urls)}")


def secret_key() -> Check:
    """The key that decrypts stored credentials, as this machine would read it (never generating one)."""
    from octopost.settings import Settings

    try:
        settings = Settings()
    except Exception as exc:  # a bad OCTOPOST_* setting: pydantic names it
        return fail("secret key", f"the settings do not load: {exc}".splitlines()[0])
    if settings.secret_key:
        return ok("secret key", "OCTOPOST_SECRET_KEY is set")
    path = Path(settings.data_dir) / "secret.key"
    try:
        readable = path.is_file() and bool(settings.secret_key_material())
    except OSError as exc:
        return warn("secret key", f"{path}: {exc.strerror or exc} (run doctor as the user `octopost serve` runs as)")
    if readable:
        return ok("secret key", f"read from {path.resolve()}")
    return warn(
        "secret key",
        f"none here: OCTOPOST_SECRET_KEY is unset and {path.resolve()} does not exist "
        "(run doctor on the server host, with its OCTOPOST_DATA_DIR)",
    )
