"""Response bodies of GET /v1/posts/{id}/occurrences (the recurrence itself is posts.schemas.RecurrenceIn)."""

from __future__ import annotations

import msgspec


class Occurrence(msgspec.Struct):
    scheduled_for: str  # the instant, UTC
    local: str  # the same instant in the series' timezone (ISO 8601 with its offset)
    post_id: str | None  # the occurrence's post, once the scheduler created it (null: not yet)
    status: str | None


class OccurrenceList(msgspec.Struct):
    series_id: str | None  # null: the post does not recur (and occurrences is empty)
    rrule: str | None
    timezone: str | None
    occurrences: list[Occurrence]
