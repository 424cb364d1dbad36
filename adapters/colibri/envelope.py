"""What a ColibriSM answer means. The site answers HTTP 200 for everything, with the real status in the body:

- ``{"code": 200, "message": "...", "data": {...}}`` on success, ``{"code": 400|401|500, "message", "data": []}``
  on failure (some sites answer a refused session with HTTP 401 instead, same body);
- ``{"status": 400, "error": "Invalid access token"}`` for a session the site does not know;
- ``{"status": "400", "err_code": "invalid_endpoint"}`` for an endpoint the site does not have;
- PHP warnings (``<br /><b>Warning</b>: ...``) may come before the JSON.

A status other than 200 in HTTP comes from the web server in front of the application (a rate limiter, a proxy, a
PHP fatal error): 429 and 503 are refusals before the application ran; 500, 502 and 504 may come after it acted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adapters.answers import retry_after_seconds
from adapters.base import (
    AdapterError,
    AuthExpired,
    MediaRejected,
    OutcomeUnknown,
    RateLimited,
    ReauthRequired,
    Rejected,
    Transient,
)
from adapters.http import Answer

OK = 200
NO_DATA = 204  # "No data found": a list that is empty
INVALID_ENDPOINT = "invalid_endpoint"
INVALID_ACCESS_TOKEN = "invalid access token"
# HTTP statuses from the front server that say the application never saw the request.
REFUSED_BEFORE_THE_SITE = frozenset({429, 503})


class MissingEndpoint(Rejected):
    """``invalid_endpoint``: the site does not have this endpoint (an older ColibriSM, the mobile API disabled)."""


@dataclass(frozen=True)
class Envelope:
    """A JSON answer's real status (``code``, else ``status``), its message and its data."""

    code: int | None
    message: str
    err_code: str | None
    data: Any
    body: Mapping[str, Any]

    @property
    def refuses_the_session(self) -> bool:
        return self.code == 401 or (self.code == 400 and self.message.lower() == INVALID_ACCESS_TOKEN)


def read(answer: Answer, *, after_warnings: bool) -> Envelope | None:
    """The answer's envelope; None when it is not JSON. ``after_warnings``: look for the JSON after PHP's warnings
    (for reads only: an unreadable answer to a create is in doubt, whatever follows the warnings)."""
    body = answer.body
    if body is None and after_warnings:
        body = _json_after_warnings(answer.text)
    if not isinstance(body, Mapping):
        return None
    code = _number(body.get("code"))
    if code is None:
        code = _number(body.get("status"))
    err_code = body.get("err_code") if isinstance(body.get("err_code"), str) else None
    message = next((body[k].strip() for k in ("message", "error") if isinstance(body.get(k), str)), "")
    return Envelope(code, message or (err_code or ""), err_code, body.get("data"), body)


def failure(
    answer: Answer, envelope: Envelope | None, *, site: str, action: str, creates: bool, refreshable: bool
) -> AdapterError | None:
    """The taxonomy's error for a failed answer (None: a success). ``creates``: the call makes something (a post, a
    message, a file in the draft), so an answer that may come after the site acted is OutcomeUnknown.
    ``refreshable``: the account can get a new session (a password, a refresh token)."""
    where = f"{site} {action}"
    if answer.status == 401 or (envelope is not None and envelope.refuses_the_session):
        detail = envelope.message if envelope is not None and envelope.message else f"HTTP {answer.status}"
        if refreshable:
            return AuthExpired(f"{site}: the session expired during {action} ({detail})")
        return ReauthRequired(f"{site} refused the session during {action} ({detail}); reconnect the account")
    if not 200 <= answer.status < 300:
        return _front_server_failure(answer, where=where, creates=creates)
    if envelope is None:
        if creates:
            return OutcomeUnknown(
                f"{where}: the site answered something other than its JSON (PHP warnings or an error page); "
                "it may have been applied"
            )
        return Transient(f"{where}: unreadable answer from the site (not JSON)")
    if envelope.err_code == INVALID_ENDPOINT:
        return MissingEndpoint(
            f"{where}: the site has no mobile_api endpoint for this ({INVALID_ENDPOINT}); check that the base URL is "
            "a ColibriSM site with its mobile API enabled"
        )
    if envelope.code in (OK, NO_DATA):
        return None
    return _application_failure(answer, envelope, where=where, action=action)


def _front_server_failure(answer: Answer, *, where: str, creates: bool) -> AdapterError:
    status = answer.status
    if status == 429:
        return RateLimited(
            f"{where}: the site's rate limit was reached (HTTP 429)", retry_after_seconds(answer.headers)
        )
    if status in REFUSED_BEFORE_THE_SITE or status == 408:
        return Transient(f"{where}: the site's server answered HTTP {status} (nothing was done)")
    if status >= 500:
        if creates:
            return OutcomeUnknown(f"{where}: the site's server answered HTTP {status}; it may have been applied")
        return Transient(f"{where}: the site's server answered HTTP {status}")
    if status == 413:
        return MediaRejected(f"{where}: the site's server refused the file as too large (HTTP 413)")
    return Rejected(f"{where} was refused by the site's server (HTTP {status}); check the base URL")


def _application_failure(answer: Answer, envelope: Envelope, *, where: str, action: str) -> AdapterError:
    """A failure the application itself reported in the body's code."""
    code, message = envelope.code, envelope.message or "no message"
    if code == 429:
        return RateLimited(
            f"{where}: the site's rate limit was reached ({message})", retry_after_seconds(answer.headers)
        )
    uploading = action.startswith("upload")
    if code is not None and code >= 500:
        if uploading and "media file" in message.lower():  # "Media file is missing or invalid": the file itself
            return MediaRejected(f"{where} was rejected ({code}): {message}")
        # The application caught its own error and asks to try again later: it did not do it.
        return Transient(f"{where}: the site reported an error ({code}: {message})")
    cls = MediaRejected if uploading else Rejected
    return cls(f"{where} was rejected ({code}): {message}")


def _number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _json_after_warnings(text: str) -> Any:
    """The JSON object that ends the text, after whatever PHP printed before it; None when there is none."""
    decoder = json.JSONDecoder()
    start = text.find("{")
    while start != -1:
        try:
            value, end = decoder.raw_decode(text, start)
        except ValueError:
            value, end = None, -1
        if end != -1 and not text[end:].strip():
            return value
        start = text.find("{", start + 1)
    return None
