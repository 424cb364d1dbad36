"""Creating a series' later occurrences ahead of their time: every occurrence due within the horizon
(OCTOPOST_SERIES_HORIZON_HOURS), and at least the next one. Each becomes a scheduled post the way a scheduled
create makes one: the platform checks, one target per platform, the post.scheduled event.

Safe on any number of workers: the series row is locked while its cursor moves, so a second worker finds the
work done; and the unique (series_id, occurrence_at) key refuses a second post for one occurrence whatever happens.
An occurrence whose time passed while no scheduler ran is skipped, not posted late.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from octopost.db import utcnow
from octopost.errors import ValidationFailed
from octopost.ids import new_id
from octopost.keys.service import Caller
from octopost.posts import repository as posts_repo
from octopost.posts.service import schedule_checks
from octopost.posts.state import PostStatus
from octopost.posts.tables import Post
from octopost.runtime import Runtime
from octopost.series import repository
from octopost.series.rules import Rule
from octopost.series.tables import PostSeries
from octopost.webhooks.events import EventType
from octopost.webhooks.outbox import record_post_event

log = logging.getLogger("octopost.series")

SERIES_PER_RUN = 100
OCCURRENCES_PER_RUN = 100  # per series and run: a long horizon fills over several runs, in short transactions


async def materialize(runtime: Runtime, now: datetime | None = None) -> int:
    """One run over the series with work: how many occurrences it created."""
    now = now or utcnow()
    horizon_end = now + timedelta(hours=runtime.settings.series_horizon_hours)
    async with runtime.db.session() as session:
        series_ids = await repository.with_work(session, now, horizon_end, SERIES_PER_RUN)
    created = 0
    for series_id in series_ids:
        created += await materialize_series(runtime, series_id, now, horizon_end)
    return created


def _occurrence(series: PostSeries, at: datetime, now: datetime) -> Post:
    template = dict(series.template)
    after = template.pop("unpublish_after_seconds", None)
    return Post(
        **template,
        unpublish_at=at + timedelta(seconds=after) if after is not None else None,
        id=new_id("post"),
        workspace_id=series.workspace_id,
        is_test=series.is_test,
        status=PostStatus.SCHEDULED,
        scheduled_for=at,
        series_id=series.id,
        occurrence_at=at,
        created_at=now,
        updated_at=now,
    )


async def _accounts(runtime: Runtime, series: PostSeries, now: datetime) -> dict[str, str | None]:
    """The template's platform checks (over the network, so before the transaction). A template that no longer
    passes (an account named by it was removed) still makes its occurrences: they fail at publish time with the
    reason on them, where a client sees it, instead of silently not happening."""
    caller = Caller(key_id="series", workspace_id=series.workspace_id, mode="test" if series.is_test else "live",
                    scopes=())
    try:
        return await schedule_checks(runtime, caller, _occurrence(series, series.next_at or now, now))
    except ValidationFailed as exc:
        log.warning("series template fails its checks", extra={"series_id": series.id, "problems": exc.message})
        return {}


async def materialize_series(runtime: Runtime, series_id: str, now: datetime, horizon_end: datetime) -> int:
    async with runtime.db.session() as session:
        seen = await repository.get(session, series_id)
    if seen is None:
        return 0
    accounts = await _accounts(runtime, seen, now)
    created = 0
    async with runtime.db.transaction() as session:
        series = await repository.lock(session, series_id)
        if series is None:
            return 0
        rule = Rule(series.rrule, series.timezone, series.starts_at)
        cursor, next_at = series.materialized_until, None
        for n, at in enumerate(rule.instants(after=cursor, until=series.ends_at)):
            if (at > horizon_end and cursor > now) or n == OCCURRENCES_PER_RUN:
                next_at = at  # far enough ahead, with the next one made (or this run's share done)
                break
            cursor = at
            if at <= now:
                log.warning("series occurrence skipped: its time passed", extra={"series_id": series.id})
            elif await _create(session, _occurrence(series, at, now), accounts):
                created += 1
        series.materialized_until, series.next_at = cursor, next_at
        session.add(series)
    if created:
        log.info("series occurrences created", extra={"series_id": series_id, "created": created})
    return created


async def _create(session: AsyncSession, post: Post, accounts: dict[str, str | None]) -> bool:
    try:
        async with session.begin_nested():
            await posts_repo.add(session, post)
    except IntegrityError:
        return False  # this occurrence exists already
    assert post.scheduled_for is not None
    await posts_repo.replace_targets(session, post, post.scheduled_for, accounts)
    await record_post_event(session, EventType.POST_SCHEDULED, post)
    return True
