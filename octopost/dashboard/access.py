"""Who is looking at the dashboard, and whether a form really came from it.

``provide_dashboard_caller`` is the dashboard's ``caller`` dependency: the session's API key resolved again on
every request, exactly as the REST API resolves a bearer key (revoked → signed out; the key's rate limit counted;
the scope the route declares in its ``opt`` checked). ``csrf_guard`` refuses any state-changing request under
/app whose synchronizer token (form field ``csrf_token`` or header ``X-CSRF-Token``) does not match the session.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from octopost.auth import resolve_key
from octopost.dashboard.cookies import runtime_of, seal_of, session_of
from octopost.errors import Unauthorized
from octopost.keys.scopes import require_scope
from octopost.keys.service import Caller
from octopost.ratelimit import service as ratelimit
from octopost.runtime import Runtime

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SignInRequired(Exception):
    """No session with a key (or its key no longer works): the browser goes to the sign-in page."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or "Sign in required")
        self.message = message


class CsrfRefused(Exception):
    """A state-changing request without this session's token: refused before anything runs."""


async def provide_dashboard_caller(request: Request[Any, Any, Any], runtime: Runtime) -> Caller:
    session = session_of(request)
    if session is None or session.key is None:
        raise SignInRequired()
    route_opt = request.route_handler.opt
    try:
        caller = await resolve_key(runtime, session.key, ratelimit.budget_of(route_opt), request.scope["state"])
    except Unauthorized:
        raise SignInRequired("This API key was revoked or no longer exists. Sign in with another key.") from None
    require_scope(caller.scopes, route_opt)
    request.scope["state"]["dashboard_caller"] = caller
    return caller


async def csrf_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    if connection.scope.get("method") in _SAFE_METHODS:
        return
    session = session_of(connection)  # type: ignore[arg-type]  # an HTTP connection; only cookies are read
    token = connection.headers.get(CSRF_HEADER)
    if token is None:
        content_type = connection.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            # The body is cached on the connection, so the handler reads the same form afterwards.
            form = await Request(connection.scope, connection.receive).form()
            value = form.get(CSRF_FIELD)
            token = value if isinstance(value, str) else None
    if session is None or not seal_of(connection).csrf_valid(session, token):  # type: ignore[arg-type]
        raise CsrfRefused()


def csrf_token_of(request: Request[Any, Any, Any]) -> str | None:
    session = session_of(request)
    return seal_of(request).csrf_token(session) if session else None


def signed_in_caller(request: Request[Any, Any, Any]) -> Caller | None:
    """The caller the dependency resolved for this request (None on pages that need no sign-in)."""
    caller: Caller | None = request.scope["state"].get("dashboard_caller")
    return caller


__all__ = ["CsrfRefused", "SignInRequired", "csrf_guard", "provide_dashboard_caller", "runtime_of"]
