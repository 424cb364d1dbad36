"""What the Bot API's answers mean, for the shared platform client (adapters/http.py).

Every answer is ``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": <the HTTP status>, "description":
"<Reason>: <detail>", "parameters": {"retry_after": <seconds>, "migrate_to_chat_id": <id>}}``. A flood limit is a 429
whose wait is ``parameters.retry_after`` (no Retry-After header is promised); a basic group upgraded to a supergroup
answers 400 with ``parameters.migrate_to_chat_id``, the chat to send to from now on.

The descriptions are Telegram's only detail: a 403 ("Forbidden: bot was blocked by the user", "bot was kicked from
the channel chat", "bot is not a member of the supergroup chat") and the 400s about rights ("not enough rights to send
text messages to the chat", "need administrator rights in the channel chat") all say the bot lost its place in the
chat, which only the account's owner can give back: ReauthRequired. Other 400s are about the message: Rejected.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.base import ReauthRequired, Rejected
from adapters.http import ErrorTable

# code_of()'s name for an answer whose description says the bot may not post in the chat (whatever its status).
NO_ACCESS = "no_access"
_NO_ACCESS_PHRASES = (
    "bot was blocked",
    "bot was kicked",
    "bot is not a member",
    "not enough rights",
    "need administrator rights",
    "have no rights to send",
    "chat_write_forbidden",
    "chat_admin_required",
)

# 401 (the token was revoked or regenerated) is the defaults' ReauthRequired, 429 RateLimited, 5xx Transient, other
# 4xx Rejected.
TELEGRAM_ERRORS = ErrorTable(statuses={403: ReauthRequired}, codes={NO_ACCESS: ReauthRequired})


class ChatMigrated(Rejected):
    """400 with ``migrate_to_chat_id``: the group became a supergroup. A Rejected if it ever escapes; the adapter
    catches it, sends to ``chat_id`` once and stores it with the account."""

    def __init__(self, message: str, chat_id: str) -> None:
        super().__init__(message)
        self.chat_id = chat_id


def parameters(body: Any) -> Mapping[str, Any]:
    value = body.get("parameters") if isinstance(body, Mapping) else None
    return value if isinstance(value, Mapping) else {}


def description(body: Any) -> str:
    value = body.get("description") if isinstance(body, Mapping) else None
    return value.strip() if isinstance(value, str) else ""


def error_status(body: Any, http_status: int) -> int:
    """``error_code`` (the same as the HTTP status from Telegram; a proxy in front may say otherwise)."""
    code = body.get("error_code") if isinstance(body, Mapping) else None
    return code if isinstance(code, int) and not isinstance(code, bool) and code >= 400 else http_status


def no_access(body: Any) -> bool:
    text = description(body).lower()
    return any(phrase in text for phrase in _NO_ACCESS_PHRASES)


def migrated_to(body: Any) -> str | None:
    """The supergroup's id of a group that was upgraded, as text (ids have up to 52 significant bits)."""
    value = parameters(body).get("migrate_to_chat_id")
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else None


def message_gone(body: Any) -> bool:
    """deleteMessage's 400 for a message that is not (or no longer) in the chat: already deleted."""
    return "message to delete not found" in description(body).lower()


def cannot_delete(body: Any) -> bool:
    """deleteMessage's 400 for a message the bot may not delete: sent 48 hours ago or more, or not the bot's own
    where it is no administrator allowed to delete messages."""
    return "message can't be deleted" in description(body).lower()
