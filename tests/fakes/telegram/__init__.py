"""Telegram's Bot API as far as the real adapter (adapters/telegram/, httpx) needs it: ``getMe``, ``getChat``,
``getChatMember``, ``sendMessage``, ``sendPhoto``, ``sendVideo``, ``sendMediaGroup``, ``sendPoll`` and
``deleteMessage`` (the bot's own messages, or any as an administrator allowed to, within 48 hours) at
``/bot<token>/<method>`` (GET or POST; a query string, a JSON body, a form or multipart/form-data), answered as
Telegram answers: ``{"ok": true, "result"}`` or ``{"ok": false, "error_code", "description", "parameters":
{"retry_after", "migrate_to_chat_id"}}``, the HTTP status equal to ``error_code``.

Every call is checked against ../shared/specs/telegram-bot-api.json (Bot API 10.1), loaded when the fake starts
(spec.py, checks.py): the method exists (else 404 Not Found), every parameter is one of the method's (stricter than
Telegram, which ignores unknown ones), the required ones are there, each value is of a type the spec gives (objects
field by field, unions by their ``type``), within the limits its description states, lengths in UTF-16 code units.
A token of the wrong shape is 404 Not Found, ``REVOKED_TOKEN`` 401 Unauthorized. Then the chat's rules and the
message's (chats.py, sending.py): the bot's rights, upgraded groups, replies to messages the chat has, files.

Faults (``Conditions``) hit the send methods only, shaped as Telegram's: a 429 is "Too Many Requests: retry after N"
with ``parameters.retry_after`` and no Retry-After header.

``created()`` rows: one per send (an album is one row, its first message's id: the one with the caption);
``reply_to`` is the message ``reply_parameters`` named. ``GET /_fake/messages``: each send's method, chat, message
ids and checked parameters. ``POST /_fake/upgrade {"chat_id"}``: a basic group becomes a supergroup.
``POST /_fake/age {"hours"}``: every message that many hours older (past deleteMessage's 48 hours).
"""

from tests.fakes.telegram.chats import (
    BASIC_GROUP_ID,
    CHANNEL,
    CHANNEL_ID,
    GROUP,
    GROUP_ID,
    KICKED_GROUP_ID,
    MUTED_GROUP_ID,
    OLD_GROUP_ID,
    PRIVATE_CHANNEL_ID,
    READ_ONLY_CHANNEL,
    REVOKED_TOKEN,
    UPGRADED_GROUP_ID,
    token_for,
)
from tests.fakes.telegram.routes import SENDS, FakeTelegram
from tests.fakes.telegram.spec import SPEC_NAME

__all__ = [
    "BASIC_GROUP_ID",
    "CHANNEL",
    "CHANNEL_ID",
    "GROUP",
    "GROUP_ID",
    "KICKED_GROUP_ID",
    "MUTED_GROUP_ID",
    "OLD_GROUP_ID",
    "PRIVATE_CHANNEL_ID",
    "READ_ONLY_CHANNEL",
    "REVOKED_TOKEN",
    "SENDS",
    "SPEC_NAME",
    "UPGRADED_GROUP_ID",
    "FakeTelegram",
    "token_for",
]
