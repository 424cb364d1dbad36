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


async def provide_caller(request: Request[Any, Any, Any], runtime: Runtime) -> Caller:
    token = bearer_token(request.headers.get("authorization"))
    route_opt = request.route_handler.opt
    bucket = ratelimit.budget_of(route_opt)
    limit = ratelimit.limit_of(runtime.settings, bucket)
    async with runtime.db.transaction() as session:  # one round trip: the key, then its counter
        caller = await caller_for(session, token)
        state = await ratelimit.hit(session, caller.key_id, bucket, limit, utcnow()) if limit else None
    if state is not None:
        remember(request.scope["state"], state)
        ratelimit.ensure_within(state, bucket)
    require_scope(caller.scopes, route_opt)
    return caller


def provide_runtime(request: Request[Any, Any, Any]) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime
