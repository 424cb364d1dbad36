"""X (Twitter): tweepy's v2 Client for users/me and tweets (in a worker thread, never sleeping on a rate
limit), httpx for the v2 media upload tweepy lacks. OAuth 2.0 user tokens or OAuth 1.0a user credentials.

X has no idempotency key: a tweet whose answer was lost is OutcomeUnknown, never sent again blindly.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Mapping
from typing import Any

import httpx
import requests
import tweepy

from adapters.answers import non_empty_text
from adapters.base import (
    Adapter,
    AdapterContext,
    MediaItem,
    MediaRules,
    OutcomeUnknown,
    Platform,
    PlatformInfo,
    Profile,
    PublishedRef,
    PublishRequest,
    ReauthRequired,
    TextCounting,
    TextRules,
    ThreadMode,
    Transient,
)
from adapters.twitter.auth import XAuth, x_auth
from adapters.twitter.client import XClient
from adapters.twitter.errors import translate_error
from adapters.twitter.media_upload import MediaUploader

# What a tweepy call raises: its own errors, requests' raw network errors, and ValueError when a 2xx body is
# not JSON (requests.JSONDecodeError).
_SDK_ERRORS = (tweepy.TweepyException, requests.RequestException, ValueError)
_REQUEST_TIMEOUT = 30.0
_MEDIA_TIMEOUT = 300.0
_HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")  # what X allows in a @handle, hence in a post URL


class TwitterAdapter(Adapter):
    info = PlatformInfo(
        platform=Platform.TWITTER,
        display_name="X",
        default_base_url="https://api.x.com",
        text=TextRules(max_chars=280, counting=TextCounting.X_WEIGHTED, url_length=23),
        media=MediaRules(
            max_images=4,
            max_image_bytes=5 * 1024 * 1024,
            image_types=frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"}),
            max_videos=1,
            max_video_bytes=512 * 1024 * 1024,
            video_types=frozenset({"video/mp4", "video/quicktime"}),
            alt_text_max_chars=1000,
        ),
        thread_mode=ThreadMode.NATIVE_REPLY,
        credential_shapes=(
            frozenset({"access_token"}),
            frozenset({"consumer_key", "consumer_secret", "access_token", "access_token_secret"}),
        ),
    )

    def __init__(self, context: AdapterContext) -> None:
        """``context.username``: the account's handle when known (post URLs name it; else ``x.com/i/status``).
        ``context.request_timeout``: per request, both stacks. ``context.media_timeout``: how long X may process one
        upload."""
        super().__init__(context)
        request_timeout = context.request_timeout or _REQUEST_TIMEOUT
        media_timeout = context.media_timeout or _MEDIA_TIMEOUT
        self._parts: tuple[XAuth, XClient, MediaUploader] | ReauthRequired
        try:
            auth = x_auth(self.credentials)
        except ReauthRequired as exc:  # incomplete credentials: every call says so
            self._parts = exc
            return
        client = XClient(
            base_url=self.base_url,
            timeout=request_timeout,
            credentials=auth.tweepy_kwargs,
            guard_session=self.guard_session,
        )
        uploader = MediaUploader(
            self.http, self.base_url, auth.httpx_auth, request_timeout=request_timeout, processing_timeout=media_timeout
        )
        self._parts = (auth, client, uploader)

    async def verify(self) -> Profile:
        auth, client, _ = self._ready()
        body = await self._tweepy(
            "credentials check", client.get_me, user_auth=auth.user_auth, user_fields=["profile_image_url"]
        )
        user = _data(body)
        user_id, username = user.get("id"), user.get("username")
        if not user_id or not username:
            raise Transient("X answered /2/users/me without the user's id and username")
        self.username = str(username)
        return Profile(
            platform_user_id=str(user_id),
            username=str(username),
            display_name=non_empty_text(user.get("name")),
            avatar_url=non_empty_text(user.get("profile_image_url")),
        )

    async def publish(self, request: PublishRequest) -> PublishedRef:
        auth, client, _ = self._ready()
        media_ids = [await self._upload(item) for item in request.segment.media]
        body = await self._tweepy(
            "post" if request.parent is None else "reply",
            client.create_tweet,
            may_have_applied=True,
            text=request.segment.text or None,  # media-only posts leave text out
            in_reply_to_tweet_id=request.parent.id if request.parent else None,
            media_ids=media_ids or None,
            user_auth=auth.user_auth,
        )
        tweet_id = _data(body).get("id")
        if not tweet_id:
            raise OutcomeUnknown("X accepted the post but its answer carried no post id")
        return PublishedRef(id=str(tweet_id), url=self.post_url(str(tweet_id)))

    def post_url(self, tweet_id: str) -> str:
        handle = self.username if self.username and _HANDLE.fullmatch(self.username) else "i"
        return f"https://x.com/{handle}/status/{tweet_id}"  # /i/status/<id> redirects to the author's URL

    async def aclose(self) -> None:
        if not isinstance(self._parts, ReauthRequired):
            self._parts[1].session.close()

    # ---- internals ------------------------------------------------------------------------------------

    def _ready(self) -> tuple[XAuth, XClient, MediaUploader]:
        if isinstance(self._parts, ReauthRequired):
            raise ReauthRequired(self._parts.message)  # a fresh one per call: no traceback piling up
        return self._parts

    async def _upload(self, item: MediaItem) -> str:
        auth, _, uploader = self._ready()
        try:
            return await uploader.upload(item)
        except (httpx.HTTPError, ValueError) as exc:  # ValueError: a 2xx body that is not JSON
            raise translate_error(exc, action="media upload", can_refresh=auth.can_refresh) from exc

    async def _tweepy(
        self, action: str, method: Callable[..., Any], /, *, may_have_applied: bool = False, **kwargs: Any
    ) -> Any:
        auth, _, _ = self._ready()
        try:
            return await asyncio.to_thread(method, **kwargs)
        except _SDK_ERRORS as exc:
            raise translate_error(
                exc, action=action, may_have_applied=may_have_applied, can_refresh=auth.can_refresh
            ) from exc


def _data(body: Any) -> Mapping[str, Any]:
    data = body.get("data") if isinstance(body, Mapping) else None
    return data if isinstance(data, Mapping) else {}

