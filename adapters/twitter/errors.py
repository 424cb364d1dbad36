"""What X's answers mean, whichever stack brought them (tweepy for posts, httpx for the media upload): X's error
table, its messages, when a rate limit ends, and a failed tweepy call read as an answer. The shared pieces do the
rest: adapters/http.py turns an answer into the taxonomy, adapters/answers.py reads Retry-After and decides whether
a lost request was sent.

X's failures are v2 problems (``{"type": "https://api.x.com/2/problems/<kind>", "title", "detail"}``, sometimes with
``errors[]``) or the spec's ``Error`` (``{"errors": [{"message"}]}``); a 429 names one or more rate-limit windows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
import tweepy

from adapters.answers import retry_after_seconds
from adapters.base import ReauthRequired
from adapters.http import Answer, ErrorTable

# 403 problems that no change of content can fix: the app or its token is not allowed to call v2. Every other 400,
# 403 (duplicate content, a reply to a hidden post...), 404 and 422 (Prism: the request breaks X's spec) is the
# defaults' Rejected; 401 ReauthRequired (AuthExpired with a refresh token, see XApi), 429 RateLimited, 5xx Transient.
X_ERRORS = ErrorTable(codes={"client-forbidden": ReauthRequired, "unsupported-authentication": ReauthRequired})
# When a 429 comes with several windows, the exhausted ones (remaining == 0) say when posting works again: the
# 15-minute window, the 24-hour user and app posting caps.
_LIMIT_WINDOWS = ("x-rate-limit", "x-user-limit-24hour", "x-app-limit-24hour")
_PROBLEMS = "/2/problems/"


def problem_kind(body: Any) -> str | None:
    """The kind of a v2 problem (``client-forbidden``, ``invalid-request``...), from its ``type`` URL."""
    kind = body.get("type") if isinstance(body, Mapping) else None
    if not isinstance(kind, str) or _PROBLEMS not in kind:
        return None
    return kind.rsplit(_PROBLEMS, 1)[1] or None


def api_message(body: Any) -> str:
    """X's human message(s): v2 problems (``detail``/``title``), ``errors[].message|detail``, v1.1 ``errors``,
    and a top-level ``message``/``error`` (the spec's ``Error`` schema)."""
    if not isinstance(body, Mapping):
        return ""
    parts: list[str] = []
    for key in ("detail", "message", "error"):
        if isinstance(body.get(key), str):
            parts.append(body[key])
    if not parts and isinstance(body.get("title"), str):
        parts.append(body["title"])
    errors = body.get("errors")
    for error in errors if isinstance(errors, list) else []:
        if isinstance(error, str):
            parts.append(error)
        elif isinstance(error, Mapping):
            text = error.get("message") or error.get("detail")
            if isinstance(text, str):
                parts.append(text)
    return "; ".join(dict.fromkeys(part.strip() for part in parts if part.strip()))


def retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Retry-After, else the latest reset (epoch seconds, on X's clock) of an exhausted window, else
    ``x-rate-limit-reset``. ``headers`` must be case-insensitive."""
    exhausted = tuple(f"{window}-reset" for window in _LIMIT_WINDOWS if headers.get(f"{window}-remaining") == "0")
    return retry_after_seconds(headers, resets=exhausted or ("x-rate-limit-reset",), now=now)


def sdk_answer(exc: BaseException) -> Answer | None:
    """X's answer inside a tweepy error (a requests response), as the shared client reads answers; None when the
    call got no answer at all."""
    if not isinstance(exc, tweepy.HTTPException):
        return None
    response = exc.response
    try:
        body = response.json() if response.content else None
    except ValueError:
        body = None
    return Answer(response.status_code, httpx.Headers(dict(response.headers)), body, response.text)
