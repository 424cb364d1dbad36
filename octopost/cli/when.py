"""`--at "2026-12-24 09:00" --tz Europe/Berlin`: a wall-clock time in a zone, as the instant the API schedules.

A local time the zone skips (spring forward) or passes twice (fall back) is refused rather than guessed, as is
a time already past."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from octopost.cli.errors import CliError
from octopost.timezones import find_zone


def local_zone_name() -> str:
    """This machine's IANA zone: $TZ, else what /etc/localtime links to, else UTC."""
    if os.environ.get("TZ"):
        return os.environ["TZ"].removeprefix(":")
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        return "UTC"
    _, marker, name = target.partition("zoneinfo/")
    return name if marker and name else "UTC"


def zone(name: str) -> ZoneInfo:
    found = find_zone(name)
    if found is None:
        raise CliError(f"--tz {name!r} is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)")
    return found


def scheduled_instant(text: str, zone_name: str | None, now: datetime | None = None) -> str:
    """The UTC instant (ISO 8601, Z) of ``text``: "YYYY-MM-DD HH:MM[:SS]" local to ``zone_name`` (this machine's
    zone when None), or a time with an explicit offset (then the zone is not used)."""
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CliError(f'--at {text!r}: write the local time as "YYYY-MM-DD HH:MM" (e.g. "2026-12-24 09:00")') from None
    name = zone_name or local_zone_name()
    if parsed.tzinfo is None:
        tz = zone(name)
        first, second = parsed.replace(tzinfo=tz, fold=0), parsed.replace(tzinfo=tz, fold=1)
        if first.utcoffset() != second.utcoffset():
            round_trip = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
            if round_trip != parsed:
                raise CliError(f"--at {text!r} does not exist in {name} (the clocks skip it): pick another time")
            raise CliError(
                f"--at {text!r} happens twice in {name} (the clocks go back): give the offset instead, e.g. "
                f"{first.isoformat(timespec='minutes')} or {second.isoformat(timespec='minutes')}"
            )
        parsed = first
    instant = parsed.astimezone(UTC)
    if instant <= (now or datetime.now(UTC)):
        raise CliError(f"--at {text!r} ({name}) is in the past: it was {instant:%Y-%m-%d %H:%M} UTC")
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")
