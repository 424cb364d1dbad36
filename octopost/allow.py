"""The ``Allow`` header of automatic OPTIONS answers lists every method of the path.

Litestar 2 builds the OPTIONS handler with the first handler registered on a path and never updates it, so
``OPTIONS /v1/posts`` answered ``Allow: OPTIONS, POST`` without GET (litestar-org/litestar#4169, fixed in v3).
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.routes import HTTPRoute
from litestar.types import Message, Scope


async def complete_allow_header(message: Message, scope: Scope) -> None:
    """A ``before_send`` hook: rewrite ``Allow`` on OPTIONS answers from the route table."""
    if message["type"] != "http.response.start" or scope.get("method") != "OPTIONS":
        return
    headers = MutableScopeHeaders.from_message(message)
    if "allow" not in headers:
        return
    template = scope.get("path_template")
    for route in scope["app"].routes:
        if isinstance(route, HTTPRoute) and route.path_format == template:
            headers["Allow"] = ", ".join(sorted(route.methods))
            return
