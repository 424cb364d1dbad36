"""Slack's Web API as far as the real adapter (adapters/slack/, httpx) needs it, strict to Slack's own method
descriptions (../shared/specs/slack-methods/*.json, read at runtime by methods.py; the fake cannot start without
them, and the tests skip): ``auth.test``, ``conversations.info``, ``chat.postMessage``, ``chat.getPermalink``,
``files.getUploadURLExternal``, the upload URL it hands out (``/upload/v1/{file_id}`` on the fake itself), and
``files.completeUploadExternal``. Every method is taken as GET with a query string or POST with a form (or JSON).

Strict where Slack is: the token only as ``Authorization: Bearer`` (any ``xoxb-`` token is a bot, the token names
it; ``REVOKED_TOKEN`` is ``token_revoked``, a token that is not ``xoxb-`` ``invalid_auth``; ``NO_FILES_TOKEN`` lacks
``files:write``, so files.* answer ``missing_scope`` with ``needed``), each method's arguments, required flags and
types as its description gives them (``invalid_arg_name``, ``invalid_arguments``), only errors Slack documents for
that method (methods.fail), HTTP 200 with ``{"ok": false, "error"}`` for every refusal, text over 40,000 characters
``msg_too_long``, alt text over 1000 ``alt_txt_too_large``, a zero length ``missing_argument``, an upload completed
once (``file_not_found`` after), bytes that must match the declared length. Stricter than Slack on purpose: unknown
arguments are refused (Slack ignores them), and a ``thread_ts`` must be a thread's parent message in that channel
(Slack's docs say never to use a reply's ts; the fake refuses one, with ``cannot_reply_to_message`` /
``invalid_arguments``).

Channels: ``CHANNEL_ID`` (#general, the bot is a member), ``OUTSIDE_CHANNEL_ID`` (not invited:
``not_in_channel``), ``ARCHIVED_CHANNEL_ID`` (``is_archived``); any other id is ``channel_not_found``.

Faults (``Conditions``) hit chat.postMessage, files.* and the upload URL; a 429 answers ``ratelimited`` with
``Retry-After``, a 5xx Slack's edge page (not JSON). ``PUT /_fake/next_error {"method", "error", "applied"}``
makes the next call of a method answer that error, before or after it did its work (``internal_error`` after the
message was posted). ``GET /_fake/messages``: every message as sent and as shown (mentions, links);
``GET /_fake/files``: every upload (alt_txt, size, where it was shared). ``created()`` rows: one per message;
``text`` is what people see, ``reply_to`` the message's ``thread_ts``.
"""

from tests.fakes.slack.methods import methods_present
from tests.fakes.slack.routes import MAX_ALT_TXT, MAX_TEXT, UPLOADS, FakeSlack
from tests.fakes.slack.workspace import (
    ARCHIVED_CHANNEL_ID,
    CHANNEL_ID,
    NO_FILES_TOKEN,
    OUTSIDE_CHANNEL_ID,
    REVOKED_TOKEN,
    TEAM_URL,
)

__all__ = [
    "ARCHIVED_CHANNEL_ID",
    "CHANNEL_ID",
    "MAX_ALT_TXT",
    "MAX_TEXT",
    "NO_FILES_TOKEN",
    "OUTSIDE_CHANNEL_ID",
    "REVOKED_TOKEN",
    "TEAM_URL",
    "UPLOADS",
    "FakeSlack",
    "methods_present",
]
