"""AmityAdapter: a user of an Amity Social Cloud network posting to their feed or a community's, with httpx (no
SDK), a thread as comments on the main post.

Segment 0 is a post (``POST /api/v4/posts``); every later segment is a comment on it (``POST /api/v3/comments``,
``referenceType: post``). Media are uploaded first and attached by file id; a poll is created first and the post
carries its id (``dataType: poll``).

We choose every post's ``postId`` and every comment's ``commentId`` before the call: the segment's idempotency key.
So an interrupted segment is found by its id (``find_published``), and a create that meets "already exists" is
one an earlier try made: it is looked up and returned, never posted twice (idempotent with no window: the ids are
permanent).

Amity is a backend for apps: a post has no public web page. Its URL here is the post's (or comment's) resource in
Amity's API, ``{region}/api/v3/posts/{postId}`` (``…/comments/{commentId}``), which an app resolves to its screen.

The user is learned from the token in verify() (``GET /api/v4/me/followInfo`` names it; ``GET /api/v3/users/{id}``
gives the profile) and stored with the account (``credentials["user_id"]``, see ``updated_credentials``): a post
to the user's own feed names it as ``targetId``. Posts and comments are deleted (soft, as Amity's default) with
``DELETE /api/v4/posts|comments/{id}`` (DeletesPost).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.amity.api import AmityApi, segment
from adapters.amity.content import comment_body, poll_body, post_body, remote_id
from adapters.amity.errors import AlreadyExists
from adapters.amity.options import AmityOptions
from adapters.amity.uploads import check_media, upload_all
from adapters.answers import non_empty_text
from adapters.base import (
    Adapter,
    AdapterContext,
    MediaRules,
    Platform,
    PlatformInfo,
    Poll,
    PollRules,
    Profile,
    PublishedRef,
    PublishRequest,
    Rejected,
    ReplyPolicy,
    TextCounting,
    TextRules,
    ThreadMode,
    Transient,
)

_GIB = 1024 * 1024 * 1024


class AmityAdapter(Adapter):
    info = PlatformInfo(
        platform=Platform.AMITY,
        display_name="Amity Social Cloud",
        default_base_url="https://apix.us.amity.co",  # the US region; EU and SG are apix.eu / apix.sg
        # 20,000 for posts and for comments (the docs; the comment API's schema says 50,000: the stricter wins),
        # counted by a Node back end: UTF-16 code units.
        text=TextRules(max_chars=20_000, counting=TextCounting.UTF16),
        media=MediaRules(
            # Up to 10 images or videos per post, mixed (Amity's "mixed media" posts); the API sends ≤4 images or
            # one video per segment, so the total never binds in practice.
            max_images=10,
            max_image_bytes=_GIB,
            image_types=frozenset({"image/jpeg", "image/png"}),  # Amity takes JPG and PNG (no GIF)
            max_videos=10,
            max_video_bytes=_GIB,  # the docs' 1 GB (the video upload API says 2 GB: the stricter wins)
            video_types=frozenset(
                {
                    "video/mp4",
                    "video/quicktime",
                    "video/webm",
                    "video/x-msvideo",
                    "video/x-matroska",
                    "video/x-m4v",
                    "video/3gpp",
                    "video/3gpp2",
                    "video/x-flv",
                    "video/x-ms-wmv",
                    "video/ogg",
                }
            ),
            alt_text_max_chars=180,  # a file's altText
            images_with_video=True,
            max_attachments=10,
        ),
        thread_mode=ThreadMode.COMMENT_ON_MAIN,
        # Required keys only; "user_id" is added by verify() (see updated_credentials).
        credential_shapes=(frozenset({"access_token"}),),
        idempotent_publish=True,
        idempotency_window_seconds=None,  # ids we chose stay taken: a resend can never make a second post
        # Amity's polls: 2 to 10 text answers, one choice, closing after closedIn. Question ≤500 and answers ≤60
        # characters and 30 days at most are what Amity's own UIKit allows (the API documents no limits). A poll
        # post ignores attachments: a poll cannot go with media.
        polls=PollRules(
            max_options=10,
            max_option_chars=60,
            min_duration_minutes=1,
            max_duration_minutes=30 * 24 * 60,
            with_media=False,
            max_question_chars=500,
        ),
        reply_policies=frozenset({ReplyPolicy.EVERYONE}),  # Amity has no per-post control of who may comment
        options=AmityOptions,
    )

    def __init__(self, context: AdapterContext) -> None:
        """``context.request_timeout``: per request (None: the timeouts of ``http``, the owner's client)."""
        super().__init__(context)
        self._api = AmityApi(self.http, self.base_url, self.credentials, timeout=context.request_timeout)
        self._user_id: str | None = self.credentials.get("user_id") or None

    async def verify(self) -> Profile:
        user_id = await self._learn_user()
        found = await self._api.get(f"/api/v3/users/{segment(user_id)}", action="profile lookup")
        user = _the(found, "users", "userId", user_id) or {}
        return Profile(
            platform_user_id=user_id,
            username=non_empty_text(user.get("profileHandle")) or user_id,
            display_name=non_empty_text(user.get("displayName")),
            avatar_url=_avatar_url(found, user),
        )

    async def publish(self, request: PublishRequest) -> PublishedRef:
        check_media(request.segment.media, self.info.media)
        if request.parent is None:
            return await self._post(request)
        return await self._comment(request, request.root or request.parent)

    async def delete(self, ref: PublishedRef) -> None:
        """DeletesPost: ``DELETE /api/v4/comments/{id}`` for a comment (its URL says so), else
        ``DELETE /api/v4/posts/{id}``. Amity's default soft delete: the item is hidden (``isDeleted``), kept for the
        network's moderators. Not found (404 / 400400) is already deleted; another user's item is 400300 Forbidden,
        Rejected."""
        kind = "comments" if "/comments/" in ref.url else "posts"
        await self._api.delete(
            "DELETE", f"/api/v4/{kind}/{segment(ref.id)}", action=f"{kind[:-1]} delete", gone=self._api.not_found
        )

    async def find_published(self, request: PublishRequest) -> PublishedRef | None:
        """FindsDelivery: the segment's post or comment, by the id we gave it; None when Amity has none."""
        if request.parent is None:
            return await self._find_post(remote_id(request.idempotency_key))
        return await self._find_comment(remote_id(request.idempotency_key))

    def updated_credentials(self) -> Mapping[str, str] | None:
        """PersistsSession: the credentials with the token's user id once it is known and not stored yet."""
        return self.with_learned(user_id=self._user_id)

    # ---- the main post and its comments -----------------------------------------------------------------

    async def _post(self, request: PublishRequest) -> PublishedRef:
        text, media, poll = request.segment.text, request.segment.media, request.poll
        if poll is not None and media:  # Amity would drop the media of a poll post
            raise Rejected("Amity: a poll post cannot carry media (Amity ignores the attachments of poll posts)")
        options = request.options if isinstance(request.options, AmityOptions) else None
        target_id = options.target_id if options is not None and options.target_id else await self._learn_user()
        attachments = await upload_all(self._api, media)
        poll_id = await self._create_poll(poll, text) if poll is not None else None
        post_id = remote_id(request.idempotency_key)
        body = post_body(
            post_id=post_id,
            text=text,
            target_id=target_id,
            options=options,
            attachments=attachments,
            poll_id=poll_id,
        )
        try:
            answer = await self._api.post("/api/v4/posts", action="post", creates=True, json=body)
        except AlreadyExists:
            found = await self._find_post(post_id)  # an earlier try made it: that one is the segment
            if found is None:
                raise
            return found
        return self._post_ref(_answered_id(answer, "posts", "postId", post_id))

    async def _comment(self, request: PublishRequest, post: PublishedRef) -> PublishedRef:
        attachments = await upload_all(self._api, request.segment.media)
        comment_id = remote_id(request.idempotency_key)
        body = comment_body(comment_id=comment_id, post_id=post.id, text=request.segment.text, attachments=attachments)
        try:
            answer = await self._api.post("/api/v3/comments", action="comment", creates=True, json=body)
        except AlreadyExists:
            found = await self._find_comment(comment_id)
            if found is None:
                raise
            return found
        return self._comment_ref(_answered_id(answer, "comments", "commentId", comment_id))

    async def _create_poll(self, poll: Poll, text: str) -> str:
        """``POST /api/v3/polls``: a poll nobody sees until a post carries it, so a lost answer is only transient."""
        answer = await self._api.post("/api/v3/polls", action="poll", creates=False, json=poll_body(poll, text))
        created = _first(answer, "polls")
        poll_id = non_empty_text(created.get("pollId")) if created else None
        if poll_id is None:
            raise Transient("Amity answered the poll's creation without a pollId")
        return poll_id

    # ---- looking things up ------------------------------------------------------------------------------

    async def _find_post(self, post_id: str) -> PublishedRef | None:
        found = await self._api.find(f"/api/v3/posts/{segment(post_id)}", action="post lookup")
        return self._post_ref(post_id) if _the(found, "posts", "postId", post_id) else None

    async def _find_comment(self, comment_id: str) -> PublishedRef | None:
        found = await self._api.find(f"/api/v3/comments/{segment(comment_id)}", action="comment lookup")
        return self._comment_ref(comment_id) if _the(found, "comments", "commentId", comment_id) else None

    async def _learn_user(self) -> str:
        """The token's user: ``GET /api/v4/me/followInfo`` answers the caller's follow counts, with its id."""
        if self._user_id is None:
            answer = await self._api.get("/api/v4/me/followInfo", action="credentials check")
            counts = _first(answer, "followCounts")
            user_id = non_empty_text(counts.get("userId")) if counts else None
            if user_id is None:
                raise Transient("Amity answered /api/v4/me/followInfo without the user's id")
            self._user_id = user_id
        return self._user_id

    def _post_ref(self, post_id: str) -> PublishedRef:
        return PublishedRef(id=post_id, url=f"{self.base_url}/api/v3/posts/{segment(post_id)}")

    def _comment_ref(self, comment_id: str) -> PublishedRef:
        return PublishedRef(id=comment_id, url=f"{self.base_url}/api/v3/comments/{segment(comment_id)}")


def _first(answer: Any, key: str) -> Mapping[str, Any] | None:
    """The first object of one of the lists an Amity answer is made of (``posts``, ``comments``, ``polls``...)."""
    items = answer.get(key) if isinstance(answer, Mapping) else None
    first = items[0] if isinstance(items, list) and items else None
    return first if isinstance(first, Mapping) else None


def _the(answer: Any, key: str, id_field: str, wanted: str) -> Mapping[str, Any] | None:
    """The object of ``answer[key]`` whose ``id_field`` is ``wanted``."""
    items = answer.get(key) if isinstance(answer, Mapping) else None
    for item in items if isinstance(items, list) else []:
        if isinstance(item, Mapping) and item.get(id_field) == wanted:
            return item
    return None


def _answered_id(answer: Any, key: str, id_field: str, ours: str) -> str:
    """The id Amity gave what it created: ours, unless its answer names another one."""
    created = _the(answer, key, id_field, ours) or _first(answer, key)
    return (non_empty_text(created.get(id_field)) if created else None) or ours


def _avatar_url(answer: Any, user: Mapping[str, Any]) -> str | None:
    """The user's custom avatar URL, else the URL of its avatar file (the answer's ``files`` carry it)."""
    custom = non_empty_text(user.get("avatarCustomUrl"))
    if custom:
        return custom
    file_id = non_empty_text(user.get("avatarFileId"))
    avatar = _the(answer, "files", "fileId", file_id) if file_id else None
    return non_empty_text(avatar.get("fileUrl")) if avatar else None
