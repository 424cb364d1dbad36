"""Slack's Web API over the shared platform client (adapters/http.py): the bot token as ``Authorization: Bearer
xoxb-…`` (never as a ``token`` argument, which Slack no longer takes in query strings), form-encoded arguments
(what every method accepts; reads go as GET with a query string), the ``ok``/``error`` envelope (errors.py), and the
upload of a file's bytes to the URL Slack hands out for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import httpx

from adapters.answers import lost_request
from adapters.base import AdapterError, OutcomeUnknown, RateLimited, ReauthRequired, Transient
from adapters.http import Answer, ErrorTable, PlatformApi, default_error
from adapters.slack.errors import IN_DOUBT, SLACK_ERRORS, describe, error_code

BOT_TOKEN_PREFIX = "xoxb-"
_FAILED = 400  # what an HTTP 200 carrying "ok": false counts as


def bot_token(credentials: Mapping[str, str]) -> str:
    """The stored token as Slack wants it: pasted with or without "Bearer " in front, stray spaces removed."""
    return credentials.get("bot_token", "").strip().removeprefix("Bearer ").strip()


class SlackApi(PlatformApi):
    """One bot's calls: each returns the body of an ``"ok": true`` answer or raises one of the taxonomy's errors."""

    name = "Slack"
    errors: ClassVar[ErrorTable] = SLACK_ERRORS

    async def read(self, method: str, *, action: str, **arguments: str) -> Mapping[str, Any]:
        """A method that changes nothing (auth.test, conversations.info, chat.getPermalink)."""
        return await self.call("GET", method, action=action, creates=False, params=arguments)

    async def write(self, method: str, *, action: str, creates: bool, **arguments: str) -> Mapping[str, Any]:
        """``creates``: the call posts something people see, so an answer lost after it went out is OutcomeUnknown,
        and so are Slack's own internal_error/fatal_error."""
        return await self.call("POST", method, action=action, creates=creates, data=arguments)

    async def call(self, verb: str, method: str, *, action: str, creates: bool, **send: Any) -> Mapping[str, Any]:
        answer = await self.exchange(verb, f"/{method}", action=action, creates=creates, **send)
        if not 200 <= self.status_of(answer) < 300:
            code = error_code(answer.body)
            if creates and code in IN_DOUBT:
                raise OutcomeUnknown(
                    f"Slack {action}: Slack answered {describe(answer.body)}; it may have been applied"
                )
            raise self.error_for(answer, action=action)
        body = answer.body
        if not isinstance(body, Mapping) or body.get("ok") is not True:
            raise self.unreadable(action=action, creates=creates)
        return body

    async def upload(self, url: str, data: bytes, *, action: str) -> None:
        """The bytes of a file, to the upload URL files.getUploadURLExternal answered. That URL is pre-signed and on
        another host: the token is not sent there. Nothing is shared until the upload is completed, so a lost answer
        is only Transient (the next try asks for a new URL)."""
        timeout = httpx.USE_CLIENT_DEFAULT if self.timeout is None else self.timeout
        try:
            response = await self.http.post(
                url, content=data, headers={"Content-Type": "application/octet-stream"}, timeout=timeout
            )
        except httpx.HTTPError as exc:
            raise lost_request(exc, where=f"Slack {action}", creates=False) from exc
        if not 200 <= response.status_code < 300:
            cls = default_error(response.status_code)
            raise cls(f"Slack {action}: the upload URL answered HTTP {response.status_code}")

    # ---- what Slack's answers mean ------------------------------------------------------------------------

    def headers(self) -> dict[str, str]:
        token = bot_token(self._credentials)
        return {"Authorization": f"Bearer {token}"} if token else {}  # none at all: Slack answers not_authed

    def status_of(self, answer: Answer) -> int:
        """Slack's failures come as HTTP 200 with ``"ok": false``."""
        if error_code(answer.body) is not None and answer.status < 300:
            return _FAILED
        return answer.status

    def code_of(self, answer: Answer) -> Any:
        return error_code(answer.body)

    def message_of(self, answer: Answer) -> str:
        return describe(answer.body)

    def error_for(self, answer: Answer, *, action: str) -> AdapterError:
        cls = self.errors.error_class(self.status_of(answer), self.code_of(answer))
        detail = self.message_of(answer) or f"HTTP {answer.status}"
        where = f"Slack {action}"
        if issubclass(cls, RateLimited):
            return cls(f"{where}: Slack's rate limit was reached ({detail})", retry_after=self.retry_after(answer))
        if issubclass(cls, ReauthRequired):
            return cls(
                f"Slack refused the bot token during {action} ({detail}); reconnect the account with the app's "
                "current Bot User OAuth Token (xoxb-…)"
            )
        if issubclass(cls, Transient):
            return cls(f"{where}: Slack failed ({detail}); nothing was done, it can be tried again")
        return cls(f"{where} was refused by Slack ({detail})")
