"""When a failed webhook delivery is tried again: exponential backoff with jitter over about a day, at least
as late as the receiver's Retry-After. Pure functions; the sender passes the clock and the randomness."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

# Delay after the 1st, 2nd, … failed attempt, in units of the base delay. With the default base of 5 s:
# 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, 8 h — 11 attempts spanning about 23.7 hours.
STEPS = (1, 6, 24, 120, 360, 720, 1440, 2880, 5760, 5760)
MAX_ATTEMPTS = len(STEPS) + 1
DEFAULT_BASE_SECONDS = 5.0
JITTER = 0.2  # each delay is spread over ±10%, so endpoints that failed together don't retry together
MAX_RETRY_AFTER = timedelta(hours=24)  # a receiver cannot park a delivery for longer than this


def next_retry_at(
    attempt: int,
    now: datetime,
    retry_after: float | None = None,
    *,
    base_seconds: float = DEFAULT_BASE_SECONDS,
    rand: Callable[[], float] = random.random,
) -> datetime | None:
    """When to try again after attempt number ``attempt`` (1-based) failed; None once the retries are spent."""
    if attempt >= MAX_ATTEMPTS:
        return None
    delay = timedelta(seconds=STEPS[attempt - 1] * base_seconds * (1 - JITTER / 2 + JITTER * rand()))
    if retry_after is not None:
        delay = max(delay, min(timedelta(seconds=max(retry_after, 0.0)), MAX_RETRY_AFTER))
    return now + delay


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max((when - now).total_seconds(), 0.0)
