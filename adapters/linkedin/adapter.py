"""LinkedInAdapter: posts through ``/rest/posts`` as the member who connected (``urn:li:person:{sub}``) or as an
organization they administer (``urn:li:organization:{organization_id}`` in the credentials, chosen at connect).

verify() reads ``GET /v2/userinfo`` (OpenID Connect: ``openid profile``): the member's ``sub`` is learned and
kept (``updated_credentials``: ``person_id``), so publishing never asks again.

A main post uploads its images first (one → ``media``, 2 to 20 → ``multiImage``) and posts at once. A video is
uploaded and finalized, then LinkedIn processes it: publish answers Pending with ``{"video": urn}`` and, called
again with that handle, asks the video's status: still processing → Pending again; AVAILABLE → the post is created;
PROCESSING_FAILED → MediaRejected. The post's URN comes back in ``x-restli-id``; its page is
``https://www.linkedin.com/feed/update/{urn}/``. Later segments are comments on the main post
(``/rest/socialActions/{urn}/comments``), text only.

LinkedIn has no idempotency key and no read of a member's own posts without a restricted permission: a post whose
answer was lost is OutcomeUnknown, never posted again blindly. A video post is the exception: called again with its
handle, the post names the same video, and LinkedIn's 422 "Content is a duplicate of urn:li:share:…" is the first
post's URN, returned as the segment's.

Most apps get no refresh token: the access token lives 60 days. ``expires_at`` in the credentials (from the OAuth
connect) makes an expired token ReauthRequired before any call, and ``warns_before_expiry_days`` tells the engine
when to warn (``account.expiring``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from adapters.answers import non_empty_text
from adapters.base import (
    Adapter,
    AdapterContext,
    ClientAuth,
    MediaRejected,
    MediaRules,
    OAuthSpec,
    Pending,
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
from adapters.http import Answer
from adapters.linkedin import media
from adapters.linkedin.api import DEFAULT_VERSION, LinkedInApi, RefreshableLinkedInApi, urn_path
from adapters.linkedin.text import MAX_COMMENTARY_CHARS, escape
from adapters.validation import check_media_files

_MB = 1024 * 1024
MAX_IMAGES = 20  # a multiImage post: 2 to 20
VIDEO_CHECK_SECONDS = 15.0
POST_URL = "https://www.linkedin.com/feed/update/{urn}/"
_COMMENT_PREFIX = "urn:li:comment:("
_DUPLICATE_OF = re.compile(r"duplicate of (urn:li:(?:share|ugcPost):\d+)")


class LinkedInAdapter(Adapter):
    info = PlatformInfo(
        platform=Platform.LINKEDIN,
        display_name="LinkedIn",
        default_base_url="https://api.linkedin.com",
        text=TextRules(max_chars=MAX_COMMENTARY_CHARS, counting=TextCounting.CODEPOINTS),
        media=MediaRules(
            max_images=MAX_IMAGES,
            max_image_bytes=10 * _MB,
            image_types=frozenset({"image/jpeg", "image/png", "image/gif"}),
            max_videos=1,
            max_video_bytes=500 * _MB,  # the Videos API: 75 KB to 500 MB
            video_types=frozenset({"video/mp4"}),
            alt_text_max_chars=4086,
            images_with_video=False,
            max_attachments=MAX_IMAGES,
            in_replies=False,  # comments carry text here
        ),
        thread_mode=ThreadMode.COMMENT_ON_MAIN,
        # A member's post; with organization_id, the organization's. "person_id" is learned by verify().
        credential_shapes=(frozenset({"access_token"}), frozenset({"access_token", "organization_id"})),
        idempotent_publish=False,
        oauth=OAuthSpec(
            authorize_url="https://www.linkedin.com/oauth/v2/authorization",
            token_url="https://www.linkedin.com/oauth/v2/accessToken",
            revoke_url="https://www.linkedin.com/oauth/v2/revoke",
            # The member's scopes: what the self-serve products give every app. Posting as an organization also
            # needs w_organization_social (the reviewed Community Management API product); one spec asks the same
            # scopes at every connect, so such an app cannot ask it only when organization_id is given
            # (docs/platforms/linkedin.md).
            scopes=("openid", "profile", "w_member_social"),
            # LinkedIn's accessToken endpoint takes the app's id and secret in the form, not as HTTP Basic.
            client_auth=ClientAuth.POST,
            # The Page to post as, chosen when connecting (its numeric id); without it, the member posts.
            connect_fields=("organization_id",),
        ),
        warns_before_expiry_days=7,
    )

    def __init__(self, context: AdapterContext) -> None:
        """``context.app["api_version"]``: a LinkedIn-Version (YYYYMM) newer than the default."""
        super().__init__(context)
        api_class = RefreshableLinkedInApi if self.credentials.get("refresh_token") else LinkedInApi
        version = context.app.get("api_version") or DEFAULT_VERSION
        self._api = api_class(
            self.http, self.base_url, self.credentials, version=version, timeout=context.request_timeout
        )
        self.organization_id = self.credentials.get("organization_id", "").strip() or None
        self._person_id = self.credentials.get("person_id") or None

    async def verify(self) -> Profile:
        self._check_expiry()
        me = await self._api.get("/v2/userinfo", action="credentials check")
        sub = non_empty_text(me.get("sub")) if isinstance(me, Mapping) else None
        if sub is None:
            raise Transient("LinkedIn answered /v2/userinfo without the member's sub")
        self._person_id = sub
        name = non_empty_text(me.get("name"))
        picture = non_empty_text(me.get("picture"))
        if self.organization_id is not None:
            urn = f"urn:li:organization:{self.organization_id}"
            shown = f"organization {self.organization_id}" + (f" (connected by {name})" if name else "")
            return Profile(platform_user_id=urn, username=self.organization_id, display_name=shown)
        return Profile(platform_user_id=f"urn:li:person:{sub}", username=sub, display_name=name, avatar_url=picture)

    async def publish(self, request: PublishRequest) -> PublishedRef | Pending:
        self._check_expiry()
        if not request.is_main:
            return await self._comment(request)
        segment = request.segment
        check_media_files("LinkedIn", segment.media, self.info.media)
        author = await self._author()
        if request.pending is not None:
            return await self._after_processing(request, author, _video_of(request.pending))
        videos = [item for item in segment.media if item.kind == "video"]
        if videos:
            urn = await media.upload_video(self._api, author, videos[0])
            return Pending(json.dumps({"video": urn}), VIDEO_CHECK_SECONDS)
        images = [
            (await media.upload_image(self._api, author, item, number), item.alt_text)
            for number, item in enumerate(segment.media, start=1)
        ]
        return await self._post(author, segment.text, _image_content(images))

    async def delete(self, ref: PublishedRef) -> None:
        """DeletesPost: a post by its URN; a comment (``urn:li:comment:(target,id)``) on its post, as its author.
        LinkedIn answers 204 for a post already gone; 404 counts as gone too."""
        if ref.id.startswith(_COMMENT_PREFIX):
            target, _, comment_id = ref.id[len(_COMMENT_PREFIX) : -1].rpartition(",")
            actor = quote(await self._author(), safe="")
            path = urn_path("/rest/socialActions", target, f"/comments/{quote(comment_id, safe='')}?actor={actor}")
            await self._api.delete("DELETE", path, action="comment deletion", gone=_gone)
            return
        await self._api.delete("DELETE", urn_path("/rest/posts", ref.id), action="post deletion", gone=_gone)

    def updated_credentials(self) -> Mapping[str, str] | None:
        """PersistsSession: the member's id once verify() learned it."""
        return self.with_learned(person_id=self._person_id)

    # ---- internals ------------------------------------------------------------------------------------

    def _check_expiry(self) -> None:
        expires_at = self.credentials.get("expires_at")
        if not expires_at or self.credentials.get("refresh_token"):
            return
        try:
            when = datetime.fromisoformat(expires_at)
        except ValueError:
            return
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        if when <= datetime.now(UTC):
            raise ReauthRequired(
                f"LinkedIn: the access token expired at {when.isoformat()} (LinkedIn gives this app no refresh "
                "token: tokens last 60 days); reconnect the account"
            )

    async def _author(self) -> str:
        if self.organization_id is not None:
            return f"urn:li:organization:{self.organization_id}"
        if self._person_id is None:
            await self.verify()
        return f"urn:li:person:{self._person_id}"

    async def _after_processing(self, request: PublishRequest, author: str, urn: str) -> PublishedRef | Pending:
        status = await media.video_status(self._api, urn)
        if status == media.FAILED:
            raise MediaRejected("LinkedIn could not process the video (PROCESSING_FAILED); try another file")
        if status != media.AVAILABLE:  # WAITING_UPLOAD, PROCESSING
            return Pending(request.pending or "", VIDEO_CHECK_SECONDS)
        video = next(item for item in request.segment.media if item.kind == "video")
        content: dict[str, Any] = {"media": {"id": urn}}
        if video.alt_text:
            content["media"]["title"] = video.alt_text
        try:
            return await self._post(author, request.segment.text, content)
        except Rejected as exc:
            # A call again after a lost post answer: the video is this request's alone, so LinkedIn's "duplicate
            # of urn:li:share:…" names the post the first call made.
            earlier = _DUPLICATE_OF.search(exc.message)
            if earlier is None:
                raise
            return PublishedRef(id=earlier.group(1), url=POST_URL.format(urn=earlier.group(1)))

    async def _post(self, author: str, text: str, content: Mapping[str, Any] | None) -> PublishedRef:
        if not text.strip() and content is None:
            raise Rejected("LinkedIn: a post needs text or media")
        body: dict[str, Any] = {
            "author": author,
            "commentary": escape(text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        if content is not None:
            body["content"] = content
        urn = await self._api.create("/rest/posts", body, action="post")
        return PublishedRef(id=urn, url=POST_URL.format(urn=urn))

    async def _comment(self, request: PublishRequest) -> PublishedRef:
        main = request.root or request.parent
        if main is None or not main.id.startswith("urn:li:"):
            raise Rejected("LinkedIn: a comment needs the LinkedIn post it belongs to")
        if request.segment.media:
            raise Rejected("LinkedIn: comments carry text only here; put the media on the main post")
        if not request.segment.text.strip():
            raise Rejected("LinkedIn: a comment needs text")
        body = {"actor": await self._author(), "object": main.id, "message": {"text": request.segment.text}}
        comment = await self._api.create(urn_path("/rest/socialActions", main.id, "/comments"), body, action="comment")
        if not comment.startswith(_COMMENT_PREFIX):
            comment = f"{_COMMENT_PREFIX}{main.id},{comment})"
        url = POST_URL.format(urn=main.id) + "?commentUrn=" + quote(comment, safe="")
        return PublishedRef(id=comment, url=url)


def _video_of(handle: str) -> str:
    try:
        value = json.loads(handle)
    except ValueError:
        value = None
    urn = value.get("video") if isinstance(value, dict) else None
    if not isinstance(urn, str) or not urn.startswith("urn:li:video:"):
        raise Rejected(f"LinkedIn: the pending handle {handle!r} names no video")
    return urn


def _image_content(images: list[tuple[str, str | None]]) -> dict[str, Any] | None:
    if not images:
        return None
    if len(images) == 1:
        urn, alt = images[0]
        return {"media": {"id": urn, **({"altText": alt} if alt else {})}}
    return {"multiImage": {"images": [{"id": urn, **({"altText": alt} if alt else {})} for urn, alt in images]}}


def _gone(answer: Answer) -> bool:
    """Deleted already: LinkedIn answers 404, or 410 for what it removed."""
    return answer.status in (404, 410)
