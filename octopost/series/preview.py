"""GET /v1/posts/{id}/occurrences: the next occurrences of a post's series, made already or not. An occurrence
that was deleted (skipped) is left out: it will not happen."""

from __future__ import annotations

from itertools import islice

from octopost.db import utcnow
from octopost.errors import NotFound, ValidationFailed
from octopost.keys.service import Caller
from octopost.posts import repository as posts_repo
from octopost.runtime import Runtime
from octopost.series import repository
from octopost.series.rules import Rule
from octopost.series.schemas import Occurrence, OccurrenceList
from octopost.timefmt import iso

MAX_PREVIEW = 50
_SKIPS_READ = 1000  # skipped occurrences passed over at most while filling a preview


async def occurrences(runtime: Runtime, caller: Caller, post_id: str, count: int) -> OccurrenceList:
    if not 1 <= count <= MAX_PREVIEW:
        raise ValidationFailed.of([f"count must be between 1 and {MAX_PREVIEW}, got {count}"])
    now = utcnow()
    async with runtime.db.session() as session:
        post = await posts_repo.get(session, caller.workspace_id, post_id, is_test=caller.is_test)
        if post is None:
            raise NotFound(f"Post {post_id} not found")
        series = await repository.get(session, post.series_id) if post.series_id else None
        if series is None:
            return OccurrenceList(series_id=None, rrule=None, timezone=None, occurrences=[])
        made = await repository.occurrences_after(session, series.id, now)
    rule = Rule(series.rrule, series.timezone, series.starts_at)
    found: list[Occurrence] = []
    for at in islice(rule.instants(after=now, until=series.ends_at), count + _SKIPS_READ):
        occurrence = made.get(at)
        if occurrence is None and at <= series.materialized_until:
            continue  # made once and deleted: skipped
        found.append(
            Occurrence(
                scheduled_for=iso(at) or "",
                local=rule.local(at).isoformat(),
                post_id=occurrence.id if occurrence else None,
                status=occurrence.status if occurrence else None,
            )
        )
        if len(found) == count:
            break
    return OccurrenceList(series_id=series.id, rrule=series.rrule, timezone=series.timezone, occurrences=found)
