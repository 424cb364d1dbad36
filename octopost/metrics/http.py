"""Counting HTTP requests by route template (e.g. /v1/posts/{post_id:str}), never by raw path: ids in paths would
make a new series per object. A request no route matched (404, 405) counts under one label."""

from __future__ import annotations

from litestar.types import Message, Scope

from octopost.metrics.registry import HTTP_REQUESTS

UNMATCHED = "unmatched"


async def count_request(message: Message, scope: Scope) -> None:
    """A before_send hook: the response's first message carries its status."""
    if message["type"] != "http.response.start":
        return
    route = scope.get("path_template") or UNMATCHED  # set by Litestar's router once a route matched
    HTTP_REQUESTS.labels(route=route, method=scope.get("method", ""), status=str(message["status"])).inc()
