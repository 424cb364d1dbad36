"""``FakeDiscord``: the channels and messages it keeps, and its routes (see the package's docstring)."""

from __future__ import annotations

import itertools
import time
from typing import Any

from tests.fakes.core import Created, FakePlatform, Route
from tests.fakes.discord import bots, message_bodies, polls
from tests.fakes.discord.bots import REVOKED_TOKEN
from tests.fakes.discord.errors import UNAUTHORIZED, discord_shaped, error, invalid
from tests.fakes.discord.message_bodies import MAX_CONTENT, MAX_NONCE, MESSAGE_FIELDS
from tests.fakes.discord.state import (
    CHANNEL_ID,
    DM,
    DM_CHANNEL_ID,
    GUILD_ID,
    GUILD_TEXT,
    HIDDEN_CHANNEL_ID,
    PUBLIC_THREAD,
    Channel,
    Message,
)
from tests.fakes.http import Request, Response

NONCE_WINDOW_SECONDS = 300.0  # Discord: "the past few minutes"

THREAD_STARTS = "/channels/{channel_id}/messages/{message_id}/threads"

_THREAD_FIELDS = frozenset({"name", "auto_archive_duration", "rate_limit_per_user"})
_ARCHIVE_MINUTES = frozenset({60, 1440, 4320, 10080})


class FakeDiscord(FakePlatform):
    write_paths = ("/channels/{channel_id}/messages",)  # message creates and thread starts

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._ids = itertools.count(1_300_000_000_000_000_000)  # 19-digit snowflakes, increasing like Discord's
        self._channels = {
            CHANNEL_ID: Channel(CHANNEL_ID, GUILD_TEXT, guild_id=GUILD_ID),
            DM_CHANNEL_ID: Channel(DM_CHANNEL_ID, DM, name=""),
            HIDDEN_CHANNEL_ID: Channel(HIDDEN_CHANNEL_ID, GUILD_TEXT, guild_id=GUILD_ID, name="staff"),
        }
        self._messages: dict[str, Message] = {}
        self._nonces: dict[tuple[str, str], str] = {}  # (bot id, nonce) → message id
        self._routes: dict[tuple[str, str], Route] = {
            ("GET", "/users/@me"): self._me,
            ("GET", "/channels/{channel_id}"): self._get_channel,
            ("POST", "/channels/{channel_id}/messages"): self._create_message,
            ("GET", "/channels/{channel_id}/messages/{message_id}"): self._get_message,
            ("DELETE", "/channels/{channel_id}/messages/{message_id}"): self._delete_message,
            ("POST", THREAD_STARTS): self._start_thread,
        }

    def routes(self) -> dict[tuple[str, str], Route]:
        return self._routes

    async def __call__(self, request: Request) -> Response:
        return discord_shaped(await super().__call__(request))  # the ids in paths: core routes by the templates

    # ---- the routes --------------------------------------------------------------------------------------

    async def _me(self, request: Request) -> Response:
        bot = self._caller(request)
        return UNAUTHORIZED if bot is None else Response(200, bot)

    async def _get_channel(self, request: Request) -> Response:
        found = self._bot_and_channel(request)
        return found if isinstance(found, Response) else Response(200, found[1].as_json())

    async def _get_message(self, request: Request) -> Response:
        found = self._bot_and_channel(request)
        if isinstance(found, Response):
            return found
        message = self._message_in(found[1], request)
        return message if isinstance(message, Response) else Response(200, message.body)

    async def _delete_message(self, request: Request) -> Response:
        """204; a bot may delete its own messages (another's needs Manage Messages, which the fake's bots lack)."""
        found = self._bot_and_channel(request)
        if isinstance(found, Response):
            return found
        message = self._message_in(found[1], request)
        if isinstance(message, Response):
            return message
        if message.body["author"]["id"] != found[0]["id"]:
            return error(403, 50013, "Missing Permissions")
        del self._messages[message.body["id"]]
        return Response(204, b"")

    async def _create_message(self, request: Request) -> Response:
        found = self._bot_and_channel(request)
        if isinstance(found, Response):
            return found
        bot, channel = found
        body, files, problem = message_bodies.message_request(request)
        if problem:
            return problem
        unknown = sorted(set(body) - MESSAGE_FIELDS)
        if unknown:
            return invalid(unknown[0], "UNKNOWN_FIELD", f"The fake does not know the field {unknown[0]!r}")
        content = body.get("content") or ""
        if not isinstance(content, str):
            return invalid("content", "BASE_TYPE_STRING", "Could not interpret the value as string.")
        if len(content) > MAX_CONTENT:
            return invalid("content", "BASE_TYPE_BAD_LENGTH", f"Must be {MAX_CONTENT} or fewer in length.")
        nonce = body.get("nonce")
        if nonce is not None and not ((isinstance(nonce, str) and len(nonce) <= MAX_NONCE) or type(nonce) is int):
            return invalid("nonce", "BASE_TYPE_BAD_LENGTH", f"Must be {MAX_NONCE} or fewer in length.")
        attachments, problem = message_bodies.attachments(body.get("attachments"), files)
        if problem:
            return problem
        poll, problem = polls.poll(body.get("poll"), request.received_at)
        if problem:
            return problem
        if not content.strip() and not attachments and poll is None:
            return error(400, 50006, "Cannot send an empty message")
        if nonce is not None and body.get("enforce_nonce") is True:
            earlier = self._messages.get(self._nonces.get((bot["id"], str(nonce)), ""))
            if earlier is not None and request.received_at - earlier.received_at < NONCE_WINDOW_SECONDS:
                return Response(200, earlier.body)  # the first message, not a second one
        reference = body.get("message_reference")
        reply_to = reference.get("message_id") if isinstance(reference, dict) else None
        if reply_to is not None and reply_to not in self._messages:
            return invalid("message_reference", "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message")
        if reply_to is None and channel.type == PUBLIC_THREAD:  # it follows the thread's last message, or its starter
            reply_to = channel.last_message_id or channel.id
        message_id = str(next(self._ids))
        message = self._message_json(message_id, channel, bot, content, nonce, attachments, request)
        if poll is not None:
            message["poll"] = poll
        self._messages[message_id] = Message(message, request.received_at)
        if nonce is not None:
            self._nonces[(bot["id"], str(nonce))] = message_id
        channel.last_message_id = message_id
        self.record(
            Created(
                id=message_id,
                account=bot["id"],
                text=content,
                idempotency_key=None if nonce is None else str(nonce),
                reply_to=reply_to,
                received_at=request.received_at,
            )
        )
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
            return error(400, 50109, "The request body contains invalid JSON.")
        unknown = sorted(set(body) - _THREAD_FIELDS)
        if unknown:
            return invalid(unknown[0], "UNKNOWN_FIELD", f"The fake does not know the field {unknown[0]!r}")
        name = body.get("name")
        if not isinstance(name, str) or not 1 <= len(name) <= 100:
            return invalid("name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
        duration = body.get("auto_archive_duration")
        if duration is not None and duration not in _ARCHIVE_MINUTES:
            choices = ", ".join(map(str, sorted(_ARCHIVE_MINUTES)))
            return invalid("auto_archive_duration", "BASE_TYPE_CHOICES", f"Value must be one of ({choices}).")
        if channel.type != GUILD_TEXT:
            return error(400, 50024, "Cannot execute action on this channel type")
        if message.thread_id is not None:
            return error(400, 160004, "A thread has already been created for this message")
        thread_id = message.body["id"]  # a thread started from a message has the message's id
        thread = Channel(thread_id, PUBLIC_THREAD, guild_id=channel.guild_id, parent_id=channel.id, name=name)
        self._channels[thread_id] = thread
        message.thread_id = thread_id
        message.body["thread"] = thread.as_json()
        return Response(201, {**thread.as_json(), "owner_id": bot["id"]})

    # ---- helpers --------------------------------------------------------------------------------------------

    def _bot_and_channel(self, request: Request) -> tuple[dict[str, Any], Channel] | Response:
        """The calling bot and the channel of the path, or the error Discord answers (401 first, then 404/403)."""
        bot = self._caller(request)
        if bot is None:
            return UNAUTHORIZED
        channel = self._channel(request)
        return channel if isinstance(channel, Response) else (bot, channel)

    def _caller(self, request: Request) -> dict[str, Any] | None:
        header = request.headers.get("authorization", "")
        if not header.startswith("Bot "):  # a bot token under "Bearer" (or none) is refused like a bad one
            return None
        token = header[4:].strip()
        return bots.bot(token) if token and token != REVOKED_TOKEN else None

    def _channel(self, request: Request) -> Channel | Response:
        """The path's channel, or Discord's refusal: not an id, unknown, or not visible to the bot."""
        channel_id = request.param("_channel_id") or ""
        if not channel_id.isdigit():
            return invalid("channel_id", "NUMBER_TYPE_COERCE", f"Value {channel_id!r} is not snowflake.")
        channel = self._channels.get(channel_id)
        if channel is None:
            return error(404, 10003, "Unknown Channel")
        if channel.id == HIDDEN_CHANNEL_ID:
            return error(403, 50001, "Missing Access")
        return channel

    def _message_in(self, channel: Channel, request: Request) -> Message | Response:
        message = self._messages.get(request.param("_message_id") or "")
        if message is None or message.body["channel_id"] != channel.id:
            return error(404, 10008, "Unknown Message")
        return message

    def _message_json(
        self,
        message_id: str,
        channel: Channel,
        bot: dict[str, Any],
        content: str,
        nonce: object,
        attachments: list[dict[str, Any]],
        request: Request,
    ) -> dict[str, Any]:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(request.received_at)) + ".000000+00:00"
        for attachment in attachments:
            attachment["id"] = str(next(self._ids))  # uploaded files get snowflakes of their own
            attachment["url"] = (
                f"https://cdn.discordapp.com/attachments/{channel.id}/{message_id}/{attachment['filename']}"
            )
            attachment["proxy_url"] = attachment["url"].replace("cdn.discordapp.com", "media.discordapp.net")
        body: dict[str, Any] = {
            "id": message_id,
            "type": 0,
            "channel_id": channel.id,
            "author": bot,
            "content": content,
            "timestamp": stamp,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": attachments,
            "embeds": [],
            "components": [],
            "pinned": False,
            "flags": 0,
            "nonce": nonce,
        }
        if channel.guild_id:
            body["guild_id"] = channel.guild_id
        return body
