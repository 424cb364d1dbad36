"""What Google's answers mean for YouTube: the error envelope ``{"error": {"code", "message", "errors": [{"domain",
"reason", "message"}], "status"}}``, its reasons in the taxonomy, and when a spent quota comes back (YouTube's daily
quota resets at midnight Pacific time)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from adapters.base import AuthExpired, MediaRejected, RateLimited, Rejected, Transient
from adapters.http import ErrorTable

PACIFIC = ZoneInfo("America/Los_Angeles")
QUOTA_REASONS = frozenset({"quotaExceeded", "dailyLimitExceeded"})

YOUTUBE_ERRORS = ErrorTable(
    # 401: Google's access tokens last an hour and refresh (RFC 6749): the engine refreshes and tries once more.
    statuses={401: AuthExpired},
    codes={
        **dict.fromkeys(QUOTA_REASONS, RateLimited),
        "rateLimitExceeded": RateLimited,
        "userRateLimitExceeded": RateLimited,
        "uploadLimitExceeded": RateLimited,
        "authError": AuthExpired,
        "backendError": Transient,
        "invalidTitle": Rejected,
        "invalidDescription": Rejected,
        "mediaBodyRequired": MediaRejected,
        "invalidMetadata": Rejected,
    },
)


def google_error(body: Any) -> Mapping[str, Any]:
    error = body.get("error") if isinstance(body, Mapping) else None
    return error if isinstance(error, Mapping) else {}


def reason_of(body: Any) -> str | None:
    """The first ``errors[].reason`` (quotaExceeded, videoNotFound...): what Google's docs classify by."""
    errors = google_error(body).get("errors")
    first = errors[0] if isinstance(errors, list) and errors else None
    reason = first.get("reason") if isinstance(first, Mapping) else None
    return reason if isinstance(reason, str) and reason else None


def message_of(body: Any) -> str:
    error = google_error(body)
    message = error.get("message")
    reason = reason_of(body)
    text = message.strip() if isinstance(message, str) else ""
    return f"{reason}: {text}" if reason and text else reason or text


def until_pacific_midnight(now: datetime | None = None) -> float:
    """Seconds until the next midnight in America/Los_Angeles, when YouTube's daily quota is restored."""
    current = (now or datetime.now(UTC)).astimezone(PACIFIC)
    midnight = datetime.combine(current.date() + timedelta(days=1), datetime.min.time(), tzinfo=PACIFIC)
    return max(1.0, (midnight - current).total_seconds())
