"""ThreadsAdapter: a Threads profile posting through the Threads API (graph.threads.net) with httpx.

Every segment is a media container (``TEXT``, ``IMAGE``, ``VIDEO``, or a ``CAROUSEL`` of 2-20 items created first
with ``is_carousel_item``) published with ``threads_publish``, one step per ``publish`` call (Pending between,
adapters/meta/containers.py). Threads fetches the media itself, from ``MediaItem.public_url``. A thread is native
replies: each segment's container carries ``reply_to_id`` = the segment before it. The main post carries
``reply_control`` from the post's reply policy (everyone, accounts you follow, mentioned only).

Limits: 500 characters with an emoji counted as its UTF-8 bytes, at most 5 different links (both checked at
validation), and the publishing quota (250 posts, 1,000 replies a rolling day) read from
``threads_publishing_limit`` before a container is made. ``post_url`` is the post's ``permalink``.

Tokens: a long-lived token (60 days) that Threads refreshes itself (``GET /refresh_access_token?grant_type=
th_refresh_token``), not an RFC 6749 refresh token: ``refresh()`` (RefreshesSession). ``delete`` removes a post.
"""

from __future__ import annotations

from adapters.answers import non_empty_text
from adapters.base import (
    ClientAuth,
    MediaRules,
    OAuthSpec,
    Pending,
    Platform,
    PlatformInfo,
    Profile,
    PublishedRef,
    PublishRequest,
    Rejected,
    TextCounting,
    TextRules,
    ThreadMode,
    Transient,
)
from adapters.http import path_segment
from adapters.meta.account import MetaAccountAdapter
from adapters.meta.containers import advance
from adapters.meta.errors import NOT_FOUND_SUBCODE, GraphError
from adapters.meta.graph import GraphApi
from adapters.meta.tokens import RENEW_BEFORE_EXPIRY_DAYS
from adapters.threads.containers import REPLY_CONTROL, ThreadsContainers
from adapters.validation import check_media_files

MAX_ITEMS = 20  # a carousel's items
_MB = 1024 * 1024


class ThreadsApi(GraphApi):
    name = "Threads"


class ThreadsAdapter(MetaAccountAdapter):
    api_class = ThreadsApi
    refresh_grant = "th_refresh_token"
    exchange_grant = "th_exchange_token"
    info = PlatformInfo(
        platform=Platform.THREADS,
        display_name="Threads",
        default_base_url="https://graph.threads.net/v1.0",
        text=TextRules(max_chars=500, counting=TextCounting.EMOJI_BYTES, max_links=5),
        media=MediaRules(
            max_images=MAX_ITEMS,
            max_image_bytes=8 * _MB,
            image_types=frozenset({"image/jpeg", "image/png"}),
            max_videos=MAX_ITEMS,
            max_video_bytes=1024 * _MB,
            video_types=frozenset({"video/mp4", "video/quicktime"}),
            images_with_video=True,  # a carousel mixes them
            max_attachments=MAX_ITEMS,
        ),
        thread_mode=ThreadMode.NATIVE_REPLY,
        credential_shapes=(frozenset({"access_token"}),),
        reply_policies=frozenset(REPLY_CONTROL),
        oauth=OAuthSpec(
            authorize_url="https://threads.net/oauth/authorize",
            token_url="https://graph.threads.net/oauth/access_token",
            scopes=("threads_basic", "threads_content_publish"),
            scope_separator=",",
            client_auth=ClientAuth.POST,
            token_fields=("user_id",),
            renew_before_expiry_days=RENEW_BEFORE_EXPIRY_DAYS,
        ),
    )

    async def verify(self) -> Profile:
        me = await self._api.node("me", fields="id,username,name,threads_profile_picture_url", action="profile check")
        user_id, username = non_empty_text(me.get("id")), non_empty_text(me.get("username"))
        if user_id is None or username is None:
            raise Transient("Threads answered /me without the profile's id and username")
        self._user_id = user_id
        return Profile(
            platform_user_id=user_id,
            username=username,
            display_name=non_empty_text(me.get("name")),
            avatar_url=non_empty_text(me.get("threads_profile_picture_url")),
        )

    async def publish(self, request: PublishRequest) -> PublishedRef | Pending:
        media = request.segment.media
        if len(media) > MAX_ITEMS:
            raise Rejected(f"Threads: {len(media)} files; a carousel takes at most {MAX_ITEMS}")
        check_media_files("Threads", media, self.info.media)
        if not media and not request.segment.text.strip():
            raise Rejected("Threads: a post without media needs text")
        return await advance(ThreadsContainers(self._api, self.user_id), request)

    async def delete(self, ref: PublishedRef) -> None:
        """DeletesPost: ``DELETE /{media-id}``; a post already gone is success."""
        answer = await self._api.exchange("DELETE", f"/{path_segment(ref.id)}", action="delete")
        if 200 <= answer.status < 300:
            return
        error = GraphError.of(answer.body)
        if error is not None and error.code == 100 and error.subcode == NOT_FOUND_SUBCODE:
            return
        raise self._api.error_for(answer, action="delete")
