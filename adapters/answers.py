"""Reading what a platform answered, or failed to: one Retry-After parser, one "was the request sent?" rule, shared by
every adapter whatever its HTTP stack (httpx, or requests under Mastodon.py and tweepy)."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import httpx
import requests
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from adapters.base import AdapterError, OutcomeUnknown, Transient

# httpx errors raised before the request reached the platform (no connection was made): always safe to retry.
HTTPX_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
# The reset headers most platforms send with a 429: epoch seconds (GitHub-style) or an ISO 8601 time (Mastodon).
RESET_HEADERS = ("x-ratelimit-reset",)


def non_empty_text(value: Any) -> str | None:
    """A field of a JSON answer that should be text: the string, or None when it is missing, empty or not text."""
    return value if isinstance(value, str) and value else None


def was_sent(exc: BaseException) -> bool:
    """False only when the request surely never reached the platform (no connection was made); read timeouts,
    dropped connections and unreadable answers come after it went out."""
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
    return True


def lost_request(exc: BaseException, *, where: str, creates: bool) -> AdapterError:
    """A request that got no answer. ``creates``: it makes something on the platform, so an answer lost after the
    request went out is OutcomeUnknown (the publisher looks it up, resends under the same key, or leaves it
    unconfirmed); anything else is Transient."""
    detail = f"{type(exc).__name__}: {exc}"
    if not was_sent(exc):
        return Transient(f"{where}: the platform is unreachable ({detail})")
    if creates:
        return OutcomeUnknown(f"{where}: no answer after the request was sent ({detail}); it may have been applied")
    return Transient(f"{where} failed ({detail})")


def retry_after_seconds(
    headers: Mapping[str, str],
    *,
    body_seconds: Any = None,
    resets: Iterable[str] = RESET_HEADERS,
    now: float | None = None,
) -> float | None:
    """Seconds to wait before trying again, from what a 429 (or 503) carries, first found wins: a number in the
    body (Discord's ``retry_after``), ``Retry-After`` (seconds or an HTTP date), ``X-RateLimit-Reset-After``
    (seconds), then the latest of the ``resets`` headers (epoch seconds or ISO 8601). Times are compared with the
    server's ``Date`` when it sends one: its reset is on its clock. ``headers`` must be case-insensitive."""
    server_now = _http_date(headers.get("date")) or (time.time() if now is None else now)
    for value in (body_seconds, headers.get("retry-after"), headers.get("x-ratelimit-reset-after")):
        seconds = _seconds(value)
        if seconds is not None:
            return seconds
    retry_at = _http_date(headers.get("retry-after"))
    if retry_at is not None:
        return max(0.0, retry_at - server_now)
    found = [when for name in resets if (when := _moment(headers.get(name))) is not None]
    return max(0.0, max(found) - server_now) if found else None


def _seconds(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, seconds) if seconds == seconds else None  # NaN is no answer


def _moment(value: str | None) -> float | None:
    """A reset time: epoch seconds, or an ISO 8601 time (Mastodon)."""
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _http_date(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
