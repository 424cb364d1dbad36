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

from __future__ import annotations

import hashlib
import itertools
import json
import time
from dataclasses import dataclass
from typing import Any

from tests.fakes.core import Created, FakePlatform, Route
from tests.fakes.http import Request, Response

GUILD_ID = "1100000000000000001"
CHANNEL_ID = "1100000000000000010"
DM_CHANNEL_ID = "1100000000000000020"
HIDDEN_CHANNEL_ID = "1100000000000000030"
REVOKED_TOKEN = "revoked.bot.token"
NONCE_WINDOW_SECONDS = 300.0  # Discord: "the past few minutes"
MAX_CONTENT = 2000
MAX_NONCE = 25
MAX_FILES = 10
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_DESCRIPTION = 1024

THREAD_STARTS = "/channels/{channel_id}/messages/{message_id}/threads"

GUILD_TEXT, DM, PUBLIC_THREAD = 0, 1, 11
_MESSAGE_FIELDS = frozenset({"content", "nonce", "enforce_nonce", "tts", "embeds", "allowed_mentions",
                             "message_reference", "components", "sticker_ids", "attachments", "flags", "poll"})
_THREAD_FIELDS = frozenset({"name", "auto_archive_duration", "rate_limit_per_user"})
_ARCHIVE_MINUTES = frozenset({60, 1440, 4320, 10080})
_POLL_FIELDS = frozenset({"question", "answers", "duration", "allow_multiselect", "layout_type"})
MAX_QUESTION, MAX_ANSWERS, MAX_ANSWER, MAX_POLL_HOURS, DEFAULT_POLL_HOURS = 300, 10, 55, 768, 24


def _error(status: int, code: int, message: str, errors: dict[str, Any] | None = None) -> Response:
    body: dict[str, Any] = {"code": code, "message": message}
    if errors:
        body["errors"] = errors
    return Response(status, body)


def _invalid(field_path: str, code: str, message: str) -> Response:
    """50035 Invalid Form Body with the field's error nested the way Discord nests it (``a.0.b``)."""
    errors: dict[str, Any] = {"_errors": [{"code": code, "message": message}]}
    for part in reversed(field_path.split(".")):
        errors = {part: errors}
    return _error(400, 50035, "Invalid Form Body", errors)


_UNAUTHORIZED = _error(401, 0, "401: Unauthorized")


def _bot(token: str) -> dict[str, Any]:
    digest = hashlib.sha256(token.encode()).hexdigest()
    number = 1_200_000_000_000_000_000 + int(digest[:15], 16) % 10**17
    return {"id": str(number), "username": f"fakebot{number % 10**6}", "global_name": f"Fake Bot {number % 1000}",
            "avatar": digest[:32], "discriminator": "0", "bot": True, "public_flags": 0, "flags": 0}


@dataclass
class _Channel:
    id: str
    type: int
    guild_id: str | None = None
    parent_id: str | None = None
    name: str = "general"
    last_message_id: str | None = None

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"id": self.id, "type": self.type, "name": self.name, "flags": 0,
                                "last_message_id": self.last_message_id}
        if self.guild_id:
            body.update(guild_id=self.guild_id, parent_id=self.parent_id, position=0, rate_limit_per_user=0)
        if self.type == PUBLIC_THREAD:
            body.update(message_count=0, member_count=1, total_message_sent=0,
                        thread_metadata={"archived": False, "auto_archive_duration": 4320, "locked": False})
        return body


@dataclass
class _Message:
    body: dict[str, Any]
    received_at: float
    thread_id: str | None = None  # set once a thread is started from this message


class FakeDiscord(FakePlatform):
    write_paths = ("/channels/{channel_id}/messages",)  # message creates and thread starts

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._ids = itertools.count(1_300_000_000_000_000_000)  # 19-digit snowflakes, increasing like Discord's
        self._channels = {
            CHANNEL_ID: _Channel(CHANNEL_ID, GUILD_TEXT, guild_id=GUILD_ID),
            DM_CHANNEL_ID: _Channel(DM_CHANNEL_ID, DM, name=""),
            HIDDEN_CHANNEL_ID: _Channel(HIDDEN_CHANNEL_ID, GUILD_TEXT, guild_id=GUILD_ID, name="staff"),
        }
        self._messages: dict[str, _Message] = {}
        self._nonces: dict[tuple[str, str], str] = {}  # (bot id, nonce) → message id
        self._routes: dict[tuple[str, str], Route] = {
            ("GET", "/users/@me"): self._me,
            ("GET", "/channels/{channel_id}"): self._get_channel,
            ("POST", "/channels/{channel_id}/messages"): self._create_message,
            ("GET", "/channels/{channel_id}/messages/{message_id}"): self._get_message,
            ("POST", THREAD_STARTS): self._start_thread,
        }

    def routes(self) -> dict[tuple[str, str], Route]:
        return self._routes

    async def __call__(self, request: Request) -> Response:
        return _discord_shaped(await super().__call__(request))  # the ids in paths: core routes by the templates

    # ---- the routes --------------------------------------------------------------------------------------

    async def _me(self, request: Request) -> Response:
        bot = self._caller(request)
        return _UNAUTHORIZED if bot is None else Response(200, bot)

    async def _get_channel(self, request: Request) -> Response:
        found = self._bot_and_channel(request)
        return found if isinstance(found, Response) else Response(200, found[1].as_json())

    async def _get_message(self, request: Request) -> Response:
        found = self._bot_and_channel(request)
        if isinstance(found, Response):
            return found
        message = self._message_in(found[1], request)
        return message if isinstance(message, Response) else Response(200, message.body)

    async def _create_message(self, request: Request) -> Response:
        found = self._bot_and_channel(request)
        if isinstance(found, Response):
            return found
        bot, channel = found
        body, files, problem = _message_request(request)
        if problem:
            return problem
        unknown = sorted(set(body) - _MESSAGE_FIELDS)
        if unknown:
            return _invalid(unknown[0], "UNKNOWN_FIELD", f"The fake does not know the field {unknown[0]!r}")
        content = body.get("content") or ""
        if not isinstance(content, str):
            return _invalid("content", "BASE_TYPE_STRING", "Could not interpret the value as string.")
        if len(content) > MAX_CONTENT:
            return _invalid("content", "BASE_TYPE_BAD_LENGTH", f"Must be {MAX_CONTENT} or fewer in length.")
        nonce = body.get("nonce")
        if nonce is not None and not ((isinstance(nonce, str) and len(nonce) <= MAX_NONCE) or type(nonce) is int):
            return _invalid("nonce", "BASE_TYPE_BAD_LENGTH", f"Must be {MAX_NONCE} or fewer in length.")
        attachments, problem = _attachments(body.get("attachments"), files)
        if problem:
            return problem
        poll, problem = _poll(body.get("poll"), request.received_at)
        if problem:
            return problem
        if not content.strip() and not attachments and poll is None:
            return _error(400, 50006, "Cannot send an empty message")
        if nonce is not None and body.get("enforce_nonce") is True:
            earlier = self._messages.get(self._nonces.get((bot["id"], str(nonce)), ""))
            if earlier is not None and request.received_at - earlier.received_at < NONCE_WINDOW_SECONDS:
                return Response(200, earlier.body)  # the first message, not a second one
        reference = body.get("message_reference")
        reply_to = reference.get("message_id") if isinstance(reference, dict) else None
        if reply_to is not None and reply_to not in self._messages:
            return _invalid("message_reference", "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message")
        if reply_to is None and channel.type == PUBLIC_THREAD:  # it follows the thread's last message, or its starter
            reply_to = channel.last_message_id or channel.id
        message_id = str(next(self._ids))
        message = self._message_json(message_id, channel, bot, content, nonce, attachments, request)
        if poll is not None:
            message["poll"] = poll
        self._messages[message_id] = _Message(message, request.received_at)
        if nonce is not None:
            self._nonces[(bot["id"], str(nonce))] = message_id
        channel.last_message_id = message_id
        self.record(Created(id=message_id, account=bot["id"], text=content,
                            idempotency_key=None if nonce is None else str(nonce), reply_to=reply_to,
                            received_at=request.received_at))
        return Response(200, message)

    async def _start_thread(self, request: Request) -> Response:
        found = self._bot_and_channel(request)
        if isinstance(found, Response):
            return found
        bot, channel = found
        message = self._message_in(channel, request)
        if isinstance(message, Response):
            return message
        body = request.json_object()
        if body is None:
            return _error(400, 50109, "The request body contains invalid JSON.")
        unknown = sorted(set(body) - _THREAD_FIELDS)
        if unknown:
            return _invalid(unknown[0], "UNKNOWN_FIELD", f"The fake does not know the field {unknown[0]!r}")
        name = body.get("name")
        if not isinstance(name, str) or not 1 <= len(name) <= 100:
            return _invalid("name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
        duration = body.get("auto_archive_duration")
        if duration is not None and duration not in _ARCHIVE_MINUTES:
            choices = ", ".join(map(str, sorted(_ARCHIVE_MINUTES)))
            return _invalid("auto_archive_duration", "BASE_TYPE_CHOICES", f"Value must be one of ({choices}).")
        if channel.type != GUILD_TEXT:
            return _error(400, 50024, "Cannot execute action on this channel type")
        if message.thread_id is not None:
            return _error(400, 160004, "A thread has already been created for this message")
        thread_id = message.body["id"]  # a thread started from a message has the message's id
        thread = _Channel(thread_id, PUBLIC_THREAD, guild_id=channel.guild_id, parent_id=channel.id, name=name)
        self._channels[thread_id] = thread
        message.thread_id = thread_id
        message.body["thread"] = thread.as_json()
        return Response(201, {**thread.as_json(), "owner_id": bot["id"]})

    # ---- helpers --------------------------------------------------------------------------------------------

    def _bot_and_channel(self, request: Request) -> tuple[dict[str, Any], _Channel] | Response:
        """The calling bot and the channel of the path, or the error Discord answers (401 first, then 404/403)."""
        bot = self._caller(request)
        if bot is None:
            return _UNAUTHORIZED
        channel = self._channel(request)
        return channel if isinstance(channel, Response) else (bot, channel)

    def _caller(self, request: Request) -> dict[str, Any] | None:
        header = request.headers.get("authorization", "")
        if not header.startswith("Bot "):  # a bot token under "Bearer" (or none) is refused like a bad one
            return None
        token = header[4:].strip()
        return _bot(token) if token and token != REVOKED_TOKEN else None

    def _channel(self, request: Request) -> _Channel | Response:
        """The path's channel, or Discord's refusal: not an id, unknown, or not visible to the bot."""
        channel_id = request.param("_channel_id") or ""
        if not channel_id.isdigit():
            return _invalid("channel_id", "NUMBER_TYPE_COERCE", f"Value {channel_id!r} is not snowflake.")
        channel = self._channels.get(channel_id)
        if channel is None:
            return _error(404, 10003, "Unknown Channel")
        if channel.id == HIDDEN_CHANNEL_ID:
            return _error(403, 50001, "Missing Access")
        return channel

    def _message_in(self, channel: _Channel, request: Request) -> _Message | Response:
        message = self._messages.get(request.param("_message_id") or "")
        if message is None or message.body["channel_id"] != channel.id:
            return _error(404, 10008, "Unknown Message")
        return message

    def _message_json(
        self,
        message_id: str,
        channel: _Channel,
        bot: dict[str, Any],
        content: str,
        nonce: object,
        attachments: list[dict[str, Any]],
        request: Request,
    ) -> dict[str, Any]:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(request.received_at)) + ".000000+00:00"
        for attachment in attachments:
            attachment["id"] = str(next(self._ids))  # uploaded files get snowflakes of their own
            attachment["url"] = f"https://cdn.discordapp.com/attachments/{channel.id}/{message_id}/{attachment['filename']}"
            attachment["proxy_url"] = attachment["url"].replace("cdn.discordapp.com", "media.discordapp.net")
        body: dict[str, Any] = {
            "id": message_id, "type": 0, "channel_id": channel.id, "author": bot, "content": content,
            "timestamp": stamp, "edited_timestamp": None, "tts": False, "mention_everyone": False, "mentions": [],
            "mention_roles": [], "attachments": attachments, "embeds": [], "components": [], "pinned": False,
            "flags": 0, "nonce": nonce,
        }
        if channel.guild_id:
            body["guild_id"] = channel.guild_id
        return body


# ---- request bodies ------------------------------------------------------------------------------------------


def _message_request(request: Request) -> tuple[dict[str, Any], dict[int, tuple[str, bytes]], Response | None]:
    """(the JSON fields, files[n] → (filename, bytes), a refusal): from a JSON body or multipart + payload_json."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        body = request.json_object()
        if body is None:
            return {}, {}, _error(400, 50109, "The request body contains invalid JSON.")
        return body, {}, None
    files: dict[int, tuple[str, bytes]] = {}
    body = {}
    for name, filename, data in request.multipart():
        if name == "payload_json":
            try:
                body = json.loads(data)
            except ValueError:
                return {}, {}, _error(400, 50109, "The request body contains invalid JSON.")
        elif name.startswith("files[") and name.endswith("]") and name[6:-1].isdigit():
            if not filename:
                return {}, {}, _invalid(name, "FILE_NAME_REQUIRED", "Files need a filename")
            if len(data) > MAX_FILE_BYTES:
                return {}, {}, _error(413, 40005, "Request entity too large")
            files[int(name[6:-1])] = (filename, data)
        else:
            return {}, {}, _invalid(name, "UNKNOWN_FIELD", f"The fake does not know the form field {name!r}")
    if len(files) > MAX_FILES:
        return {}, {}, _invalid("files", "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_FILES} or fewer in length.")
    if not isinstance(body, dict):
        return {}, {}, _error(400, 50109, "The request body contains invalid JSON.")
    return body, files, None


def _attachments(
    declared: Any, files: dict[int, tuple[str, bytes]]
) -> tuple[list[dict[str, Any]], Response | None]:
    """Each ``attachments[i]`` must name an uploaded ``files[n]`` by ``id`` (n as a snowflake string or number)."""
    if declared is None:
        declared = [{"id": str(n)} for n in sorted(files)]  # files without attachment metadata are still attached
    if not isinstance(declared, list):
        return [], _invalid("attachments", "BASE_TYPE_LIST", "Must be a list.")
    found = []
    for index, item in enumerate(declared):
        ident = item.get("id") if isinstance(item, dict) else None
        number = int(ident) if isinstance(ident, int | str) and str(ident).isdigit() else None
        if number is None or number not in files:
            return [], _invalid(f"attachments.{index}", "ATTACHMENT_NOT_FOUND", "Attachment data not found")
        description = item.get("description")
        if description is not None and (not isinstance(description, str) or len(description) > MAX_DESCRIPTION):
            return [], _invalid(f"attachments.{index}.description", "BASE_TYPE_BAD_LENGTH",
                                f"Must be {MAX_DESCRIPTION} or fewer in length.")
        filename, data = files[number]
        found.append({"filename": item.get("filename") or filename, "size": len(data), "description": description})
    return found, None


def _poll(value: Any, now: float) -> tuple[dict[str, Any] | None, Response | None]:
    """A message's ``poll`` (PollCreateRequest) as Discord answers it back (PollResponse), or its refusal."""
    if value is None:
        return None, None
    unknown = sorted(set(value) - _POLL_FIELDS) if isinstance(value, dict) else ["poll"]
    if unknown:
        return None, _invalid(f"poll.{unknown[0]}", "UNKNOWN_FIELD", f"The fake does not know the field {unknown[0]!r}")
    question, answers, hours = value.get("question"), value.get("answers"), value.get("duration", DEFAULT_POLL_HOURS)
    if not _media_fits(question, MAX_QUESTION, {"text"}):
        return None, _bad_length("poll.question.text", MAX_QUESTION)
    if not isinstance(answers, list) or not 1 <= len(answers) <= MAX_ANSWERS:
        return None, _bad_length("poll.answers", MAX_ANSWERS)
    for n, answer in enumerate(answers):
        media = answer.get("poll_media") if isinstance(answer, dict) and set(answer) == {"poll_media"} else None
        if not _media_fits(media, MAX_ANSWER):
            return None, _bad_length(f"poll.answers.{n}.poll_media.text", MAX_ANSWER)
    if type(hours) is not int or not 1 <= hours <= MAX_POLL_HOURS:
        return None, _invalid("poll.duration", "NUMBER_TYPE_MAX", f"int value should be 1 to {MAX_POLL_HOURS}.")
    if value.get("allow_multiselect") not in (None, True, False) or value.get("layout_type") not in (None, 1):
        return None, _invalid("poll", "BASE_TYPE_CHOICES", "allow_multiselect is a boolean, layout_type 1.")
    return {
        "question": {"text": question["text"]},
        "answers": [{"answer_id": n, "poll_media": a["poll_media"]} for n, a in enumerate(answers, start=1)],
        "expiry": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now + hours * 3600)) + ".000000+00:00",
        "allow_multiselect": bool(value.get("allow_multiselect")), "layout_type": 1,
        "results": {"is_finalized": False, "answer_counts": []},
    }, None


def _media_fits(media: Any, limit: int, fields: frozenset[str] | set[str] = frozenset({"text", "emoji"})) -> bool:
    """A poll media object (``{"text", "emoji"?}``) whose text is 1 to ``limit`` characters."""
    text = media.get("text") if isinstance(media, dict) and not set(media) - fields else None
    return isinstance(text, str) and 1 <= len(text) <= limit


def _bad_length(field_path: str, limit: int) -> Response:
    return _invalid(field_path, "BASE_TYPE_BAD_LENGTH", f"Must be between 1 and {limit} in length.")


def _discord_shaped(response: Response) -> Response:
    """The shared conditions answer faults in a generic shape; Discord's 429 and 5xx bodies look like this."""
    body = response.body if isinstance(response.body, dict) else {}
    if response.status == 429 and "retry_after" not in body:
        retry = float(response.headers.get("retry-after", "1"))
        limited = {"message": "You are being rate limited.", "retry_after": retry, "global": False}
        return Response(429, limited, response.headers)
    if response.status >= 500 and "code" not in body:
        return Response(response.status, {"code": 0, "message": f"{response.status}: Internal Server Error"})
    return response
