"""Posts: the list at /app/posts (by status, a page at a time) and each post's detail with its actions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, Request, Response, get, post

from octopost.dashboard.calendar import zone_named
from octopost.dashboard.render import redirect, render
from octopost.dashboard.timeline import timeline
from octopost.errors import ValidationFailed
from octopost.keys.service import Caller
from octopost.posts import listing, retry, service, unpublish
from octopost.posts.schemas import PostUpdate, RetryRequest, UnpublishRequest
from octopost.posts.state import PostStatus
from octopost.runtime import Runtime
from octopost.timefmt import iso, parse_aware

PAGE_SIZE = 25
EDITABLE = ("draft", "scheduled")


def _platforms(form: Any) -> list[str] | None:
    chosen = [str(value) for value in form.getall("platform", [])]
    return chosen or None  # none ticked: every platform the action applies to


def _local_input(scheduled_for: str | None, zone_name: str) -> str:
    """A stored instant as a datetime-local field's value in ``zone_name``."""
    if not scheduled_for:
        return ""
    return parse_aware(scheduled_for).astimezone(zone_named(zone_name)).strftime("%Y-%m-%dT%H:%M")


def _instant(local: str, zone_name: str) -> str | None:
    if not local.strip():
        return None
    try:
        naive = datetime.fromisoformat(local.strip())
    except ValueError:
        raise ValidationFailed.of([f"scheduled for: {local!r} is not a date and time"]) from None
    return iso(naive.replace(tzinfo=zone_named(zone_name)))


class PostPages(Controller):
    path = "/posts"
    opt = {"scope": "posts:write"}  # the pages override it with posts:read

    @get("/", opt={"scope": "posts:read"})
    async def list_posts(
        self, request: Request[Any, Any, Any], runtime: Runtime, caller: Caller, status: str = "", page: int = 1
    ) -> Response[Any]:
        page = max(page, 1)
        query = listing.page_query(status or None, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        found = await listing.list_posts(runtime, caller, query)
        return render(
            request,
            "posts.html",
            {
                "title": "Posts",
                "posts": found.posts,
                "total": found.total,
                "status": status,
                "statuses": [s.value for s in PostStatus],
                "page": page,
                "pages": max((found.total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
            },
        )

    @get("/{post_id:str}", opt={"scope": "posts:read"})
    async def detail(
        self, request: Request[Any, Any, Any], runtime: Runtime, caller: Caller, post_id: str, tz: str = "UTC"
    ) -> Response[Any]:
        found = await service.get(runtime, caller, post_id)  # another workspace's post: NotFound, a 404 page
        return render(
            request,
            "post.html",
            {
                "title": f"Post {found.id}",
                "post": found,
                "moments": await timeline(runtime, caller, found),
                "editable": found.status in EDITABLE,
                "tz": zone_named(tz).key,
                "scheduled_local": _local_input(found.scheduled_for, tz),
                "failed": [p for p, r in (found.platform_results or {}).items() if not r.success],
                "posted": [p for p, r in (found.platform_results or {}).items() if r.segments or r.post_id],
            },
        )

    @post("/{post_id:str}/retry", opt={"rate_limit": "publish"})
    async def retry_post(self, request: Request[Any, Any, Any], runtime: Runtime, caller: Caller, post_id: str) -> Any:
        form = await request.form()
        data = RetryRequest(platforms=_platforms(form), include_unconfirmed=form.get("include_unconfirmed") == "on")
        await retry.retry(runtime, caller, post_id, data)
        return redirect(request, f"/app/posts/{post_id}", "Retrying: the failed platforms are being published again.")

    @post("/{post_id:str}/unpublish")
    async def unpublish_post(
        self, request: Request[Any, Any, Any], runtime: Runtime, caller: Caller, post_id: str
    ) -> Any:
        form = await request.form()
        await unpublish.unpublish(runtime, caller, post_id, UnpublishRequest(platforms=_platforms(form)))
        return redirect(request, f"/app/posts/{post_id}", "Unpublishing: the scheduler deletes what was posted.")

    @post("/{post_id:str}/edit")
    async def edit(self, request: Request[Any, Any, Any], runtime: Runtime, caller: Caller, post_id: str) -> Any:
        form = await request.form()
        zone_name = str(form.get("tz") or "UTC")
        when = _instant(str(form.get("scheduled_for") or ""), zone_name)
        change = PostUpdate(content=str(form.get("content") or ""), scheduled_for=when)
        try:
            await service.update(runtime, caller, post_id, change)
        except ValidationFailed as failed:
            return redirect(request, f"/app/posts/{post_id}?tz={zone_name}", failed.message, kind="error")
        return redirect(request, f"/app/posts/{post_id}?tz={zone_name}", "Saved.")
