"""X (Twitter): tweepy's v2 Client for users/me and tweets (in a worker thread, never sleeping on a rate
limit), the shared httpx client for the v2 media upload tweepy lacks. OAuth 2.0 user tokens or OAuth 1.0a user
credentials. A thread is a chain of replies; polls and who may reply go on its main post (tweet.py).

X has no idempotency key: a tweet whose answer was lost is OutcomeUnknown, never sent again blindly. A post is
deleted with ``DELETE /2/tweets/:id`` (DeletesPost).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests
import tweepy

from adapters.answers import non_empty_text
from adapters.base import (
    Adapter,
    AdapterContext,
    MediaRules,
    OAuthSpec,
    OutcomeUnknown,
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
from adapters.processing import MediaWait
from adapters.twitter.api import XApi, data_of
from adapters.twitter.auth import XAuth, x_auth
from adapters.twitter.client import XClient
from adapters.twitter.errors import sdk_answer
from adapters.twitter.media_upload import MediaUploader
from adapters.twitter.tweet import POLL_RULES, REPLY_POLICIES, tweet_arguments
from adapters.validation import check_media_files

# What a tweepy call raises: its own errors, requests' raw network errors, and ValueError when a 2xx body is
# not JSON (requests.JSONDecodeError).
_SDK_ERRORS = (tweepy.TweepyException, requests.RequestException, ValueError)
_REQUEST_TIMEOUT = 30.0
_MEDIA_TIMEOUT = 300.0
_MAX_MEDIA_POLL = 30.0  # X's check_after_secs is followed, asked at least this often
_HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")  # what X allows in a @handle, hence in a post URL


@dataclass(frozen=True)
class _Parts:
    """What one account's calls go through: its auth, tweepy (posts), the shared client (media) and the uploader."""

    auth: XAuth
    client: XClient
    api: XApi
    uploader: MediaUploader


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
        polls=POLL_RULES,
        reply_policies=REPLY_POLICIES,
        credential_shapes=(
            frozenset({"access_token"}),
            frozenset({"consumer_key", "consumer_secret", "access_token", "access_token_secret"}),
        ),
        # OAuth 2.0 user tokens live two hours; offline.access adds the refresh token that keeps the account in.
        oauth=OAuthSpec(
            authorize_url="https://x.com/i/oauth2/authorize",
            token_url="https://api.x.com/2/oauth2/token",
            revoke_url="https://api.x.com/2/oauth2/revoke",
            scopes=("tweet.read", "tweet.write", "users.read", "media.write", "offline.access"),
        ),
    )

    def __init__(self, context: AdapterContext) -> None:
        """``context.username``: the account's handle when known (post URLs name it; else ``x.com/i/status``).
        ``context.request_timeout``: per request, both stacks. ``context.media_timeout``: how long X may process one
        upload."""
        super().__init__(context)
        request_timeout = context.request_timeout or _REQUEST_TIMEOUT
        self.media_timeout = context.media_timeout or _MEDIA_TIMEOUT
        self._parts: _Parts | ReauthRequired
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
        api = XApi(self.http, self.base_url, auth, timeout=request_timeout)
        self._parts = _Parts(auth, client, api, MediaUploader(api))

    async def verify(self) -> Profile:
        parts = self._ready()
        body = await self._tweepy(
            "credentials check", parts.client.get_me, user_auth=parts.auth.user_auth, user_fields=["profile_image_url"]
        )
        user = data_of(body)
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

    async def publish(self, request: PublishRequest) -> PublishedRef | Pending:
        parts = self._ready()
        if request.pending is not None:
            ready = await self._still_processing(parts, MediaWait.from_handle(request.pending))
            if isinstance(ready, Pending):
                return ready
            media_ids = ready
        else:
            check_media_files("X", request.segment.media, self.info.media)
            uploads = [(await parts.uploader.upload(item), item.alt_text) for item in request.segment.media]
            media_ids = [u.media_id for u, _ in uploads]
            waiting = [u for u, _ in uploads if u.processing is not None]
            if waiting:  # a post may not carry media X is still processing: come back when X says
                alts = {u.media_id: alt for u, alt in uploads if u.processing is not None and alt}
                delay = min(u.check_after for u in waiting)
                return MediaWait.begin(media_ids, [u.media_id for u in waiting], delay, alts).pending()
        body = await self._tweepy(
            "post" if request.parent is None else "reply",
            parts.client.create_tweet,
            creates=True,
            **tweet_arguments(request, media_ids),
            user_auth=parts.auth.user_auth,
        )
        tweet_id = data_of(body).get("id")
        if not tweet_id:
            raise OutcomeUnknown("X accepted the post but its answer carried no post id")
        return PublishedRef(id=str(tweet_id), url=self.post_url(str(tweet_id)))

    async def _still_processing(self, parts: _Parts, wait: MediaWait) -> list[str] | Pending:
        waiting = []
        for media_id in wait.waiting:
            status = await parts.uploader.status(media_id)
            if status.processing is not None:
                waiting.append(media_id)
            elif media_id in wait.alt_texts:
                await parts.uploader.describe(media_id, wait.alt_texts[media_id])
        if not waiting:
            return wait.media_ids
        return wait.again(waiting, platform="X", timeout=self.media_timeout, max_delay=_MAX_MEDIA_POLL)

    async def delete(self, ref: PublishedRef) -> None:
        """DeletesPost: ``DELETE /2/tweets/:id`` through tweepy. 404 (no such post) is already deleted; 403 (not
        this account's post) Rejected; an answer other than ``deleted: true`` Rejected too, since the post may stand."""
        parts = self._ready()
        try:
            body = await asyncio.to_thread(parts.client.delete_tweet, ref.id, user_auth=parts.auth.user_auth)
        except _SDK_ERRORS as exc:
            answer = sdk_answer(exc)
            if answer is not None and answer.status == 404:
                return
            raise parts.api.sdk_error(exc, action="delete", creates=False) from exc
        if data_of(body).get("deleted") is not True:
            raise Rejected(f"X answered that post {ref.id} was not deleted; delete it on X")

    def post_url(self, tweet_id: str) -> str:
        handle = self.username if self.username and _HANDLE.fullmatch(self.username) else "i"
        return f"https://x.com/{handle}/status/{tweet_id}"  # /i/status/<id> redirects to the author's URL

    async def aclose(self) -> None:
        if not isinstance(self._parts, ReauthRequired):
            self._parts.client.session.close()

    # ---- internals ------------------------------------------------------------------------------------

    def _ready(self) -> _Parts:
        if isinstance(self._parts, ReauthRequired):
            raise ReauthRequired(self._parts.message)  # a fresh one per call: no traceback piling up
        return self._parts

    async def _tweepy(self, action: str, method: Callable[..., Any], /, *, creates: bool = False, **kwargs: Any) -> Any:
        """``creates``: the call makes a post (see XApi.sdk_error)."""
        api = self._ready().api
        try:
            return await asyncio.to_thread(method, **kwargs)
        except _SDK_ERRORS as exc:
            raise api.sdk_error(exc, action=action, creates=creates) from exc
