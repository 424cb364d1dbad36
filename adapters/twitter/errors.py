"""The one place X's answers and network failures become the error taxonomy (see adapters/base.py).

Both stacks come through here: tweepy (``HTTPException`` carrying a requests response, raw ``requests``
errors) and our httpx media upload (``httpx.HTTPStatusError``, httpx transport errors).
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Mapping
from typing import Any

import httpx
import requests
import tweepy
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from adapters.answers import HTTPX_NEVER_SENT
from adapters.base import AdapterError, AuthExpired, OutcomeUnknown, RateLimited, ReauthRequired, Rejected, Transient

# 403 problem types that no change of content can fix: the app or its token is not allowed to call v2.
_FORBIDDEN_CLIENT = ("client-forbidden", "unsupported-authentication")
# When a 429 comes with several windows, the exhausted ones (remaining == 0) say when posting works again.
_LIMIT_WINDOWS = ("x-rate-limit", "x-user-limit-24hour", "x-app-limit-24hour")


def translate_error(
    exc: BaseException,
    *,
    action: str,
    may_have_applied: bool = False,
    can_refresh: bool = False,
    now: float | None = None,
) -> AdapterError:
    """Map an error raised while doing ``action`` (e.g. "post") to the taxonomy.

    ``may_have_applied``: the call creates something (POST /2/tweets), so losing the answer after the request
    went out is OutcomeUnknown — X has no idempotency key, so a resend could post twice.
    ``can_refresh``: an OAuth 2.0 refresh token is stored, so a 401 may be fixed by refreshing.
    """
    if isinstance(exc, AdapterError):
        return exc
    response = _response_of(exc)
    if response is not None:
        return from_response(
            response.status_code, response.headers, _json(response), action=action, can_refresh=can_refresh, now=now
        )
    return _network_error(exc, action=action, may_have_applied=may_have_applied)


def from_response(
    status: int,
    headers: Mapping[str, str],
    body: Any,
    *,
    action: str,
    can_refresh: bool = False,
    now: float | None = None,
) -> AdapterError:
    """The taxonomy for an X error answer (``headers`` must be case-insensitive, as requests' and httpx's are)."""
    message = api_message(body) or f"HTTP {status}"
    where = f"X {action}"
    if status == 401:
        if can_refresh:
            return AuthExpired(f"X refused the access token during {action} (401: {message}); it may be refreshed")
        return ReauthRequired(
            f"X refused the credentials during {action} (401: {message}): they were revoked or have expired; "
            "reconnect the account"
        )
    if status == 429:
        retry_after = retry_after_seconds(headers, time.time() if now is None else now)
        return RateLimited(f"{where}: X's rate limit was reached ({message})", retry_after=retry_after)
    if status == 403 and _problem_type(body).endswith(_FORBIDDEN_CLIENT):
        return ReauthRequired(f"X does not allow this app or token to {action} (403: {message}); reconnect it")
    if status >= 500 or status == 408:
        return Transient(f"{where}: X answered {status} ({message})")
    # 400 (X's validation), 403 (duplicate content, a reply to a hidden post...), 404, 422 (Prism: the request
    # breaks X's OpenAPI spec) and other 4xx: this content will not go through as it is.
    return Rejected(f"{where} was rejected ({status}): {message}")


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


def retry_after_seconds(headers: Mapping[str, str], now: float) -> float | None:
    """Retry-After (seconds or an HTTP date), else the latest reset (epoch seconds) of an exhausted window
    (the 15-minute ``x-rate-limit``, the 24-hour user and app posting caps), else ``x-rate-limit-reset``."""
    server_now = _http_date(headers.get("date")) or now  # X's reset is on X's clock
    value = headers.get("retry-after")
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            when = _http_date(value)
            if when is not None:
                return max(0.0, when - server_now)
    exhausted = [
        reset
        for window in _LIMIT_WINDOWS
        if headers.get(f"{window}-remaining") == "0" and (reset := _number(headers.get(f"{window}-reset"))) is not None
    ]
    reset = max(exhausted) if exhausted else _number(headers.get("x-rate-limit-reset"))
    return None if reset is None else max(0.0, reset - server_now)


# ---- plumbing -------------------------------------------------------------------------------------------


def _response_of(exc: BaseException) -> requests.Response | httpx.Response | None:
    if isinstance(exc, tweepy.HTTPException | httpx.HTTPStatusError):
        response: requests.Response | httpx.Response = exc.response
        return response
    return None


def _network_error(exc: BaseException, *, action: str, may_have_applied: bool) -> AdapterError:
    where = f"X {action}"
    detail = f"{type(exc).__name__}: {exc}"
    if not _was_sent(exc):
        return Transient(f"{where}: X is unreachable ({detail})")
    if may_have_applied:
        return OutcomeUnknown(
            f"{where}: no answer from X after the request was sent ({detail}); it may have been published, "
            "and X has no idempotency key, so it is not sent again"
        )
    return Transient(f"{where} failed ({detail})")


def _was_sent(exc: BaseException) -> bool:
    """False only when the request surely never reached X (no connection was made)."""
    if isinstance(exc, HTTPX_NEVER_SENT):
        return False
    if isinstance(exc, requests.ConnectTimeout | requests.exceptions.SSLError | requests.exceptions.InvalidURL):
        return False
    if isinstance(exc, requests.ConnectionError):
        # requests wraps urllib3: MaxRetryError(reason=NewConnectionError) when connecting failed,
        # ProtocolError (connection aborted/reset) when it failed after the request went out.
        reason = exc.args[0] if exc.args else None
        reason = getattr(reason, "reason", reason)
        return not isinstance(reason, NewConnectionError | ConnectTimeoutError)
    # Read timeouts, dropped connections, an unreadable 2xx body: the request went out.
    return True


def _json(response: requests.Response | httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _problem_type(body: Any) -> str:
    return str(body.get("type") or "") if isinstance(body, Mapping) else ""


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _http_date(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
