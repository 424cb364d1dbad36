"""A series as posts' create and update see it, inside their transactions.

- Create with ``recurrence``: the post is the series' first occurrence.
- PUT with ``recurrence`` on an occurrence (or on a plain scheduled post, which starts a series): the rule changes
  from this occurrence on, and its fields after the edit become the template of later ones. Later occurrences that
  have not started publishing are deleted and made again from the new rule by the scheduler.
- PUT with ``recurrence: null``: the series ends after this occurrence (later unpublished ones deleted).
- PUT without ``recurrence``, and DELETE, touch this occurrence only: a deleted one is skipped, not made again.
Occurrences that are publishing, published or failed are never touched.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from octopost.db import utcnow
from octopost.errors import Problems
from octopost.ids import new_id
from octopost.posts.schemas import RecurrenceIn
from octopost.posts.tables import Post
from octopost.series import repository
from octopost.series.rules import Rule, parse
from octopost.series.tables import PostSeries


def rule_of(recurrence: RecurrenceIn, starts_at: datetime | None, queued: bool, problems: Problems) -> Rule | None:
    """The rule of a body's ``recurrence`` whose first occurrence is ``starts_at`` (every problem in ``problems``)."""
    if queued:
        problems.add("recurrence: needs scheduled_for as a time, not next_free_slot")
        starts_at = None
    return parse(recurrence.rrule, recurrence.timezone, starts_at, problems)


def _next_after(rule: Rule, at: datetime, ends_at: datetime | None = None) -> datetime | None:
    return next(rule.instants(after=at, until=ends_at), None)


def start(session: AsyncSession, post: Post, rule: Rule, template: dict[str, Any]) -> PostSeries:
    """A new series whose first occurrence is ``post`` (its series fields set here, before it is written)."""
    series = PostSeries(
        id=new_id("ser"),
        workspace_id=post.workspace_id,
        is_test=post.is_test,
        rrule=rule.rrule,
        timezone=rule.timezone,
        starts_at=rule.starts_at,
        materialized_until=rule.starts_at,
        template=template,
    )
    _set_rule(series, rule)
    session.add(series)
    post.series_id, post.occurrence_at = series.id, rule.starts_at
    return series


def _set_rule(series: PostSeries, rule: Rule) -> None:
    series.rrule, series.timezone, series.starts_at = rule.rrule, rule.timezone, rule.starts_at
    series.materialized_until = rule.starts_at
    series.next_at = _next_after(rule, rule.starts_at)
    series.ends_at = None
    series.updated_at = utcnow()


async def apply(session: AsyncSession, post: Post, rule: Rule | None, template: dict[str, Any]) -> None:
    """PUT's ``recurrence`` on ``post`` (locked in this transaction): a new rule from here on, or the end (None)."""
    series = await repository.lock(session, post.series_id) if post.series_id else None
    if series is None:
        if rule is not None:
            start(session, post, rule, template)
        return
    occurrence_at = post.occurrence_at or series.starts_at  # every occurrence has one; the type does not say so
    await repository.drop_later(session, series.id, after=occurrence_at, keep=post.id)
    if rule is None:
        series.ends_at, series.next_at = occurrence_at, None
        series.updated_at = utcnow()
    else:
        _set_rule(series, rule)
        series.template = template
        post.occurrence_at = rule.starts_at
    session.add(series)
