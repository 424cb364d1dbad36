"""The calendar at /app: the week's or month's scheduled posts."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get

from octopost.dashboard.render import render
from octopost.keys.service import Caller


class CalendarController(Controller):
    path = "/"
    opt = {"scope": "posts:read"}

    @get("/")
    async def calendar(self, request: Request[Any, Any, Any], caller: Caller) -> Response[Any]:
        return render(request, "calendar.html", {"title": "Calendar"})
