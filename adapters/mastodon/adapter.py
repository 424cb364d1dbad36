"""MastodonAdapter: Mastodon.py (sync, requests) in a worker thread.

One Mastodon.py client per adapter instance, built without any network call. Rate limits raise instead of
sleeping, media processing is awaited with ``asyncio.sleep`` between polls (cancellable, no thread held
asleep), and every Mastodon.py exception goes through ``translate_error`` into the adapter taxonomy.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Mapping
from typing import Any

import requests
from mastodon import Mastodon
from mastodon.errors import MastodonError, MastodonNotFoundError

from adapters.base import (
    Adapter,
    AdapterContext,
    MediaItem,
    MediaRules,
    Pending,
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
)
from adapters.mastodon.errors import translate_error
from adapters.mastodon.instance import TEXT_RULES, quietly, statuses_of, statuses_of_v1, text_rules_from
from adapters.mastodon.options import NO_OPTIONS, MastodonOptions
from adapters.processing import MediaWait
from adapters.validation import check_media_files

# Mastodon.py only probes the server version when it is not told one, and the probe costs two GETs per
# client (and silently falls back to 1.0.0 behaviour, e.g. the v1 media endpoint, when it fails). We
# declare our floor instead: 4.0.0 has every endpoint we call (/api/v2/media, /api/v1/media/:id,
# Idempotency-Key, /api/v2/instance, polls). "created" is the mode in which Mastodon.py honours a given version.
_ASSUMED_VERSION = "4.0.0"
_USER_AGENT = "Octopost (Mastodon.py)"
_REQUEST_TIMEOUT = 30.0
_MEDIA_TIMEOUT = 300.0
_FIRST_MEDIA_POLL = 0.5
_MAX_MEDIA_POLL = 5.0


class MastodonAdapter(Adapter):
    info = PlatformInfo(
        platform=Platform.MASTODON,
        display_name="Mastodon",
        default_base_url="https://mastodon.social",
        # The default only; the real limit is read from each instance (DiscoversTextRules).
        text=TextRules(max_chars=500, counting=TextCounting.MASTODON, url_length=23),
        media=MediaRules(
            max_images=4,
            max_image_bytes=16 * 1024 * 1024,
            image_types=frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"}),
            max_videos=1,
            max_video_bytes=99 * 1024 * 1024,
            video_types=frozenset({"video/mp4", "video/webm", "video/quicktime"}),
            alt_text_max_chars=1500,
        ),
        thread_mode=ThreadMode.NATIVE_REPLY,
        credential_shapes=(frozenset({"access_token"}),),
        idempotent_publish=True,
        # Mastodon keeps Idempotency-Keys for one hour (in Redis); a later resend could post twice.
        idempotency_window_seconds=3600,
        # Mastodon's defaults (the instance's configuration.polls): 4 options of 50 characters, open from 5 minutes
        # to a month (2,629,746 s). A status carries a poll or media, not both (POST /api/v1/statuses).
        polls=PollRules(max_options=4, max_option_chars=50, min_duration_minutes=5, max_duration_minutes=43_829),
        # Mastodon has no reply controls: anyone who can see a status may answer it (4.5's interaction policy
        # governs quotes only).
        reply_policies=frozenset({ReplyPolicy.EVERYONE}),
        options=MastodonOptions,
    )

    def __init__(self, context: AdapterContext) -> None:
        super().__init__(context)
        # ``http`` is unused: Mastodon.py brings its own requests session, which we own and close.
        self.media_timeout = context.media_timeout or _MEDIA_TIMEOUT
        request_timeout = context.request_timeout or _REQUEST_TIMEOUT
        self._rate_limited = threading.local()  # the last 429's headers, per worker thread
        session = self.guard_session(requests.Session())  # the owner's network policy applies to it
        session.hooks["response"].append(self._remember_rate_limit)
        self._api = Mastodon(
            access_token=self.credentials["access_token"],
            api_base_url=self.base_url,
            ratelimit_method="throw",  # never sleep in a worker: RateLimited reschedules the target
            request_timeout=request_timeout,
            mastodon_version=_ASSUMED_VERSION,
            version_check_mode="created",
            session=session,
            user_agent=_USER_AGENT,
        )

    async def verify(self) -> Profile:
        account = await self._call("credentials check", self._api.account_verify_credentials)
        return Profile(
            platform_user_id=str(account["id"]),
            username=str(account["acct"]),
            display_name=account.get("display_name") or None,
            avatar_url=account.get("avatar") or None,
        )

    async def publish(self, request: PublishRequest) -> PublishedRef | Pending:
        segment = request.segment
        options = request.options if isinstance(request.options, MastodonOptions) else NO_OPTIONS
        if request.pending is not None:
            waited = await self._still_processing(MediaWait.from_handle(request.pending))
            if isinstance(waited, Pending):
                return waited
            media_ids = waited
        else:
            check_media_files("Mastodon", segment.media, self.info.media)
            uploads = [await self._upload(item) for item in segment.media]
            media_ids = [media_id for media_id, _ in uploads]
            waiting = [media_id for media_id, ready in uploads if not ready]
            if waiting:  # 202 Accepted: a status may not attach media that is still processing
                return MediaWait.begin(media_ids, waiting, _FIRST_MEDIA_POLL).pending()
        status = await self._call(
            "post",
            self._api.status_post,
            segment.text,
            in_reply_to_id=request.parent.id if request.parent else None,
            media_ids=media_ids or None,
            idempotency_key=request.idempotency_key,
            visibility=options.visibility,
            spoiler_text=options.spoiler_text or None,
            sensitive=bool(options.sensitive),
            language=options.language,
            poll=self._poll(request.poll),
        )
        return PublishedRef(id=str(status["id"]), url=str(status.get("url") or status["uri"]))

    async def delete(self, ref: PublishedRef) -> None:
        """DeletesPost: DELETE /api/v1/statuses/:id (only the account's own statuses). 404: already gone."""
        try:
            await self._call("delete", self._api.status_delete, ref.id)
        except Rejected as exc:
            if not isinstance(exc.__cause__, MastodonNotFoundError):
                raise

    async def text_rules(self) -> TextRules:
        """The instance's status limit and URL length (v2 instance, else v1, else 500), cached an hour."""
        cached = TEXT_RULES.get(self.base_url)
        if cached is not None:
            return cached
        rules = text_rules_from(await self._statuses_configuration(), self.info.text)
        TEXT_RULES.put(self.base_url, rules)
        return rules

    async def aclose(self) -> None:
        self._api.session.close()

    # ---- pieces of a status -----------------------------------------------------------------------------

    def _poll(self, poll: Poll | None) -> dict[str, Any] | None:
        """A native poll (the status text is its question: Mastodon's polls have none of their own)."""
        if poll is None:
            return None
        return dict(self._api.make_poll(list(poll.options), expires_in=poll.duration_minutes * 60))

    async def _statuses_configuration(self) -> Mapping[str, Any]:
        try:
            instance = await self._call("instance lookup", self._api.instance_v2)
        except Rejected as exc:
            if not isinstance(exc.__cause__, MastodonNotFoundError):
                raise
        else:
            statuses = statuses_of(instance)
            if statuses is not None:
                return statuses
        # Before 4.0 (and on some other servers) only v1 exists.
        return statuses_of_v1(await self._call("instance lookup", quietly(self._api.instance_v1)))

    async def _upload(self, item: MediaItem) -> tuple[str, bool]:
        """The media id, and whether it is ready to attach (False: 202, still processing)."""
        media = await self._call(
            "media upload",
            self._api.media_post,
            item.data,
            mime_type=item.content_type,
            description=item.alt_text,
        )
        return str(media["id"]), media.get("url") is not None

    async def _still_processing(self, wait: MediaWait) -> list[str] | Pending:
        """Every media id once all are processed, else when to look again (later each time, up to a cap).
        Mastodon.py's media_post(synchronous=True) would sleep in the worker's thread, unbounded: asked here."""
        waiting = []
        for media_id in wait.waiting:
            media = await self._call("media processing check", self._api.media, media_id)
            if media.get("url") is None:
                waiting.append(media_id)
        if not waiting:
            return wait.media_ids
        return wait.again(waiting, platform="Mastodon", timeout=self.media_timeout, max_delay=_MAX_MEDIA_POLL)

    # ---- calls ------------------------------------------------------------------------------------------

    async def _call(self, action: str, method: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        return await asyncio.to_thread(self._guarded, action, method, *args, **kwargs)

    def _guarded(self, action: str, method: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        """Runs in the worker thread, so the 429 headers the hook saw are this call's."""
        self._rate_limited.headers = None
        try:
            return method(*args, **kwargs)
        except MastodonError as exc:
            raise translate_error(exc, action=action, rate_limit_headers=self._rate_limited.headers) from exc

    def _remember_rate_limit(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        if response.status_code == 429:
            self._rate_limited.headers = response.headers
