"""What the Graph API's answers mean: every failure is ``{"error": {"message", "type", "code", "error_subcode",
"is_transient", "error_user_msg", "fbtrace_id"}}``, and the ``code`` says more than the HTTP status:

- 190 (and 102): the token is invalid, expired or revoked. Meta has no RFC 6749 refresh for it (a long-lived user
  token is exchanged, a Page token from it does not expire): ReauthRequired, the Page connects again.
- 4, 17, 32, 613, 80001: the app's, the user's or the Page's rate limit (retry_after from the usage headers).
- 368: the Page is blocked from posting for a while (a policy action): Rejected with Meta's message.
- 1, 2 (or ``is_transient``): Meta's own temporary failure: Transient.
- 506: a duplicate post; the adapter reads the feed for the first one (adapter.py), never fails on it blindly.
- 324, 352: the file is refused (an image Graph cannot read, a video format it does not take): MediaRejected.

Kept here until the Meta helpers (Threads, Instagram) share one Graph module; the integrator folds them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from adapters.base import MediaRejected, RateLimited, ReauthRequired, Transient
from adapters.http import ErrorTable

DUPLICATE_POST = 506
UNSUPPORTED_REQUEST = 100  # with subcode 33: the object does not exist (or cannot be seen with this token)
MISSING_OBJECT_SUBCODE = 33
GRAPH_ERRORS = ErrorTable(
    statuses={401: ReauthRequired},
    codes={
        190: ReauthRequired,
        102: ReauthRequired,
        4: RateLimited,
        17: RateLimited,
        32: RateLimited,
        613: RateLimited,
        80001: RateLimited,
        1: Transient,
        2: Transient,
        324: MediaRejected,
        352: MediaRejected,
    },
)
_USAGE_HEADERS = ("x-business-use-case-usage", "x-page-usage", "x-app-usage")


def graph_error(body: Any) -> Mapping[str, Any]:
    error = body.get("error") if isinstance(body, Mapping) else None
    return error if isinstance(error, Mapping) else {}


def error_code(body: Any) -> int | None:
    code = graph_error(body).get("code")
    return code if isinstance(code, int) else None


def describe(body: Any) -> str:
    """Meta's message for the user when it has one, else its developer message, with the code."""
    error = graph_error(body)
    text = error.get("error_user_msg") or error.get("message")
    code = error.get("code")
    message = text.strip() if isinstance(text, str) else ""
    return f"{message} (code {code})" if isinstance(code, int) and message else message


def regain_seconds(headers: Mapping[str, str]) -> float | None:
    """When a throttled app may call again: the largest ``estimated_time_to_regain_access`` (minutes) in Meta's
    usage headers (the business use case header is a map of ids to lists, the others one object)."""
    minutes: list[float] = []
    for name in _USAGE_HEADERS:
        raw = headers.get(name)
        if not raw:
            continue
        try:
            usage = json.loads(raw)
        except ValueError:
            continue
        minutes.extend(_regain_minutes(usage))
    return max(minutes) * 60 if minutes else None


def _regain_minutes(usage: Any) -> list[float]:
    if isinstance(usage, list):
        return [m for item in usage for m in _regain_minutes(item)]
    if not isinstance(usage, Mapping):
        return []
    value = usage.get("estimated_time_to_regain_access")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [float(value)]
    return [m for item in usage.values() if isinstance(item, list | Mapping) for m in _regain_minutes(item)]
