"""GET /v1/posts: a page of posts, newest first by default; a status, a window of scheduled times and
``sort=scheduled_for`` make it a calendar's query (soonest first, over an index of scheduled times)."""

from __future__ import annotations

from datetime import datetime

from octopost.errors import Problems
from octopost.keys.service import Caller
from octopost.posts import repository
from octopost.posts.repository import PageQuery
from octopost.posts.schemas import PostList
from octopost.posts.state import PostStatus
from octopost.posts.views import to_read
from octopost.runtime import Runtime
from octopost.timefmt import parse_aware

MAX_PAGE = 100
SORTS = ("created_at", "scheduled_for")


def _instant(name: str, value: str | None, problems: Problems) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_aware(value)
    except ValueError as exc:
        problems.add(f"{name}: {value!r} is not an ISO 8601 datetime with a timezone ({exc})")
        return None


def page_query(
    status: str | None,
    limit: int,
    offset: int,
    scheduled_from: str | None = None,
    scheduled_to: str | None = None,
    sort: str = "created_at",
) -> PageQuery:
    """The query, every problem with it named at once (422)."""
    problems = Problems()
    if status is not None and status not in {s.value for s in PostStatus}:
        problems.add(f"status: must be one of {', '.join(s.value for s in PostStatus)}")
    if not 1 <= limit <= MAX_PAGE:
        problems.add(f"limit: must be between 1 and {MAX_PAGE}")
    if offset < 0:
        problems.add("offset: must not be negative")
    if sort not in SORTS:
        problems.add(f"sort: must be one of {', '.join(SORTS)}")
    start = _instant("scheduled_from", scheduled_from, problems)
    end = _instant("scheduled_to", scheduled_to, problems)
    if start is not None and end is not None and end <= start:
        problems.add("scheduled_to: must be after scheduled_from")
    problems.raise_if_any()
    return PageQuery(status, start, end, sort, limit, offset)


async def list_posts(runtime: Runtime, caller: Caller, query: PageQuery) -> PostList:
    async with runtime.db.session() as session:
        posts, total = await repository.page(session, caller.workspace_id, query, is_test=caller.is_test)
        targets = await repository.targets_by_post(session, [p.id for p in posts])
        target_ids = [t.id for ts in targets.values() for t in ts]
        deliveries = await repository.deliveries_by_target(session, target_ids)
        unpublishes = await repository.unpublishes_by_target(session, target_ids)
    return PostList(posts=[to_read(p, targets.get(p.id, []), deliveries, unpublishes) for p in posts], total=total)
