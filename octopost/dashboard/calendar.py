"""The calendar at /app: a week or a month of scheduled posts at their local time, and the queue's slots in it.

The time zone is the ``tz`` query parameter; without it the page's script reloads it with the browser's zone
(UTC until then, and for a browser without scripts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Controller, Request, Response, get

from octopost.dashboard.render import render
from octopost.db import utcnow
from octopost.errors import ValidationFailed
from octopost.keys.service import Caller
from octopost.posts import listing
from octopost.posts.listing import MAX_PAGE
from octopost.posts.schemas import PostRead
from octopost.queue import service as queue
from octopost.runtime import Runtime
from octopost.timefmt import iso, parse_aware
from octopost.timezones import find_zone

VIEWS = ("week", "month")
_MAX_POSTS = 1000  # a month this full is shown in part (the list view pages through everything)


def zone_named(name: str | None) -> ZoneInfo:
    found = find_zone(name or "UTC")
    if found is None:
        raise ValidationFailed.of([f"tz: {name!r} is not an IANA time zone (e.g. Europe/Paris)"])
    return found


@dataclass
class Day:
    day: date
    in_range: bool
    posts: list[tuple[str, PostRead]] = field(default_factory=list)  # (local time, post)
    slots: list[tuple[str, bool]] = field(default_factory=list)  # (local time, taken)


def _window(view: str, anchor: date) -> tuple[date, date, date, date]:
    """(first shown, after last shown, previous anchor, next anchor); weeks start on Monday."""
    if view == "week":
        start = anchor - timedelta(days=anchor.weekday())
        return start, start + timedelta(days=7), start - timedelta(days=7), start + timedelta(days=7)
    first = anchor.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    previous = (first - timedelta(days=1)).replace(day=1)
    start = first - timedelta(days=first.weekday())
    end = following + timedelta(days=(7 - following.weekday()) % 7)
    return start, end, previous, following


async def _posts(runtime: Runtime, caller: Caller, start: datetime, end: datetime) -> list[PostRead]:
    found: list[PostRead] = []
    while len(found) < _MAX_POSTS:
        query = listing.page_query(None, MAX_PAGE, len(found), iso(start), iso(end), "scheduled_for")
        page = await listing.list_posts(runtime, caller, query)
        found.extend(page.posts)
        if not page.posts or len(found) >= page.total:
            break
    return found


async def _slots(runtime: Runtime, caller: Caller, start: datetime, end: datetime) -> list[tuple[datetime, bool]]:
    """The queue's slots between ``start`` (or now, if later) and ``end``, each free or taken."""
    async with runtime.db.session() as session:
        row = await queue.schedule_of(session, caller.workspace_id, caller.is_test)
        instants: list[datetime] = []
        for at, _ in queue.candidates(row, max(start, utcnow())):
            if at >= end or len(instants) > 500:
                break
            instants.append(at)
        taken = await queue.held(session, caller.workspace_id, caller.is_test, instants) if instants else set()
    return [(at, at in taken) for at in instants]


class CalendarController(Controller):
    path = "/"
    opt = {"scope": "posts:read"}

    @get("/")
    async def calendar(
        self,
        request: Request[Any, Any, Any],
        runtime: Runtime,
        caller: Caller,
        view: str = "week",
        tz: str | None = None,
        day: str | None = None,
    ) -> Response[Any]:
        zone = zone_named(tz)
        if view not in VIEWS:
            raise ValidationFailed.of([f"view: must be one of {', '.join(VIEWS)}"])
        today = datetime.now(zone).date()
        try:
            anchor = date.fromisoformat(day) if day else today
        except ValueError:
            raise ValidationFailed.of([f"day: {day!r} is not a date (YYYY-MM-DD)"]) from None
        first, after, previous, following = _window(view, anchor)
        start = datetime.combine(first, time(), zone).astimezone(UTC)
        end = datetime.combine(after, time(), zone).astimezone(UTC)
        shown = [first + timedelta(days=n) for n in range((after - first).days)]
        days = {one: Day(one, in_range=view == "week" or one.month == anchor.month) for one in shown}
        for post in await _posts(runtime, caller, start, end):
            local = parse_aware(post.scheduled_for or "").astimezone(zone)
            if local.date() in days:
                days[local.date()].posts.append((local.strftime("%H:%M"), post))
        for at, taken in await _slots(runtime, caller, start, end):
            local = at.astimezone(zone)
            if local.date() in days:
                days[local.date()].slots.append((local.strftime("%H:%M"), taken))
        heading = f"Week of {first:%d %B %Y}" if view == "week" else f"{anchor:%B %Y}"
        return render(
            request,
            "calendar.html",
            {
                "title": "Calendar",
                "heading": heading,
                "view": view,
                "tz": zone.key,
                "tz_given": tz is not None,
                "days": list(days.values()),
                "today": today,
                "previous": previous.isoformat(),
                "following": following.isoformat(),
                "anchor": anchor.isoformat(),
            },
        )
