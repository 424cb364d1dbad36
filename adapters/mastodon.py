"""Mastodon via Mastodon.py (sync, requests) in a worker thread.

One Mastodon.py client per adapter instance, built without any network call. Rate limits raise instead of
sleeping, media processing is awaited with ``asyncio.sleep`` between polls (cancellable, no thread held
asleep), and every Mastodon.py exception goes through ``translate_error`` into the adapter taxonomy.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import threading
import time
import warnings
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Generic, TypeVar

import requests
from mastodon import Mastodon
from mastodon.errors import (
    MastodonAPIError,
    MastodonDeprecationWarning,
    MastodonError,
    MastodonIllegalArgumentError,
    MastodonNetworkError,
    MastodonNotFoundError,
    MastodonRatelimitError,
    MastodonServerError,
    MastodonUnauthorizedError,
    MastodonVersionError,
)

from adapters.base import (
    Adapter,
    AdapterContext,
    AdapterError,
    MediaItem,
    MediaRules,
    Platform,
    PlatformInfo,
    Profile,
    PublishedRef,
    PublishRequest,
    RateLimited,
    ReauthRequired,
    Rejected,
    TextCounting,
    TextRules,
    ThreadMode,
    Transient,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Mastodon.py only probes the server version when it is not told one, and the probe costs two GETs per
# client (and silently falls back to 1.0.0 behaviour, e.g. the v1 media endpoint, when it fails). We
# declare our floor instead: 4.0.0 has every endpoint we call (/api/v2/media, /api/v1/media/:id,
# Idempotency-Key, /api/v2/instance). "created" is the mode in which Mastodon.py honours a given version.
_ASSUMED_VERSION = "4.0.0"
_USER_AGENT = "Octopost (Mastodon.py)"
_TEXT_RULES_TTL = 3600.0
_REQUEST_TIMEOUT = 30.0
_MEDIA_TIMEOUT = 300.0
_FIRST_MEDIA_POLL = 0.5
_MAX_MEDIA_POLL = 5.0


class TtlCache(Generic[T]):
    """A tiny per-key cache with expiry; the clock is injectable so tests need no sleeps."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._entries: dict[str, tuple[float, T]] = {}

    def get(self, key: str) -> T | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, value = entry
        if self._clock() >= expires:
            del self._entries[key]
            return None
        return value

    def put(self, key: str, value: T) -> None:
        self._entries[key] = (self._clock() + self.ttl, value)

    def clear(self) -> None:
        self._entries.clear()


# Per instance base URL: the limit is the instance's, not the account's, and validation asks often.
_TEXT_RULES: TtlCache[TextRules] = TtlCache(_TEXT_RULES_TTL)


def clear_text_rules_cache() -> None:
    """Forget every instance's cached text rules (tests that fake an instance's limits use this)."""
    _TEXT_RULES.clear()


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

    async def publish(self, request: PublishRequest) -> PublishedRef:
        media_ids = [await self._upload(item) for item in request.segment.media]
        status = await self._call(
            "post",
            self._api.status_post,
            request.segment.text,
            in_reply_to_id=request.parent.id if request.parent else None,
            media_ids=media_ids or None,
            idempotency_key=request.idempotency_key,
        )
        return PublishedRef(id=str(status["id"]), url=str(status.get("url") or status["uri"]))

    async def text_rules(self) -> TextRules:
        """The instance's status limit and URL length (v2 instance, else v1, else 500), cached an hour."""
        cached = _TEXT_RULES.get(self.base_url)
        if cached is not None:
            return cached
        statuses = await self._statuses_configuration()
        default = self.info.text
        rules = TextRules(
            max_chars=_positive_int(_dig(statuses, "max_characters")) or default.max_chars,
            counting=TextCounting.MASTODON,
            url_length=_positive_int(_dig(statuses, "characters_reserved_per_url")) or default.url_length,
        )
        _TEXT_RULES.put(self.base_url, rules)
        return rules

    async def aclose(self) -> None:
        self._api.session.close()

    # ---- internals ------------------------------------------------------------------------------------

    async def _statuses_configuration(self) -> Mapping[str, Any]:
        try:
            instance = await self._call("instance lookup", self._api.instance_v2)
        except Rejected as exc:
            if not isinstance(exc.__cause__, MastodonNotFoundError):
                raise
        else:
            statuses = _dig(instance, "configuration", "statuses")
            if _positive_int(_dig(statuses, "max_characters")):
                return dict(statuses)
        # Before 4.0 (and on some other servers) only v1 exists; Pleroma/Akkoma call it max_toot_chars.
        instance = await self._call("instance lookup", _quietly(self._api.instance_v1))
        statuses = _dig(instance, "configuration", "statuses") or {}
        return {"max_characters": _dig(instance, "max_toot_chars"), **statuses}

    async def _upload(self, item: MediaItem) -> str:
        media = await self._call(
            "media upload",
            self._api.media_post,
            item.data,
            mime_type=item.content_type,
            description=item.alt_text,
        )
        media_id = str(media["id"])
        if media.get("url") is None:  # 202 Accepted: still processing, and a status may not attach it yet
            await self._wait_until_processed(media_id)
        return media_id

    async def _wait_until_processed(self, media_id: str) -> None:
        # Mastodon.py's media_post(synchronous=True) is unbounded, sleeps a fixed 5 s in the thread, re-probes
        # the server version on every call and turns any error (even a 429) into a generic one: poll here.
        deadline = time.monotonic() + self.media_timeout
        delay = _FIRST_MEDIA_POLL
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Transient(f"Mastodon media {media_id} was still processing after {self.media_timeout:.0f}s")
            await asyncio.sleep(min(delay, remaining))
            media = await self._call("media processing check", self._api.media, media_id)
            if media.get("url") is not None:
                return
            delay = min(delay * 2, _MAX_MEDIA_POLL)

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


# ---- the one place Mastodon.py's errors become the taxonomy ---------------------------------------------


def translate_error(
    exc: MastodonError,
    *,
    action: str,
    rate_limit_headers: Mapping[str, str] | None = None,
    now: float | None = None,
) -> AdapterError:
    """Map a Mastodon.py exception raised during ``action`` (e.g. "post") to the adapter taxonomy."""
    where = f"Mastodon {action}"
    if isinstance(exc, MastodonRatelimitError):
        retry_after = _retry_after(rate_limit_headers or {}, time.time() if now is None else now)
        return RateLimited(f"{where}: the instance's rate limit was hit", retry_after=retry_after)
    if isinstance(exc, MastodonNetworkError):
        # A read timeout or a dropped connection comes after the request was sent: in general that is
        # OutcomeUnknown. Here a resend is safe, so it is Transient: the only call that creates a post,
        # status_post, always carries the segment's Idempotency-Key, and Mastodon answers a repeat with the
        # first status (PlatformInfo.idempotent_publish). A repeated media upload only leaves an unattached
        # upload that Mastodon purges. Mastodon keeps idempotency keys about an hour: a resend much later
        # than that is the publisher's call (the delivery ledger knows when the segment was first sent).
        return Transient(f"{where} failed on the network ({exc}); resending with the same Idempotency-Key is safe")
    if isinstance(exc, MastodonUnauthorizedError):
        return ReauthRequired(
            f"Mastodon refused the access token during {action} ({_server_message(exc) or '401'}): "
            "it was revoked or has expired; reconnect the account"
        )
    if isinstance(exc, MastodonServerError):
        return Transient(f"{where}: the instance answered {_status(exc)} ({_server_message(exc)})")
    if isinstance(exc, MastodonAPIError):
        status, message = _status(exc), _server_message(exc)
        if status is None:  # an unparseable body: the instance misbehaved, not our content
            return Transient(f"{where}: unreadable answer from the instance ({exc.args[0]})")
        if status == 403 and any(word in message.lower() for word in ("scope", "login", "suspend", "disabled")):
            return ReauthRequired(f"Mastodon refused the account during {action} (403: {message}); reconnect it")
        if status in (408, 425) or status >= 500:
            return Transient(f"{where}: the instance answered {status} ({message})")
        if status == 422 and "processing" in message.lower():
            # "Cannot attach files that have not finished processing": a race with the media pipeline.
            return Transient(f"{where}: {message}")
        return Rejected(f"{where} was rejected ({status}): {message or 'no reason given'}")
    if isinstance(exc, MastodonIllegalArgumentError | MastodonVersionError):
        return Rejected(f"{where} was refused by Mastodon.py: {exc}")
    return Transient(f"{where} failed: {exc}")


def _status(exc: MastodonAPIError) -> int | None:
    # Mastodon.py raises ('Mastodon API returned error', status, reason, message) for HTTP errors.
    return exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else None


def _server_message(exc: MastodonError) -> str:
    return str(exc.args[3]) if len(exc.args) > 3 and exc.args[3] else ""


def _retry_after(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds until the limit resets: Retry-After (seconds or a date), else X-RateLimit-Reset."""
    server_now = _http_date(headers.get("Date")) or now  # compare the server's reset with the server's clock
    value = headers.get("Retry-After")
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            when = _http_date(value)
            if when is not None:
                return max(0.0, when - server_now)
    reset = headers.get("X-RateLimit-Reset")
    if reset:
        try:
            when = float(reset)  # epoch seconds (some servers)
        except ValueError:
            try:
                when = datetime.fromisoformat(reset.replace("Z", "+00:00")).timestamp()  # Mastodon: ISO 8601
            except ValueError:
                return None
        return max(0.0, when - server_now)
    return None


def _http_date(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None


def _quietly(method: Callable[[], T]) -> Callable[[], T]:
    """Call ``method`` without MastodonDeprecationWarning: v1 instance is deprecated, and we only use it
    as the fallback for servers without v2 (Mastodon.py silences it the same way internally; the filter is
    process-wide for that moment, which at worst hides another thread's deprecation warning)."""

    def call() -> T:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MastodonDeprecationWarning)
            return method()

    return call


def _dig(value: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _positive_int(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None
