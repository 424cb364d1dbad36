"""The shared client of adapters that speak to their platform over httpx (no SDK): JSON, form or multipart calls
through the owner's client (its network policy applies), every failure turned into the taxonomy in one place.

A platform subclasses ``PlatformApi`` and declares what differs: its name, its ``ErrorTable`` (HTTP statuses and
the platform's own error codes → error classes), its auth headers, and where its answers hide the status, the error
code and the message. A platform that answers HTTP 200 with the real status in the body (ColibriSM) says so in
``status_of``. Everything else (the "was it sent?" rule, Retry-After, unreadable answers) is the same for all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import quote

import httpx

from adapters.answers import lost_request, retry_after_seconds
from adapters.base import (
    AdapterError,
    AuthExpired,
    MediaRejected,
    OutcomeUnknown,
    RateLimited,
    ReauthRequired,
    Rejected,
    Secrets,
    Transient,
)

# What an unlisted HTTP status means, whatever the platform.
_DEFAULT_STATUSES: Mapping[int, type[AdapterError]] = {
    401: ReauthRequired,
    408: Transient,
    413: MediaRejected,
    425: Transient,
    429: RateLimited,
}


def default_error(status: int) -> type[AdapterError]:
    if status in _DEFAULT_STATUSES:
        return _DEFAULT_STATUSES[status]
    return Transient if status >= 500 else Rejected


@dataclass(frozen=True)
class ErrorTable:
    """A platform's failure answers as data: its error codes (in the body) first, then HTTP statuses, then the
    defaults (401 reauth, 408/425/5xx transient, 413 media, 429 rate limited, other 4xx rejected)."""

    statuses: Mapping[int, type[AdapterError]] = field(default_factory=dict)
    codes: Mapping[Any, type[AdapterError]] = field(default_factory=dict)

    def error_class(self, status: int, code: Any = None) -> type[AdapterError]:
        if code is not None and code in self.codes:
            return self.codes[code]
        if status in self.statuses:
            return self.statuses[status]
        return default_error(status)


@dataclass(frozen=True)
class Answer:
    """What came back: the HTTP status, the headers, the body as JSON (None when it is not JSON) and as text."""

    status: int
    headers: httpx.Headers
    body: Any
    text: str


def path_segment(value: str) -> str:
    """An id as one path segment: an id typed by a user can never reach another route ("../users/@me")."""
    return quote(str(value), safe="")


class PlatformApi:
    """One account's calls to one platform. ``request`` returns the JSON body of a successful answer or raises one
    of the taxonomy's errors, with a message that names the platform and the action."""

    name: ClassVar[str]  # as users know it: "Discord", "Amity"
    errors: ClassVar[ErrorTable] = ErrorTable()

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        credentials: Secrets | None = None,
        *,
        timeout: float | None = None,
    ) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout  # None: the timeouts of the owner's client
        # Read per request (headers()), never copied into a plain attribute: a repr or a traceback cannot show them.
        self._credentials = credentials if credentials is not None else Secrets({})

    # ---- what a platform declares ---------------------------------------------------------------------

    def headers(self) -> dict[str, str]:
        """Headers of every request (auth, User-Agent); read per request, so a token is never kept in plain sight."""
        return {}

    def status_of(self, answer: Answer) -> int:
        """The answer's real status (a platform that answers 200 for everything puts it in the body)."""
        return answer.status

    def code_of(self, answer: Answer) -> Any:
        """The platform's own error code in the body, when it has one (looked up in ``errors.codes``)."""
        return None

    def message_of(self, answer: Answer) -> str:
        """The platform's human message for a failure."""
        body = answer.body
        if isinstance(body, Mapping):
            for key in ("message", "error_description", "error", "detail"):
                value = body.get(key)
                if isinstance(value, str) and value.strip():
                    return value.strip()
        return ""

    def retry_after(self, answer: Answer) -> float | None:
        return retry_after_seconds(answer.headers)

    # ---- the calls ------------------------------------------------------------------------------------

    async def get(self, path: str, *, action: str) -> Any:
        return await self.request("GET", path, action=action)

    async def request(self, method: str, path: str, *, action: str, creates: bool = False, **send: Any) -> Any:
        """``creates``: the call makes something on the platform, so an answer lost after the request went out is
        OutcomeUnknown, not Transient. ``send``: httpx's ``json=``, ``data=``, ``files=``, ``params=``, ``headers=``."""
        answer = await self.exchange(method, path, action=action, creates=creates, **send)
        if not 200 <= self.status_of(answer) < 300:
            raise self.error_for(answer, action=action)
        if answer.body is None:
            raise self.unreadable(action=action, creates=creates)
        return answer.body

    async def delete(
        self, method: str, path: str, *, action: str, gone: Callable[[Answer], bool] | None = None, **send: Any
    ) -> Answer | None:
        """Deletes one item (DeletesPost): its answer on success, None when the platform says it is not there (a
        404, or what ``gone`` recognises: already deleted, which is success for a delete); else the taxonomy's error.
        Deleting twice deletes nothing more, so an answer lost on the way is Transient (``creates`` False)."""
        answer = await self.exchange(method, path, action=action, **send)
        if gone(answer) if gone is not None else self.status_of(answer) == 404:
            return None
        if not 200 <= self.status_of(answer) < 300:
            raise self.error_for(answer, action=action)
        return answer

    async def exchange(self, method: str, path: str, *, action: str, creates: bool = False, **send: Any) -> Answer:
        """The raw answer of one call (no failure check): for platforms whose answers need reading first."""
        headers = {**self.headers(), **send.pop("headers", {})}
        timeout = httpx.USE_CLIENT_DEFAULT if self.timeout is None else self.timeout
        try:
            response = await self.http.request(method, self.url(path), headers=headers, timeout=timeout, **send)
        except httpx.HTTPError as exc:
            raise lost_request(exc, where=f"{self.name} {action}", creates=creates) from exc
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = None
        return Answer(response.status_code, response.headers, body, response.text)

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else self.base_url + path

    def error_for(self, answer: Answer, *, action: str) -> AdapterError:
        """The taxonomy's error for a failure answer, by the platform's table."""
        status = self.status_of(answer)
        cls = self.errors.error_class(status, self.code_of(answer))
        message = self.message_of(answer) or f"HTTP {status}"
        where = f"{self.name} {action}"
        if issubclass(cls, RateLimited):
            return cls(
                f"{where}: {self.name}'s rate limit was reached ({message})", retry_after=self.retry_after(answer)
            )
        if issubclass(cls, ReauthRequired):
            return cls(
                f"{self.name} refused the credentials during {action} ({status}: {message}); reconnect the account"
            )
        if issubclass(cls, AuthExpired):
            return cls(f"{self.name}: the session expired during {action} ({status}: {message})")
        if issubclass(cls, Transient):
            return cls(f"{where}: {self.name} answered {status} ({message})")
        if issubclass(cls, OutcomeUnknown):
            return cls(f"{where}: {self.name} answered {status} ({message}); it may have been applied")
        return cls(f"{where} was rejected ({status}): {message}")

    def unreadable(self, *, action: str, creates: bool) -> AdapterError:
        """A success whose body is not the JSON the platform sends: applied (for a create), but unreadable."""
        where = f"{self.name} {action}"
        if creates:
            return OutcomeUnknown(f"{where}: {self.name} accepted the request but its answer was unreadable")
        return Transient(f"{where}: unreadable answer from {self.name}")
