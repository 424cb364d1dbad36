"""InstagramAdapter: a Business or Creator account posting through Instagram's Content Publishing API with httpx.

The main post must carry media (an image, a video published as a reel, or a carousel of 2-10), made as a container
Instagram fetches from ``MediaItem.public_url`` and published with ``media_publish``, one step per ``publish``
call (Pending between, adapters/meta/containers.py: ``status_code`` polled, an expired container made again, a lost
publish answer found by the container's PUBLISHED status and the account's media). A thread's later segments are
comments on the main post (``POST /{media}/comments``, comment_on_main): text only, their URL the main post's.

Limits: a caption of 2,200 characters with at most 30 hashtags (validation), JPEG images, the publishing quota
read from ``content_publishing_limit`` before a container is made. ``post_url`` is the post's ``permalink``.

Tokens (Instagram Login): long-lived (60 days), refreshed by Instagram's own ``ig_refresh_token`` call
(RefreshesSession). Instagram's API deletes no media, so the adapter has no ``delete``.
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
from adapters.instagram.containers import InstagramContainers
from adapters.meta.account import MetaAccountAdapter
from adapters.meta.containers import advance
from adapters.meta.graph import GraphApi
from adapters.meta.tokens import RENEW_BEFORE_EXPIRY_DAYS
from adapters.validation import check_media_files

MAX_ITEMS = 10  # a carousel's items
_MB = 1024 * 1024


class InstagramApi(GraphApi):
    name = "Instagram"


class InstagramAdapter(MetaAccountAdapter):
    api_class = InstagramApi
    refresh_grant = "ig_refresh_token"
    exchange_grant = "ig_exchange_token"
    info = PlatformInfo(
        platform=Platform.INSTAGRAM,
        display_name="Instagram",
        default_base_url="https://graph.instagram.com/v23.0",
        text=TextRules(max_chars=2200, counting=TextCounting.CODEPOINTS, max_hashtags=30),
        media=MediaRules(
            max_images=MAX_ITEMS,
            max_image_bytes=8 * _MB,
            image_types=frozenset({"image/jpeg"}),
            max_videos=MAX_ITEMS,
            max_video_bytes=300 * _MB,
            video_types=frozenset({"video/mp4", "video/quicktime"}),
            images_with_video=True,  # a carousel mixes them
            max_attachments=MAX_ITEMS,
            required=True,
            in_replies=False,  # comments are text
        ),
        thread_mode=ThreadMode.COMMENT_ON_MAIN,
        credential_shapes=(frozenset({"access_token"}),),
        oauth=OAuthSpec(
            authorize_url="https://www.instagram.com/oauth/authorize",
            token_url="https://api.instagram.com/oauth/access_token",
            scopes=(
                "instagram_business_basic",
                "instagram_business_content_publish",
                "instagram_business_manage_comments",  # the thread's comments
            ),
            scope_separator=",",
            client_auth=ClientAuth.POST,
            token_fields=("user_id",),
            renew_before_expiry_days=RENEW_BEFORE_EXPIRY_DAYS,
        ),
    )

    async def verify(self) -> Profile:
        me = await self._api.node("me", fields="user_id,username,name,profile_picture_url", action="profile check")
        user_id = non_empty_text(me.get("user_id")) or non_empty_text(me.get("id"))
        username = non_empty_text(me.get("username"))
        if user_id is None or username is None:
            raise Transient("Instagram answered /me without the account's id and username")
        self._user_id = user_id
        return Profile(
            platform_user_id=user_id,
            username=username,
            display_name=non_empty_text(me.get("name")),
            avatar_url=non_empty_text(me.get("profile_picture_url")),
        )

    async def publish(self, request: PublishRequest) -> PublishedRef | Pending:
        media = request.segment.media
        if not request.is_main:
            return await self._comment(request)
        if not media:
            raise Rejected("Instagram: a post needs an image or a video")
        if len(media) > MAX_ITEMS:
            raise Rejected(f"Instagram: {len(media)} files; a carousel takes at most {MAX_ITEMS}")
        check_media_files("Instagram", media, self.info.media)
        return await advance(InstagramContainers(self._api, self.user_id), request)

    async def _comment(self, request: PublishRequest) -> PublishedRef:
        main = request.root or request.parent
        if main is None:
            raise Rejected("Instagram: a comment needs the main post it goes under")
        if request.segment.media:
            raise Rejected("Instagram: a comment cannot carry media")
        comment = await self._api.edge_post(
            main.id, "comments", action="comment", creates=True, message=request.segment.text
        )
        return PublishedRef(id=comment, url=main.url)  # comments have no permalink of their own
