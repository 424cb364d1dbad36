"""Rate limits per API key: a general budget, and a separate, lower one for publishes. 0 turns one off.

Counters live in the database (one row per key and budget), so every worker of a PostgreSQL deployment
shares them. Each authenticated request costs one statement, in the transaction that looked its key up.
Every request counts, refused ones too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from octopost.db import Database
from octopost.errors import TooManyRequests
from octopost.ratelimit import repository
from octopost.settings import Settings
from octopost.timefmt import iso

WINDOW = timedelta(minutes=1)
ROUTE_OPT = "rate_limit"  # a route's opt naming its budget; routes without it use the general one
GENERAL = "api"
PUBLISH = "publish"


@dataclass(frozen=True)
class RateLimitState:
    limit: int
    remaining: int
    reset_at: datetime
    retry_after: int  # whole seconds until the window resets (at least 1)
    exceeded: bool

    def details(self) -> dict[str, Any]:
        return {
            "limit": self.limit,
            "remaining": self.remaining,
            "reset_at": iso(self.reset_at),
            "retry_after": self.retry_after,
        }


def budget_of(route_opt: dict[str, Any]) -> str:
    return PUBLISH if route_opt.get(ROUTE_OPT) == PUBLISH else GENERAL


def limit_of(settings: Settings, bucket: str) -> int:
    return settings.publish_rate_limit_per_minute if bucket == PUBLISH else settings.rate_limit_per_minute


async def hit(session: AsyncSession, key_id: str, bucket: str, limit: int, now: datetime) -> RateLimitState:
    """Count this request against the key's ``bucket``; the state says whether it is over ``limit``."""
    now_ms = int(now.timestamp() * 1000)
    window_ms = int(WINDOW.total_seconds() * 1000)
    hits, start_ms = await repository.count_hit(session, key_id, bucket, now_ms, window_ms)
    reset_at = datetime.fromtimestamp((start_ms + window_ms) / 1000, UTC)
    return RateLimitState(
        limit=limit,
        remaining=max(limit - hits, 0),
        reset_at=reset_at,
        retry_after=max(math.ceil((reset_at - now).total_seconds()), 1),
        exceeded=hits > limit,
    )


def ensure_within(state: RateLimitState, bucket: str) -> None:
    if state.exceeded:
        what = "publishes" if bucket == PUBLISH else "requests"
        raise TooManyRequests(
            f"Rate limit exceeded: {state.limit} {what} per minute for this API key; retry in {state.retry_after} s",
            state.details(),
        )


async def purge_idle(db: Database, now: datetime, idle: timedelta = timedelta(hours=1)) -> int:
    """Forget counters whose window started more than ``idle`` ago (a forgotten counter starts afresh)."""
    async with db.transaction() as session:
        return await repository.purge_started_before(session, int((now - idle).timestamp() * 1000))
