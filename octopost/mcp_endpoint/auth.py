"""Who calls /mcp, and what each tool lets them do: the REST API's keys, scopes and rate limits.

Every HTTP request to /mcp presents ``Authorization: Bearer <API key>`` and counts against the key's general
budget, before the SDK reads it (a missing, unknown or revoked key is a 401 in the error envelope, like /v1).
A tool then needs the scope its REST route declares, and the tools whose REST route has the publish budget
(publish, retry) count against that budget too, since each one fans out to every platform of the post.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any, cast

from litestar.datastructures import Headers
from litestar.types import Scope

from octopost.auth import resolve_key
from octopost.db import utcnow
from octopost.errors import Unauthorized
from octopost.keys.scopes import require_scope
from octopost.keys.service import Caller, bearer_token
from octopost.ratelimit import service as ratelimit
from octopost.runtime import Runtime

_CALLER = "octopost.mcp.caller"  # the ASGI scope key the tools read the request's caller from
_RUNTIME = "octopost.mcp.runtime"


async def authenticate(runtime: Runtime, scope: MutableMapping[str, Any]) -> None:
    """Resolve the request's key into its caller, kept in ``scope`` for the tools (Unauthorized or
    TooManyRequests otherwise: raised to the app's error handlers, which answer in the envelope)."""
    token = bearer_token(Headers.from_scope(cast(Scope, scope)).get("authorization"))
    caller = await resolve_key(runtime, token, ratelimit.GENERAL, scope["state"])
    scope[_CALLER] = caller
    scope[_RUNTIME] = runtime


def request_identity(scope: Mapping[str, Any] | None) -> tuple[Runtime, Caller]:
    """The runtime and caller ``authenticate`` kept in the HTTP request's scope."""
    if scope is None or _CALLER not in scope:
        raise Unauthorized("Missing Authorization header; send 'Authorization: Bearer <api key>'")
    return scope[_RUNTIME], scope[_CALLER]


async def authorize(runtime: Runtime, caller: Caller, route_opt: Mapping[str, Any]) -> None:
    """Forbidden without the scope of the tool's REST route; TooManyRequests past its publish budget."""
    require_scope(caller.scopes, route_opt)
    bucket = ratelimit.budget_of(dict(route_opt))
    limit = ratelimit.limit_of(runtime.settings, bucket)
    if bucket != ratelimit.PUBLISH or not limit:
        return  # the general budget was counted when the HTTP request arrived
    async with runtime.db.transaction() as session:
        state = await ratelimit.hit(session, caller.key_id, bucket, limit, utcnow())
    ratelimit.ensure_within(state, bucket)
