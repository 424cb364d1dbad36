"""Discord (HTTP API v10) as far as the real adapter (adapters/discord/, httpx) needs it: ``GET /users/@me``,
``GET /channels/{id}``, ``POST /channels/{id}/messages`` (JSON, or multipart ``files[n]`` + ``payload_json``),
``GET /channels/{id}/messages/{id}`` and ``POST /channels/{id}/messages/{id}/threads``. Paths, fields and limits as
Discord's docs and its OpenAPI spec (../shared/specs/discord-v10.openapi.json) give them, answered with Discord's
error bodies (``{"code", "message", "errors"}``) and codes.

Strict where Discord is: ``Authorization: Bot <token>`` (any token is a bot, the token names it, except
``REVOKED_TOKEN``: 401), content ≤2000 characters, a nonce ≤25 characters, ``enforce_nonce`` answering the
first message of a repeated nonce (same bot, within ``NONCE_WINDOW_SECONDS``), ≤10 files of ≤10 MiB (413),
attachment ids that name a ``files[n]`` part, descriptions ≤1024, an empty message refused (50006), a ``poll`` as
Discord documents it (a question of 1 to 300 characters, 1 to 10 answers of 1 to 55, a duration of 1 to 768 hours,
``layout_type`` 1; a message carries it back with answer ids, its expiry and empty results), one thread per
message (160004 the second time), a thread's id being its starter message's id, threads only in server text
channels (50024), 404 for an unknown channel or message, 403 for ``HIDDEN_CHANNEL_ID``. Stricter than Discord on
purpose: unknown message fields are refused (Discord ignores them), so a misspelt field fails a test.

Known channels: ``CHANNEL_ID`` (a text channel of ``GUILD_ID``), ``DM_CHANNEL_ID`` (a DM: no guild),
``HIDDEN_CHANNEL_ID`` (exists, the bot may not see it), and every thread started here.

Faults (``Conditions``) hit message creates and thread starts; ``fault_paths`` are matched against the routes'
templates, e.g. ``THREAD_STARTS`` for thread starts alone.

``created()`` rows: one per message; ``idempotency_key`` is its nonce; ``reply_to`` is what the message follows in
its conversation: its ``message_reference`` when it has one, else, in a thread, the message before it there (the
starter message for the first), else None. A thread's messages therefore read as a chain, like other platforms'
reply chains.
"""

from tests.fakes.discord.bots import REVOKED_TOKEN
from tests.fakes.discord.message_bodies import MAX_CONTENT, MAX_DESCRIPTION, MAX_FILE_BYTES, MAX_FILES, MAX_NONCE
from tests.fakes.discord.polls import DEFAULT_POLL_HOURS, MAX_ANSWER, MAX_ANSWERS, MAX_POLL_HOURS, MAX_QUESTION
from tests.fakes.discord.routes import NONCE_WINDOW_SECONDS, THREAD_STARTS, FakeDiscord
from tests.fakes.discord.state import (
    CHANNEL_ID,
    DM,
    DM_CHANNEL_ID,
    GUILD_ID,
    GUILD_TEXT,
    HIDDEN_CHANNEL_ID,
    PUBLIC_THREAD,
)

__all__ = [
    "CHANNEL_ID",
    "DEFAULT_POLL_HOURS",
    "DM",
    "DM_CHANNEL_ID",
    "GUILD_ID",
    "GUILD_TEXT",
    "HIDDEN_CHANNEL_ID",
    "MAX_ANSWER",
    "MAX_ANSWERS",
    "MAX_CONTENT",
    "MAX_DESCRIPTION",
    "MAX_FILES",
    "MAX_FILE_BYTES",
    "MAX_NONCE",
    "MAX_POLL_HOURS",
    "MAX_QUESTION",
    "NONCE_WINDOW_SECONDS",
    "PUBLIC_THREAD",
    "REVOKED_TOKEN",
    "THREAD_STARTS",
    "FakeDiscord",
]
