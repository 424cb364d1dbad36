"""The Page a Facebook account posts as, chosen at connect: the user's token lists the Pages it manages
(``GET /me/accounts``, each with its own Page access token and the tasks the user may do there); the one named by
``page_id`` in the credentials is taken, and its token is what every post uses."""

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


async def managed_page(user: GraphApi, page_id: str) -> Page:
    """The Page ``page_id`` among the user's, with its token; Rejected when the user does not manage it or may not
    post there (naming the Pages it could choose instead)."""
    seen: list[str] = []
    path = "/me/accounts"
    params: dict[str, str] = {"fields": "id,name,access_token,tasks", "limit": "100"}
    for _ in range(_MAX_PAGES_READ):
        answer = await user.read(path, action="Page lookup", **params)
        for entry in _entries(answer):
            name = non_empty_text(entry.get("name")) or str(entry.get("id"))
            if str(entry.get("id")) != page_id:
                seen.append(name)
                continue
            tasks = entry.get("tasks")
            if isinstance(tasks, list) and POSTING_TASK not in tasks:
                raise Rejected(
                    f"Facebook: the user may not create content on the Page {name!r} (its tasks: "
                    f"{', '.join(map(str, tasks)) or 'none'}); ask an admin for the Create content task"
                )
            token = non_empty_text(entry.get("access_token"))
            if token is None:
                raise Transient("Facebook answered /me/accounts without the Page's access token")
            return Page(page_id, name, token)
        after = _next_cursor(answer)
        if after is None:
            break
        params = {**params, "after": after}
    choices = f"; the Pages it manages: {', '.join(seen)}" if seen else "; it manages no Page (or granted none)"
    raise Rejected(
        f"Facebook: the connected user does not manage the Page {page_id}{choices}. Connect again and choose the "
        "Page (pages_show_list and pages_manage_posts must be granted for it)"
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
