"""DiscordAdapter: a bot posting into one channel with httpx (no SDK), threads as Discord's own message threads.

Segment 0 is a message in the channel. Segment 1 starts a thread from it (a thread started from a message has
that message's id as its channel id) and posts into the thread; every later segment posts into the same thread.
A thread that already exists (a retry after a crash or a lost answer: 160004) is simply posted into.

Every message carries the segment's idempotency key as its ``nonce`` with ``enforce_nonce``: a repeat by the same
bot within a few minutes returns the first message instead of creating a second one (idempotent_publish, inside
``idempotency_window_seconds``).

A post's poll rides on the main message as Discord's own poll (poll.py). Nobody is kept from replying on Discord by
a post: only ``everyone`` is a reply policy here, and Discord takes no platform options.

A message's URL needs the channel's server (guild) id. It is learned once, in verify(), and handed back through
``updated_credentials()`` to be stored with the account (``credentials["guild_id"]``; ``@me`` for a DM channel),
so publishing never looks the channel up again.

A message is deleted in the channel (or thread) its URL names (DeletesPost): the bot's own messages need no
permission beyond what posting needs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping

from adapters.answers import non_empty_text
from adapters.base import (
    Adapter,
    AdapterContext,
    MediaRules,
    OutcomeUnknown,
    Platform,
    PlatformInfo,
    Profile,
    PublishedRef,
    PublishRequest,
    Rejected,
    Segment,
    TextCounting,
    TextRules,
    ThreadMode,
    Transient,
)
from adapters.discord.api import DiscordApi, segment
from adapters.discord.errors import ThreadAlreadyCreated
from adapters.discord.message import check_media, message_body, thread_name
from adapters.discord.poll import POLL_RULES, poll_object

_MIB = 1024 * 1024
NO_GUILD = "@me"  # what discord.com/channels/<guild> says for a DM channel
CDN = "https://cdn.discordapp.com"


def message_channel(ref: PublishedRef) -> str | None:
    """The channel (or thread) id in a message URL ``https://discord.com/channels/<guild>/<channel>/<message>``."""
    parts = ref.url.rstrip("/").split("/")
    return parts[-2] if len(parts) >= 3 and parts[-1] == ref.id and parts[-2].isdigit() else None


class DiscordAdapter(Adapter):
    info = PlatformInfo(
        platform=Platform.DISCORD,
        display_name="Discord",
        default_base_url="https://discord.com/api/v10",
        # 2000 for bots (the spec's 4000 is Nitro users'); Discord counts characters, i.e. code points.
        text=TextRules(max_chars=2000, counting=TextCounting.CODEPOINTS),
        media=MediaRules(
            # Ten files per message of any kind (message.MAX_ATTACHMENTS checks the total); the API sends ≤4 images
            # or one video per segment, so the total never binds in practice.
            max_images=10,
            max_image_bytes=10 * _MIB,  # Discord's default upload limit, per file, for a server without boosts
            image_types=frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"}),
            max_videos=10,
            max_video_bytes=10 * _MIB,
            video_types=frozenset({"video/mp4", "video/quicktime", "video/webm"}),
            alt_text_max_chars=1024,  # an attachment's description
            images_with_video=True,  # attachments are attachments: a message can mix them
        ),
        thread_mode=ThreadMode.MESSAGE_THREAD,
        polls=POLL_RULES,
        # Required keys only; "guild_id" is added by verify() (see updated_credentials).
        credential_shapes=(frozenset({"bot_token", "channel_id"}),),
        idempotent_publish=True,
        # Discord checks a nonce "in the past few minutes": two minutes is inside that with room to spare. Past it,
        # an in-doubt segment is unconfirmed rather than resent.
        idempotency_window_seconds=120,
    )

    def __init__(self, context: AdapterContext) -> None:
        """``context.request_timeout``: per request (None: the timeouts of ``http``, the owner's client)."""
        super().__init__(context)
        self.channel_id = self.credentials.get("channel_id", "")
        self._api = DiscordApi(self.http, self.base_url, self.credentials, timeout=context.request_timeout)
        self._guild_id: str | None = self.credentials.get("guild_id") or None
        self._main_texts: dict[str, str] = {}  # main message id → its text (a thread's name comes from it)

    async def verify(self) -> Profile:
        user = await self._api.get("/users/@me", action="credentials check")
        await self._learn_guild()  # proves the bot can see the channel, and remembers its server
        user_id, name = user.get("id"), user.get("username")
        if not isinstance(user_id, str) or not user_id or not isinstance(name, str) or not name:
            raise Transient("Discord answered /users/@me without the bot's id and username")
        avatar = user.get("avatar")
        return Profile(
            platform_user_id=user_id,
            username=name,
            display_name=non_empty_text(user.get("global_name")),
            avatar_url=f"{CDN}/avatars/{user_id}/{avatar}.png" if isinstance(avatar, str) and avatar else None,
        )

    async def publish(self, request: PublishRequest) -> PublishedRef:
        check_media(request.segment.media, self.info.media)
        guild_id = self._guild_id or await self._learn_guild()
        if request.parent is None:
            channel = self.channel_id
        else:
            root = request.root or request.parent
            channel = root.id  # the thread started from the main message has the main message's id
            if request.segment.index == 1:  # the first reply: the thread is started now (or was, before a retry)
                await self._start_thread(root, request.segment)
        poll = poll_object(request.poll, request.segment.text) if request.poll is not None else None
        message = await self._api.post(
            f"/channels/{segment(channel)}/messages",
            action="post" if request.parent is None else "thread reply",
            creates=True,
            **message_body(request.segment, request.idempotency_key, poll),
        )
        message_id = message.get("id")
        if not isinstance(message_id, str) or not message_id:
            raise OutcomeUnknown("Discord accepted the message but its answer carried no message id")
        if request.parent is None:
            self._main_texts[message_id] = request.segment.text
        return PublishedRef(id=message_id, url=f"https://discord.com/channels/{guild_id}/{channel}/{message_id}")

    async def delete(self, ref: PublishedRef) -> None:
        """DeletesPost: ``DELETE /channels/{channel}/messages/{id}``, in the channel its URL names (a reply's is the
        thread). 404 (Unknown Message, or Unknown Channel: the thread is gone) is already deleted; 403 (Missing
        Permissions: not the bot's message) Rejected. The thread a reply started stays, empty, until Discord archives
        it (deleting it needs Manage Threads, which posting does not)."""
        channel = message_channel(ref) or self.channel_id
        await self._api.delete(
            "DELETE", f"/channels/{segment(channel)}/messages/{segment(ref.id)}", action="message delete"
        )

    def updated_credentials(self) -> Mapping[str, str] | None:
        """PersistsSession: the credentials with the channel's guild id once it is known and not stored yet."""
        return self.with_learned(guild_id=self._guild_id)

    # ---- internals ------------------------------------------------------------------------------------

    async def _learn_guild(self) -> str:
        """``GET /channels/{channel_id}``: the bot can see the channel (else Rejected, naming it); its guild id."""
        try:
            channel = await self._api.get(f"/channels/{segment(self.channel_id)}", action="channel lookup")
        except Rejected as exc:  # 403 Missing Access, 404 Unknown Channel, 400/422 not a channel id
            raise Rejected(
                f"Discord: the bot cannot use channel {self.channel_id!r} ({exc.message}). Check the channel id "
                "(Developer Mode → Copy Channel ID) and that the bot is in that server with View Channel and "
                "Send Messages"
            ) from exc
        guild_id = channel.get("guild_id")
        self._guild_id = guild_id if isinstance(guild_id, str) and guild_id else NO_GUILD
        return self._guild_id

    async def _start_thread(self, root: PublishedRef, reply: Segment) -> None:
        main_text = self._main_texts.get(root.id)
        if main_text is None:  # the main message was posted by an earlier attempt: read its text back
            main_text = await self._message_text(root.id)
        path = f"/channels/{segment(self.channel_id)}/messages/{segment(root.id)}/threads"
        body = {"name": thread_name(main_text, reply.text)}
        # 160004: started by an earlier try whose answer or next step was lost; post into it. And creates=False: a
        # lost answer here is only Transient, since the retry meets 160004 rather than making a second thread.
        with contextlib.suppress(ThreadAlreadyCreated):
            await self._api.post(path, action="thread start", creates=False, json=body)

    async def _message_text(self, message_id: str) -> str:
        """The content of a message in the channel; "" when the bot may not read history (the thread is then named
        after the reply)."""
        path = f"/channels/{segment(self.channel_id)}/messages/{segment(message_id)}"
        try:
            message = await self._api.get(path, action="main message lookup")
        except Rejected:
            return ""
        return non_empty_text(message.get("content")) or ""
