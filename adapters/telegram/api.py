"""The Bot API over the shared platform client (adapters/http.py): ``{base_url}/bot<token>/<method>``, answers
unwrapped from ``{"ok", "result"}``, failures translated by errors.py.

The token is part of every URL, so it is kept out of everything that can be shown: the URL is built per request from
the credentials (never stored), and any message of an error that could carry it (an httpx exception quoting the URL)
has it replaced by ``<bot token>`` before it leaves this module, its chain of causes cut.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import quote

from adapters.answers import retry_after_seconds
from adapters.base import AdapterError, ReauthRequired, Rejected
from adapters.http import Answer, ErrorTable, PlatformApi
from adapters.telegram.errors import (
    NO_ACCESS,
    TELEGRAM_ERRORS,
    ChatMigrated,
    cannot_delete,
    description,
    error_status,
    message_gone,
    migrated_to,
    no_access,
    parameters,
)

HIDDEN_TOKEN = "<bot token>"


class TelegramApi(PlatformApi):
    """One bot's calls. ``call`` returns the ``result`` of an ``ok`` answer or raises one of the taxonomy's errors."""

    name = "Telegram"
    errors: ClassVar[ErrorTable] = TELEGRAM_ERRORS

    async def call(self, method: str, *, action: str, creates: bool = False, **send: Any) -> Any:
        """``method``: the Bot API's (``sendMessage``). ``send``: httpx's ``json=``, or ``data=`` with ``files=``."""
        body = await self.request("POST", f"/{method}", action=action, creates=creates, **send)
        if not isinstance(body, dict) or body.get("ok") is not True or "result" not in body:
            raise self.unreadable(action=action, creates=creates)
        return body["result"]

    async def exchange(self, method: str, path: str, *, action: str, creates: bool = False, **send: Any) -> Answer:
        try:
            return await super().exchange(method, path, action=action, creates=creates, **send)
        except AdapterError as error:
            raise self._hidden(error) from None  # the httpx error it came from holds the request, URL and all

    async def request(self, method: str, path: str, *, action: str, creates: bool = False, **send: Any) -> Any:
        try:
            return await super().request(method, path, action=action, creates=creates, **send)
        except AdapterError as error:
            raise self._hidden(error) from None

    async def delete(self, method: str, path: str, *, action: str, **send: Any) -> Answer | None:
        """A delete method (``/deleteMessage``): "message to delete not found" is already deleted."""
        try:
            return await super().delete(method, path, action=action, gone=_message_gone, **send)
        except AdapterError as error:
            raise self._hidden(error) from None

    def url(self, path: str) -> str:
        return f"{self.base_url}/bot{quote(self._token(), safe=':')}{path}"

    def status_of(self, answer: Answer) -> int:
        return error_status(answer.body, answer.status) if not 200 <= answer.status < 300 else answer.status

    def code_of(self, answer: Answer) -> Any:
        return NO_ACCESS if no_access(answer.body) else None

    def message_of(self, answer: Answer) -> str:
        return description(answer.body) or super().message_of(answer)

    def retry_after(self, answer: Answer) -> float | None:
        return retry_after_seconds(answer.headers, body_seconds=parameters(answer.body).get("retry_after"))

    def error_for(self, answer: Answer, *, action: str) -> AdapterError:
        status, message = self.status_of(answer), self.message_of(answer) or f"HTTP {answer.status}"
        new_chat = migrated_to(answer.body)
        if new_chat is not None:
            return ChatMigrated(f"Telegram {action}: the group was upgraded to supergroup {new_chat}", new_chat)
        if cannot_delete(answer.body):
            return Rejected(
                f"Telegram {action} was refused ({message}): a bot can delete a message only within 48 hours of "
                "sending it (and in a group or channel only its own, unless it is an administrator allowed to delete "
                "messages); delete it in Telegram"
            )
        error = super().error_for(answer, action=action)
        if isinstance(error, ReauthRequired) and status == 401:
            return ReauthRequired(
                f"Telegram refused the bot token during {action} (401: {message}): it was revoked or regenerated "
                "with @BotFather; reconnect the account with the bot's current token"
            )
        if isinstance(error, ReauthRequired):
            return ReauthRequired(
                f"Telegram: the bot may not post in the chat ({action}, {status}: {message}). Make it an "
                "administrator allowed to post messages (a channel) or a member allowed to send messages (a group), "
                "then reconnect the account"
            )
        return error

    def _token(self) -> str:
        return self._credentials.get("bot_token", "").strip()

    def _hidden(self, error: AdapterError) -> AdapterError:
        """``error`` with the token replaced wherever its message quotes it (raw or percent-encoded)."""
        token = self._token()
        message = error.message
        for form in {token, quote(token, safe=":"), quote(token, safe="")} - {""}:
            message = message.replace(form, HIDDEN_TOKEN)
        if message != error.message:
            error.message = message
            error.args = (message,)
        return error


def _message_gone(answer: Answer) -> bool:
    return message_gone(answer.body)
