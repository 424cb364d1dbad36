"""TelegramAdapter: a bot posting into one chat (a channel or a group) through the Bot API, over httpx (no SDK).

Connecting checks the token (``getMe``), the chat (``getChat``: it exists and the bot can see it) and the bot's
place in it (``getChatMember`` of the bot: chat.py says who may post). Segments are messages replying to the segment
before them (``reply_parameters``); what each segment sends is in messages.py.

Telegram has no idempotency key and no way to find a message by one of ours: a send whose answer was lost is in doubt
(OutcomeUnknown, the target ends ``unconfirmed``), never sent again blindly.

What is learned is stored with the account through ``updated_credentials()``: the chat's public username
(``credentials["chat_username"]``, "" for a chat without one), so that publishing can link a message without looking
the chat up, and the new ``chat_id`` of a group Telegram upgraded to a supergroup (``migrate_to_chat_id``), which the
adapter follows once, resending there.

A message is deleted with ``deleteMessage`` (DeletesPost), which Telegram allows for 48 hours after it was sent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from adapters.answers import non_empty_text
from adapters.base import (
    Adapter,
    AdapterContext,
    MediaRules,
    OutcomeUnknown,
    Platform,
    PlatformInfo,
    PollRules,
    Profile,
    PublishedRef,
    PublishRequest,
    ReauthRequired,
    Rejected,
    TextCounting,
    TextRules,
    ThreadMode,
    Transient,
)
from adapters.telegram.api import TelegramApi
from adapters.telegram.chat import describe_chat, message_url, why_bot_cannot_post
from adapters.telegram.errors import ChatMigrated
from adapters.telegram.messages import (
    MAX_ALBUM,
    MAX_CAPTION,
    MAX_QUESTION,
    MAX_TEXT,
    Send,
    chat_param,
    check_media,
    segment_send,
)

T = TypeVar("T")
CHAT_USERNAME = "chat_username"  # learned by verify(); "" for a chat without a public username
_MB = 1000 * 1000  # Telegram's "10 MB", read conservatively
_MAX_OPEN_SECONDS = 2_628_000  # sendPoll open_period, Bot API 10.1


class TelegramAdapter(Adapter):
    info = PlatformInfo(
        platform=Platform.TELEGRAM,
        display_name="Telegram",
        default_base_url="https://api.telegram.org",  # or a local Bot API server
        # Telegram counts UTF-16 code units; a text beside media is a caption (and a poll's text its description).
        text=TextRules(max_chars=MAX_TEXT, counting=TextCounting.UTF16, caption_max_chars=MAX_CAPTION),
        media=MediaRules(
            max_images=MAX_ALBUM,  # one photo, or an album of up to ten
            max_image_bytes=10 * _MB,
            image_types=frozenset({"image/jpeg", "image/png", "image/webp"}),  # a GIF would be an animation
            max_videos=1,
            max_video_bytes=50 * _MB,  # the cloud Bot API's upload limit for bots
            video_types=frozenset({"video/mp4"}),  # what Telegram clients play; other formats arrive as documents
            # Telegram photos carry no alt text: an image's alt text is not sent.
        ),
        thread_mode=ThreadMode.NATIVE_REPLY,
        polls=PollRules(
            max_options=12,  # sendPoll takes 1-12 options (Bot API 10.1); ours need two
            max_option_chars=100,
            min_duration_minutes=1,  # open_period 5 to 2,628,000 seconds, in whole minutes here
            max_duration_minutes=_MAX_OPEN_SECONDS // 60,
            max_question_chars=MAX_QUESTION,
            with_media=False,  # the post's text rides on the poll as its description; media would need its own message
        ),
        # Required keys only; "chat_username" is added by verify(), "chat_id" replaced after a migration.
        credential_shapes=(frozenset({"bot_token", "chat_id"}),),
        idempotent_publish=False,
    )

    def __init__(self, context: AdapterContext) -> None:
        """``context.request_timeout``: per request (None: the timeouts of ``http``, the owner's client)."""
        super().__init__(context)
        self._api = TelegramApi(self.http, self.base_url, self.credentials, timeout=context.request_timeout)
        self._chat_id = self.credentials.get("chat_id", "").strip()
        self._username: str | None = self.credentials.get(CHAT_USERNAME)  # None: not learned yet

    async def verify(self) -> Profile:
        try:
            bot = await self._api.call("getMe", action="credentials check")
        except Rejected as exc:  # 404: Telegram knows no bot by a token of that shape
            raise ReauthRequired(
                f"Telegram does not know this bot token ({exc.message}); copy it from @BotFather, it looks like "
                "123456789:AAE…"
            ) from None
        bot_id, name = bot.get("id"), non_empty_text(bot.get("username"))
        if not isinstance(bot_id, int) or isinstance(bot_id, bool) or name is None:
            raise Transient("Telegram answered getMe without the bot's id and username")
        chat = await self._chat()
        member = await self._in_chat(
            lambda chat_id: self._api.call(
                "getChatMember", action="permission check", json={"chat_id": chat_param(chat_id), "user_id": bot_id}
            )
        )
        problem = why_bot_cannot_post(chat, member)
        if problem is not None:
            raise ReauthRequired(
                f"Telegram: the bot @{name} cannot post in {describe_chat(self._chat_id, chat)}: {problem}. Make it "
                "an administrator allowed to post messages (a channel) or a member allowed to send (a group)"
            )
        return Profile(
            platform_user_id=str(bot_id), username=name, display_name=non_empty_text(chat.get("title")) or name
        )

    async def publish(self, request: PublishRequest) -> PublishedRef:
        check_media(request.segment.media, self.info.media)
        username = self._username if self._username is not None else await self._learn_username()
        reply_to = request.parent.id if request.parent is not None else None
        poll = request.poll if request.is_main else None

        def send(chat_id: str) -> Awaitable[Any]:
            call: Send = segment_send(chat_id, request.segment, reply_to, poll)
            return self._api.call(call.method, action=call.method, creates=True, **call.body)

        sent = await self._in_chat(send)
        message = sent[0] if isinstance(sent, list) and sent else sent  # an album: its first message, the caption's
        message_id = message.get("message_id") if isinstance(message, Mapping) else None
        if not isinstance(message_id, int) or isinstance(message_id, bool):
            raise OutcomeUnknown("Telegram accepted the message but its answer carried no message_id")
        return PublishedRef(id=str(message_id), url=message_url(self._chat_id, username, str(message_id)))

    async def delete(self, ref: PublishedRef) -> None:
        """DeletesPost: ``deleteMessage`` in the account's chat. "message to delete not found" is already deleted;
        "message can't be deleted" (48 hours passed, or not the bot's to delete) Rejected, saying so. An album's other
        photos are messages of their own that its ref does not name: only the caption's message goes."""
        if not ref.id.isdigit():
            raise Rejected(f"Telegram: {ref.id!r} is not a message id")
        body = {"chat_id": chat_param(self._chat_id), "message_id": int(ref.id)}
        await self._api.delete("POST", "/deleteMessage", action="delete", json=body)

    def updated_credentials(self) -> Mapping[str, str] | None:
        """PersistsSession: the credentials with the chat's username once learned, and the chat's new id once it
        migrated, when either differs from what is stored."""
        return self.with_learned(chat_id=self._chat_id, **{CHAT_USERNAME: self._username})

    # ---- internals ------------------------------------------------------------------------------------

    async def _chat(self) -> Mapping[str, Any]:
        """``getChat``: the chat exists and the bot can see it (else Rejected, naming it); its username learned."""
        try:
            chat = await self._in_chat(
                lambda chat_id: self._api.call("getChat", action="chat lookup", json={"chat_id": chat_param(chat_id)})
            )
        except Rejected as exc:  # 400 chat not found, or not a chat id at all
            raise Rejected(
                f"Telegram: the bot cannot find chat {describe_chat(self._chat_id)} ({exc.message}). Give the "
                "channel's @username or the chat's numeric id (-100…), and add the bot to the chat first"
            ) from None
        if not isinstance(chat, Mapping):
            raise Transient("Telegram answered getChat without a chat")
        self._username = non_empty_text(chat.get("username")) or ""
        return chat

    async def _learn_username(self) -> str:
        await self._chat()
        return self._username or ""

    async def _in_chat(self, call: Callable[[str], Awaitable[T]]) -> T:
        """``call`` on the account's chat; once more on the supergroup a group was upgraded to (remembered)."""
        try:
            return await call(self._chat_id)
        except ChatMigrated as moved:
            self._chat_id = moved.chat_id
            return await call(self._chat_id)
