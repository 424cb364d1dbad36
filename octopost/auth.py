"""Request authentication: every /v1 route gets the calling key's workspace as a `caller` dependency.

Resolving the caller also counts the request against the key's rate limit (429 past it) and checks the
scope the route declares in its ``opt`` (403 without it), in that order.
"""

from __future__ import annotations

from typing import Any

from litestar import Request

from octopost.db import utcnow
from octopost.keys.scopes import require_scope
from octopost.keys.service import Caller, bearer_token, caller_for
from octopost.ratelimit import service as ratelimit
from octopost.ratelimit.headers import remember
from octopost.runtime import Runtime


async def resolve_key(runtime: Runtime, token: str, bucket: str, scope_state: dict[str, Any]) -> Caller:
    """The key's caller, with this request counted against its ``bucket`` (429 past it; the X-RateLimit-* headers
    of the answer kept in ``scope_state``). One round trip: the key, then its counter. The REST API, the dashboard
    and /mcp all resolve their callers here."""
    limit = ratelimit.limit_of(runtime.settings, bucket)
    async with runtime.db.transaction() as session:
        caller = await caller_for(session, token)
        state = await ratelimit.hit(session, caller.key_id, bucket, limit, utcnow()) if limit else None
    if state is not None:
        remember(scope_state, state)
        ratelimit.ensure_within(state, bucket)
    return caller


async def provide_caller(request: Request[Any, Any, Any], runtime: Runtime) -> Caller:
    token = bearer_token(request.headers.get("authorization"))
    route_opt = request.route_handler.opt
    caller = await resolve_key(runtime, token, ratelimit.budget_of(route_opt), request.scope["state"])
    require_scope(caller.scopes, route_opt)
    return caller


def provide_runtime(request: Request[Any, Any, Any]) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime
