"""Ziik's REST API (``https://<tenant>.ziik.io/api``) over the shared platform client (adapters/http.py).

Ziik's failures come as ``{"error": {"code": "<error_code>", "message": "<message>", "is_ziik_error": bool}}`` with
the HTTP status saying what kind of failure it is (docs.ziik.io, "Error codes"): 400/405/406/410 the request is wrong,
401 the token is missing, invalid or expired, 403 the user lacks the privilege (not a member of the group, no write
permission to news), 404 the group, unit or content is unknown, 422 the parameters are invalid or do not go
together, 429 too many requests, 500 and 503 (down for maintenance) the server's trouble. A 401 is AuthExpired
here: the publisher renews the session once (adapters/ziik/auth.py) before it gives up on the account.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

import httpx

from adapters.base import AdapterError, AuthExpired, Rejected, Transient
from adapters.http import Answer, ErrorTable, PlatformApi

# What Ziik's statuses mean; the rest are the shared defaults (429 rate limited, other 5xx transient).
ZIIK_ERRORS = ErrorTable(
    statuses={
        400: Rejected,
        401: AuthExpired,  # the JWT expired or was revoked: renew, or log in again, then retry once
        403: Rejected,
        404: Rejected,
        410: Rejected,
        422: Rejected,
        503: Transient,  # down for maintenance: later
    }
)
_MAX_FIELD_ERRORS = 3


class ZiikApi(PlatformApi):
    """One account's calls. ``token`` gives the current JWT per request (None: an unauthenticated call, the login)."""

    name = "Ziik"
    errors: ClassVar[ErrorTable] = ZIIK_ERRORS

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        *,
        token: Callable[[], str | None],
        timeout: float | None = None,
    ) -> None:
        super().__init__(http, base_url, timeout=timeout)
        self._token = token

    def headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        token = self._token()
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return headers

    async def get(self, path: str, *, action: str) -> Any:
        return await self.request("GET", path, action=action)

    async def post(self, path: str, *, action: str, creates: bool, json: Mapping[str, Any] | None = None) -> Any:
        return await self.request("POST", path, action=action, creates=creates, json=json)

    async def no_content(self, method: str, path: str, *, action: str, json: Mapping[str, Any] | None = None) -> None:
        """A call Ziik answers with 204 No Content (finalising an upload, deleting content)."""
        answer = await self.exchange(method, path, action=action, json=json)
        if not 200 <= answer.status < 300:
            raise self.error_for(answer, action=action)

    def body_of(self, answer: Answer, *, action: str) -> Any:
        """The JSON of a successful answer read with ``exchange``, or the failure it is."""
        if not 200 <= answer.status < 300:
            raise self.error_for(answer, action=action)
        if answer.body is None:
            raise self.unreadable(action=action, creates=False)
        return answer.body

    def describe(self, answer: Answer) -> str:
        """``<status>: <Ziik's message>`` of a failure, for messages that explain it in words of their own."""
        return f"{answer.status}: {self.message_of(answer) or 'no message'}"

    def message_of(self, answer: Answer) -> str:
        return error_message(answer.body) or super().message_of(answer)

    def error_for(self, answer: Answer, *, action: str) -> AdapterError:
        error = super().error_for(answer, action=action)
        if answer.status == 403 and isinstance(error, Rejected):
            message = self.message_of(answer) or "Forbidden"
            return Rejected(
                f"Ziik {action} was refused (403: {message}): the account lacks the permission (write access to "
                "news for an organisation post, membership of the group for a group post)"
            )
        return error


def error_message(body: Any) -> str:
    """Ziik's ``error.message`` with its ``error.code``, and the first field errors where a 422 lists them
    (``{"errors": {"title": ["..."]}}``, beside the envelope or inside it)."""
    if not isinstance(body, Mapping):
        return ""
    envelope = body.get("error")
    parts: list[str] = []
    fields: Any = body.get("errors")
    if isinstance(envelope, Mapping):
        message, code = envelope.get("message"), envelope.get("code")
        if isinstance(message, str) and message.strip():
            parts.append(message.strip())
        if isinstance(code, str) and code.strip() and code.strip() not in parts:
            parts.append(f"[{code.strip()}]")
        fields = envelope.get("errors", fields)
    else:  # a bare {"message", "errors"} (Laravel's validation answer) or {"error": "<text>"}
        message = envelope if isinstance(envelope, str) else body.get("message")
        if isinstance(message, str) and message.strip():
            parts.append(message.strip())
    details = list(_field_errors(fields))[:_MAX_FIELD_ERRORS]
    if details:
        parts.append("(" + "; ".join(details) + ")")
    return " ".join(parts)


def _field_errors(fields: Any) -> list[str]:
    if not isinstance(fields, Mapping):
        return []
    found: list[str] = []
    for name, problems in fields.items():
        texts = problems if isinstance(problems, list) else [problems]
        found.extend(f"{name}: {text}" for text in texts if isinstance(text, str) and text)
    return found


def data_of(body: Any) -> Mapping[str, Any]:
    """The object of an answer: Ziik wraps it in ``{"data": {...}}`` (users, older content answers) or not (the
    content API reference's create answer)."""
    if isinstance(body, Mapping):
        inner = body.get("data")
        return inner if isinstance(inner, Mapping) else body
    if isinstance(body, list) and body and isinstance(body[0], Mapping):
        return body[0]  # /authenticate and /renew answer a list holding one grant
    return {}
