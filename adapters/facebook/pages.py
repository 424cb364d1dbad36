"""The Pages a Facebook user manages: ``GET /me/accounts`` lists them with the user's token, each with its own Page
access token and the tasks the user may do there (``CREATE_CONTENT`` is what posting needs). ``managed_page`` takes
the one named by ``page_id``; connect.py also picks the only Page the user may post on when none was named."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from adapters.answers import non_empty_text
from adapters.base import Rejected, Transient
from adapters.facebook.api import GraphApi

_MAX_PAGES_READ = 10  # pages of /me/accounts followed (100 Pages each)
POSTING_TASK = "CREATE_CONTENT"


@dataclass(frozen=True)
class Page:
    id: str
    name: str
    token: str = field(repr=False)


@dataclass(frozen=True)
class ListedPage:
    """A Page as /me/accounts lists it. ``tasks`` None: Graph did not say (then posting is not ruled out)."""

    id: str
    name: str
    token: str | None = field(repr=False)
    tasks: tuple[str, ...] | None

    @property
    def may_post(self) -> bool:
        return self.tasks is None or POSTING_TASK in self.tasks

    @property
    def label(self) -> str:
        return f"{self.name} ({self.id})"

    def page(self) -> Page:
        if self.token is None:
            raise Transient("Facebook answered /me/accounts without the Page's access token")
        return Page(self.id, self.name, self.token)


async def managed_pages(user: GraphApi) -> list[ListedPage]:
    """Every Page the user's token lists, following Graph's cursors."""
    listed: list[ListedPage] = []
    params: dict[str, str] = {"fields": "id,name,access_token,tasks", "limit": "100"}
    for _ in range(_MAX_PAGES_READ):
        answer = await user.read("/me/accounts", action="Page lookup", **params)
        listed.extend(_listed(entry) for entry in _entries(answer))
        after = _next_cursor(answer)
        if after is None:
            break
        params = {**params, "after": after}
    return listed


async def managed_page(user: GraphApi, page_id: str) -> Page:
    """The Page ``page_id`` among the user's, with its token; Rejected when the user does not manage it or may not
    post there (naming the Pages it could choose instead)."""
    listed = await managed_pages(user)
    chosen = next((entry for entry in listed if entry.id == page_id), None)
    if chosen is None:
        others = [entry.label for entry in listed]
        choices = f"; the Pages it manages: {', '.join(others)}" if others else "; it manages no Page (or granted none)"
        raise Rejected(
            f"Facebook: the connected user does not manage the Page {page_id}{choices}. Connect again and choose the "
            "Page (pages_show_list and pages_manage_posts must be granted for it)"
        )
    if not chosen.may_post:
        raise Rejected(
            f"Facebook: the user may not create content on the Page {chosen.name!r} (its tasks: "
            f"{', '.join(chosen.tasks or ()) or 'none'}); ask an admin for the Create content task"
        )
    return chosen.page()


def _listed(entry: Mapping[str, Any]) -> ListedPage:
    page_id = str(entry.get("id"))
    tasks = entry.get("tasks")
    return ListedPage(
        id=page_id,
        name=non_empty_text(entry.get("name")) or page_id,
        token=non_empty_text(entry.get("access_token")),
        tasks=tuple(map(str, tasks)) if isinstance(tasks, list) else None,
    )


def _entries(answer: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    data = answer.get("data")
    return [entry for entry in data if isinstance(entry, Mapping)] if isinstance(data, list) else []


def _next_cursor(answer: Mapping[str, Any]) -> str | None:
    paging = answer.get("paging")
    if not isinstance(paging, Mapping) or not paging.get("next"):
        return None
    cursors = paging.get("cursors")
    return non_empty_text(cursors.get("after")) if isinstance(cursors, Mapping) else None
