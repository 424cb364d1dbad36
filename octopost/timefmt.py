"""Timestamps on the wire: ISO 8601 in UTC with a Z, as the Octopost API shows them."""

from __future__ import annotations

from datetime import UTC, datetime


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    value = value.astimezone(UTC)
    if value.microsecond:
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_aware(text: str) -> datetime:
    """Parse ISO 8601 that carries a timezone; ValueError otherwise."""
    parsed = datetime.fromisoformat(text.strip())
    if parsed.tzinfo is None:
        raise ValueError("must include a timezone (e.g. 2026-04-10T09:00:00Z)")
    return parsed.astimezone(UTC)
