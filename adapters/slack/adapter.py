"""SlackAdapter: a bot posting into one channel with httpx (no SDK), threads as Slack's own message threads.

Connecting (verify) runs ``auth.test`` (the token, the bot user, the workspace's URL) and ``conversations.info``
(the channel exists, is not archived, and the bot is a member of it). The workspace's URL is handed back through
``updated_credentials()`` (``team_url``) to build a link should chat.getPermalink fail after a message was posted.

Segment 0 is a message in the channel (``chat.postMessage``); every later segment is a reply in its thread, with
``thread_ts`` = the main message's ts, always the main message's (Slack: never a reply's).

A segment with files is one message and its files in the thread under it: the files' bytes are uploaded first
(uploads.prepare: nothing visible yet), then the message is posted, then the files are completed into the thread
(``files.completeUploadExternal`` with ``channel_id`` and ``thread_ts``). The message's ``ts`` is the segment's
id and ``chat.getPermalink`` of it its URL: completeUploadExternal answers only the files' ids, no message ts,
so neither ``initial_comment`` nor a files-first order could give the segment a real id. Once the message is
posted, a failure to share the files is OutcomeUnknown (unconfirmed, naming the message): posting the segment
again would show its text twice.

Slack has no idempotency key (``idempotent_publish`` False): a chat.postMessage whose answer is lost, or answered
``internal_error``/``fatal_error``, is OutcomeUnknown and never sent again blindly. A message is deleted with
``chat.delete`` (DeletesPost).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from adapters.answers import non_empty_text
from adapters.base import (
    Adapter,
    AdapterContext,
    AdapterError,
    MediaRules,
    OutcomeUnknown,
    Platform,
    PlatformInfo,
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
from adapters.slack import uploads
from adapters.slack.api import BOT_TOKEN_PREFIX, SlackApi, bot_token
from adapters.slack.errors import error_code
from adapters.slack.message import archive_url, message_fields, thread_of
from adapters.validation import check_media_files

# Slack's docs for chat.postMessage: keep text to 4,000 characters for best results; beyond 40,000 it truncates.
# 4,000 of the writer's characters stay under 40,000 however Slack counts them, even after escaping (at most
# five characters for one, "&" → "&amp;") and even in UTF-8 bytes (at most four per character).
MAX_TEXT_CHARS = 4000
MAX_FILES = 10  # files in one files.completeUploadExternal
_GB = 1024**3  # Slack's file size limit: 1 GB
_ARCHIVES = re.compile(r"/archives/([A-Z0-9]+)/")  # a permalink's channel


class SlackAdapter(Adapter):
    info = PlatformInfo(
        platform=Platform.SLACK,
        display_name="Slack",
        default_base_url="https://slack.com/api",
        text=TextRules(max_chars=MAX_TEXT_CHARS, counting=TextCounting.CODEPOINTS),
        media=MediaRules(
            max_images=MAX_FILES,
            max_image_bytes=_GB,
            image_types=frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"}),
            max_videos=MAX_FILES,
            max_video_bytes=_GB,
            video_types=frozenset({"video/mp4", "video/quicktime", "video/webm"}),
            alt_text_max_chars=1000,  # files.getUploadURLExternal's alt_txt_too_large
            images_with_video=True,  # files are files: one upload may mix them
            max_attachments=MAX_FILES,
        ),
        thread_mode=ThreadMode.MESSAGE_THREAD,
        # Required keys only; "team_url" is added by verify() (see updated_credentials).
        credential_shapes=(frozenset({"bot_token", "channel_id"}),),
        idempotent_publish=False,
    )

    def __init__(self, context: AdapterContext) -> None:
        """``context.request_timeout``: per request (None: the timeouts of ``http``, the owner's client)."""
        super().__init__(context)
        self.channel_id = self.credentials.get("channel_id", "").strip()
        self._api = SlackApi(self.http, self.base_url, self.credentials, timeout=context.request_timeout)
        self._team_url: str | None = self.credentials.get("team_url") or None

    async def verify(self) -> Profile:
        if not bot_token(self.credentials).startswith(BOT_TOKEN_PREFIX):
            raise ReauthRequired(
                "Slack: the token is not a bot token; use the app's Bot User OAuth Token, which starts with xoxb-"
            )
        me = await self._api.read("auth.test", action="credentials check")
        user_id, user = non_empty_text(me.get("user_id")), non_empty_text(me.get("user"))
        if user_id is None or user is None:
            raise Transient("Slack answered auth.test without the bot's user id and name")
        self._team_url = non_empty_text(me.get("url")) or self._team_url
        await self._check_channel()
        team = non_empty_text(me.get("team"))
        return Profile(platform_user_id=user_id, username=user, display_name=f"{user} ({team})" if team else None)

    async def publish(self, request: PublishRequest) -> PublishedRef:
        segment = request.segment
        if len(segment.media) > MAX_FILES:
            raise Rejected(f"Slack: {len(segment.media)} files; at most {MAX_FILES} per message")
        check_media_files("Slack", segment.media, self.info.media)
        if not segment.text.strip():
            raise Rejected("Slack: a message needs text (its files go into the thread under it)")
        thread_ts = thread_of(request)
        waiting = await uploads.prepare(self._api, segment.media)
        message = await self._api.write(
            "chat.postMessage",
            action="post" if thread_ts is None else "thread reply",
            creates=True,
            **message_fields(self.channel_id, segment.text, thread_ts),
        )
        ts = non_empty_text(message.get("ts"))
        if ts is None:
            raise OutcomeUnknown("Slack accepted the message but its answer carried no ts")
        if waiting:
            await self._share(waiting, ts, thread_ts or ts)
        return PublishedRef(id=ts, url=await self._permalink(ts))

    async def delete(self, ref: PublishedRef) -> None:
        """DeletesPost: ``chat.delete`` of the message's ts, in the channel its permalink names (else the account's).
        ``message_not_found`` is already deleted; ``cant_delete_message`` (not the bot's own) Rejected. The files a
        segment shared into the thread are messages of the files, not named by the ref: they stay."""
        channel = _ARCHIVES.search(ref.url)
        await self._api.delete(
            "POST",
            "/chat.delete",
            action="delete",
            gone=lambda answer: error_code(answer.body) == "message_not_found",
            data={"channel": channel[1] if channel else self.channel_id, "ts": ref.id},
        )

    def updated_credentials(self) -> Mapping[str, str] | None:
        """PersistsSession: the credentials with the workspace's URL once it is known and not stored yet."""
        return self.with_learned(team_url=self._team_url)

    # ---- internals ------------------------------------------------------------------------------------

    async def _check_channel(self) -> None:
        try:
            answer = await self._api.read("conversations.info", action="channel check", channel=self.channel_id)
        except Rejected as exc:  # channel_not_found, missing_scope, invalid_arguments
            raise Rejected(
                f"Slack: the bot cannot use channel {self.channel_id!r} ({exc.message}). Give the channel's ID (in "
                "the channel's details, e.g. C0123456789), not its name, and give the app the channels:read scope "
                "(groups:read for a private channel)"
            ) from exc
        channel = answer.get("channel")
        if not isinstance(channel, Mapping):
            raise Transient("Slack answered conversations.info without the channel")
        name = f"#{channel['name']}" if non_empty_text(channel.get("name")) else repr(self.channel_id)
        if channel.get("is_archived") is True:
            raise Rejected(f"Slack: channel {name} is archived; unarchive it or connect another channel")
        if channel.get("is_member") is False:  # absent for a direct message, where the bot is always in it
            raise Rejected(
                f"Slack: the bot is not a member of {name}; invite it there (/invite @<the app's name>) and connect "
                "again"
            )

    async def _share(self, waiting: list[uploads.Upload], ts: str, thread_ts: str) -> None:
        try:
            await uploads.share(self._api, waiting, channel=self.channel_id, thread_ts=thread_ts)
        except AdapterError as exc:
            raise OutcomeUnknown(
                f"Slack: the message (ts {ts}) was posted but its files could not be added to its thread "
                f"({exc.message}); it is not posted again, which would show its text twice: add the files by hand"
            ) from None

    async def _permalink(self, ts: str) -> str:
        try:
            answer = await self._api.read(
                "chat.getPermalink", action="permalink lookup", channel=self.channel_id, message_ts=ts
            )
        except AdapterError:  # the message is posted: a link built the way Slack builds them, rather than a repost
            return archive_url(self._team_url, self.channel_id, ts)
        return non_empty_text(answer.get("permalink")) or archive_url(self._team_url, self.channel_id, ts)
