"""The request id: the client's X-Request-Id when it is a sane token, else a new one; kept in a context variable for
the logs of everything the request does, and returned as X-Request-Id on every response (errors and 404s too)."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

from litestar.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "x-request-id"
# A proxy's or client's id is kept only when it cannot break a log line or a header: short, no spaces or quotes.
_SANE = re.compile(r"[A-Za-z0-9._:@+=/-]{1,128}")

current: ContextVar[str | None] = ContextVar("octopost_request_id", default=None)


def choose(incoming: str | None) -> str:
    if incoming is not None and _SANE.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def _incoming(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == HEADER.encode():
            return value.decode("latin-1")
    return None


class RequestIdMiddleware:
    """Outermost ASGI wrapper (around Litestar's routing and exception handling), so the id is set before anything
    logs and is on responses Litestar answers without reaching a route (404, 405)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = choose(_incoming(scope))
        token = current.set(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() != HEADER.encode()]
                message["headers"] = [*headers, (HEADER.encode(), request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            current.reset(token)
