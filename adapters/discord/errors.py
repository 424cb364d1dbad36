"""The one place Discord's answers and network failures become the error taxonomy (see adapters/base.py).

Discord's error body is ``{"code": 50035, "message": "Invalid Form Body", "errors": {<field>: {"_errors":
[{"code", "message"}]}}}``; a 429's is ``{"message", "retry_after": <float seconds>, "global": bool}`` next to a
``Retry-After`` header (whole seconds). Pure functions: status, headers and body (or the httpx error) in, one
taxonomy error out.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import httpx

from adapters.answers import HTTPX_NEVER_SENT
from adapters.base import AdapterError, OutcomeUnknown, RateLimited, ReauthRequired, Rejected, Transient

# "A thread has already been created for this message" (400): a retry after the thread was started.
THREAD_ALREADY_CREATED = 160004
_MAX_FIELD_ERRORS = 3  # a 50035 can list every field; the first few say what is wrong


class ThreadAlreadyCreated(Rejected):
    """160004. A Rejected (it is one, if it ever escapes) that the adapter catches to post into the thread."""


def from_response(status: int, headers: Mapping[str, str], body: Any, *, action: str) -> AdapterError:
    """The taxonomy for a Discord error answer (``headers`` must be case-insensitive, as httpx's are)."""
    message = api_message(body) or f"HTTP {status}"
    where = f"Discord {action}"
    if status == 401:
        return ReauthRequired(
            f"Discord refused the bot token during {action} (401: {message}): it was reset or revoked; "
            "reconnect the account with the bot's current token"
        )
    if status == 429:
        scope = "the global rate limit" if isinstance(body, Mapping) and body.get("global") else "a rate limit"
        wait = retry_after(headers, body)
        return RateLimited(f"{where}: Discord's {scope} was reached ({message})", retry_after=wait)
    if status >= 500 or status == 408:
        return Transient(f"{where}: Discord answered {status} ({message})")
    if status == 400 and error_code(body) == THREAD_ALREADY_CREATED:
        return ThreadAlreadyCreated(f"{where}: {message}")
    if status == 413:
        return Rejected(f"{where} was rejected (413): the files are larger than Discord accepts ({message})")
    # 400 (Discord's validation: 50035 Invalid Form Body, 50006 empty message...), 403 (Missing Access/Permissions),
    # 404 (Unknown Channel/Message), 422 (Prism: the request breaks Discord's OpenAPI spec): permanent as sent.
    return Rejected(f"{where} was rejected ({status}): {message}")


def network_error(exc: httpx.HTTPError, *, action: str, may_have_applied: bool) -> AdapterError:
    """A request that got no answer. ``may_have_applied``: it creates a message, so an answer lost after the request
    went out is OutcomeUnknown (the publisher resends it under the same nonce inside the nonce window)."""
    where = f"Discord {action}"
    detail = f"{type(exc).__name__}: {exc}"
    if not _was_sent(exc):
        return Transient(f"{where}: Discord is unreachable ({detail})")
    if may_have_applied:
        return OutcomeUnknown(f"{where}: no answer from Discord after the request was sent ({detail})")
    return Transient(f"{where} failed ({detail})")


def unreadable_answer(*, action: str, may_have_applied: bool) -> AdapterError:
    """A 2xx whose body is not the JSON object Discord sends: applied (for a create), but with no message id."""
    where = f"Discord {action}"
    if may_have_applied:
        return OutcomeUnknown(f"{where}: Discord accepted the request but its answer was unreadable")
    return Transient(f"{where}: unreadable answer from Discord")


def api_message(body: Any) -> str:
    """Discord's ``message``, with the first field errors of an Invalid Form Body (``content: Must be 2000 or fewer
    in length.``)."""
    if not isinstance(body, Mapping):
        return ""
    message = body.get("message") if isinstance(body.get("message"), str) else ""
    details = list(_field_errors(body.get("errors"), ""))[:_MAX_FIELD_ERRORS]
    if details:
        return f"{message} ({'; '.join(details)})" if message else "; ".join(details)
    return str(message).strip()


def error_code(body: Any) -> int | None:
    code = body.get("code") if isinstance(body, Mapping) else None
    return code if isinstance(code, int) and not isinstance(code, bool) else None


def retry_after(headers: Mapping[str, str], body: Any) -> float | None:
    """Seconds to wait: the body's ``retry_after`` (fractional), else ``Retry-After``, else
    ``X-RateLimit-Reset-After`` (a 429 from Cloudflare in front of Discord has no JSON body)."""
    candidates = [body.get("retry_after") if isinstance(body, Mapping) else None]
    candidates += [headers.get("retry-after"), headers.get("x-ratelimit-reset-after")]
    for value in candidates:
        seconds = _seconds(value)
        if seconds is not None:
            return seconds
    return None


# ---- plumbing -------------------------------------------------------------------------------------------


def _field_errors(errors: Any, path: str) -> Iterator[str]:
    if not isinstance(errors, Mapping):
        return
    for key, value in errors.items():
        if key == "_errors" and isinstance(value, list):
            for error in value:
                text = error.get("message") if isinstance(error, Mapping) else None
                if isinstance(text, str) and text:
                    yield f"{path}: {text}" if path else text
        elif isinstance(value, Mapping):
            yield from _field_errors(value, f"{path}.{key}" if path else str(key))


def _was_sent(exc: httpx.HTTPError) -> bool:
    """False only when the request surely never reached Discord (no connection was made)."""
    return not isinstance(exc, HTTPX_NEVER_SENT)


def _seconds(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, seconds) if seconds == seconds else None  # NaN is no answer
