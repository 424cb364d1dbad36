"""The rate-limit headers on every authenticated response, errors included (set where the response is sent)."""

from __future__ import annotations

import math
from typing import Any

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

from octopost.ratelimit.service import RateLimitState

_STATE_KEY = "octopost.rate_limit"


def remember(scope_state: dict[str, Any], state: RateLimitState) -> None:
    """Keep the request's rate-limit state for the response headers (``scope["state"]``)."""
    scope_state[_STATE_KEY] = state


async def add_rate_limit_headers(message: Message, scope: Scope) -> None:
    """A ``before_send`` hook: X-RateLimit-Limit/-Remaining/-Reset (epoch seconds), and Retry-After on a 429."""
    if message["type"] != "http.response.start":
        return
    state = scope.get("state", {}).get(_STATE_KEY)
    if not isinstance(state, RateLimitState):
        return
    headers = MutableScopeHeaders.from_message(message=message)
    headers["X-RateLimit-Limit"] = str(state.limit)
    headers["X-RateLimit-Remaining"] = str(state.remaining)
    headers["X-RateLimit-Reset"] = str(math.ceil(state.reset_at.timestamp()))
    if state.exceeded:
        headers["Retry-After"] = str(state.retry_after)
