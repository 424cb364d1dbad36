"""IANA time zones by name, for every place a user names one (the queue, the dashboard, the CLI)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def find_zone(name: str) -> ZoneInfo | None:
    """The zone called ``name``, or None when there is none (each caller words the refusal for its own field)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
