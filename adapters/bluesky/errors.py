"""The one place atproto/httpx errors become the adapter error taxonomy (see adapters/base.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from atproto_client.exceptions import LoginRequiredError, NetworkError, RateLimitExceededError, RequestErrorBase
from atproto_client.models.common import XrpcError
from atproto_core.exceptions import AtProtocolError

from adapters.answers import lost_request
from adapters.base import (
    AdapterError,
    AuthExpired,
    RateLimited,
    ReauthRequired,
    Rejected,
    Transient,
)

# What an SDK call raises: its own errors, and the httpx errors it passes through raw (RemoteProtocolError…).
SDK_ERRORS = (AtProtocolError, httpx.HTTPError)
# Refusals a new token cannot fix. (401 AuthenticationRequired outside a login is a token problem: AuthExpired.)
_REAUTH_ERRORS = frozenset({"InvalidToken", "AccountTakedown", "AccountDeactivated", "AuthFactorTokenRequired"})


def classify(exc: BaseException, *, may_have_applied: bool = False, logging_in: str | None = None) -> AdapterError:
    """Translate an atproto/httpx error into the taxonomy.

    ``may_have_applied``: the call creates something, so a response lost after sending means OutcomeUnknown.
    ``logging_in``: the identifier of a password login in progress, where 401 means a bad password.
    """
    if isinstance(exc, AdapterError):
        return exc
    if isinstance(exc, LoginRequiredError):
        return AuthExpired("Bluesky: no usable session")
    response = exc.response if isinstance(exc, RequestErrorBase) else None
    if response is None:
        return _transport_error(exc, may_have_applied)

    status = response.status_code
    error, message = xrpc_error(response.content)
    detail = f"Bluesky: {message or error or f'HTTP {status}'}"
    if isinstance(exc, RateLimitExceededError) or status == 429:
        return RateLimited(detail, retry_after=_retry_after(exc))
    if logging_in is not None and 400 <= status < 500:
        hint = " (accounts with 2FA need an app password)" if error == "AuthFactorTokenRequired" else ""
        return ReauthRequired(f"Bluesky refused the login for {logging_in!r}: {message or error}{hint}")
    if error == "ExpiredToken":
        return AuthExpired(detail)
    if error in _REAUTH_ERRORS or status == 403:
        return ReauthRequired(detail)
    if status == 401:
        return AuthExpired(detail)
    if status >= 500 or status == 409:
        return Transient(detail)
    if status == 413:
        return Rejected(f"Bluesky: the upload is too large ({message or 'payload too large'})")
    return Rejected(detail)


def _transport_error(exc: BaseException, may_have_applied: bool) -> AdapterError:
    """No answer: the SDK wraps httpx's timeouts (InvokeTimeoutError) and network errors (NetworkError) and lets the
    rest (RemoteProtocolError…) through raw; the shared rule decides from the httpx error whether it was sent."""
    cause = exc.__cause__ if isinstance(exc, AtProtocolError) and exc.__cause__ is not None else exc
    if isinstance(cause, httpx.HTTPError) or isinstance(exc, NetworkError):
        return lost_request(cause, where="Bluesky", creates=may_have_applied)
    # Not the network (a malformed answer, say): nothing is in doubt that the record key cannot settle.
    return Transient(f"Bluesky: unexpected client error: {type(exc).__name__}: {exc}")


def xrpc_error(content: object) -> tuple[str | None, str | None]:
    if isinstance(content, XrpcError):
        return content.error, content.message
    if isinstance(content, dict):
        return content.get("error"), content.get("message")
    return None, None


def _retry_after(exc: BaseException) -> float | None:
    if not isinstance(exc, RateLimitExceededError):
        return None
    if exc.retry_after is not None:
        return exc.retry_after
    if exc.reset_at is not None:
        return max((exc.reset_at - datetime.now(UTC)).total_seconds(), 0.0)
    return None


def session_rejected(exc: BaseException) -> bool:
    """The stored session (access or refresh token) is no good, but a password login may still work."""
    if isinstance(exc, LoginRequiredError):
        return True
    response = exc.response if isinstance(exc, RequestErrorBase) else None
    if response is None:
        return False
    error, _ = xrpc_error(response.content)
    return error in {"ExpiredToken", "InvalidToken"} or response.status_code == 401


def may_have_committed(exc: RequestErrorBase) -> bool:
    if exc.response is None:
        return False
    _, message = xrpc_error(exc.response.content)
    return exc.response.status_code >= 500 or exc.response.status_code == 409 or "already exists" in (message or "")
