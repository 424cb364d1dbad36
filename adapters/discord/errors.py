"""What Discord's answers mean, for the shared platform client (adapters/http.py).

Discord's error body is ``{"code": 50035, "message": "Invalid Form Body", "errors": {<field>: {"_errors":
[{"code", "message"}]}}}``; a 429's is ``{"message", "retry_after": <float seconds>, "global": bool}`` next to a
``Retry-After`` header (whole seconds).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from adapters.answers import retry_after_seconds
from adapters.base import AdapterError, RateLimited, Rejected
from adapters.http import ErrorTable

# "A thread has already been created for this message" (400): a retry after the thread was started.
THREAD_ALREADY_CREATED = 160004
_MAX_FIELD_ERRORS = 3  # a 50035 can list every field; the first few say what is wrong


class ThreadAlreadyCreated(Rejected):
    """160004. A Rejected (it is one, if it ever escapes) that the adapter catches to post into the thread."""


# 400 (Discord's validation: 50035 Invalid Form Body, 50006 empty message...), 403 (Missing Access/Permissions),
# 404 (Unknown Channel/Message), 413 (files too large), 422 (Prism: the request breaks Discord's OpenAPI spec) are
# the defaults' Rejected; 401 is ReauthRequired, 429 RateLimited, 5xx and 408 Transient.
DISCORD_ERRORS = ErrorTable(codes={THREAD_ALREADY_CREATED: ThreadAlreadyCreated})


def with_scope(error: AdapterError, body: Any) -> AdapterError:
    """A 429 says whether the global limit or a route's was reached."""
    if isinstance(error, RateLimited) and isinstance(body, Mapping) and body.get("global"):
        return RateLimited(error.message.replace("rate limit", "global rate limit", 1), retry_after=error.retry_after)
    return error


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
    seconds = body.get("retry_after") if isinstance(body, Mapping) else None
    return retry_after_seconds(headers, body_seconds=seconds, resets=())


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
