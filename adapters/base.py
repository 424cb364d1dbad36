"""The adapter contract: value objects, the error taxonomy and the small async surface every platform has.

Adapters get everything through the constructor (base URL, credentials, a shared httpx client, the transport
for requests-based SDKs) and never read the environment. Optional capabilities are separate protocols checked
with ``isinstance``.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import ClassVar, Literal, Protocol, runtime_checkable

import httpx
import requests
from requests.adapters import BaseAdapter


class Platform(StrEnum):
    """Every platform identifier the Octopost API accepts (the seed's list)."""

    TWITTER = "twitter"
    BLUESKY = "bluesky"
    MASTODON = "mastodon"
    LINKEDIN = "linkedin"
    THREADS = "threads"
    INSTAGRAM = "instagram"
    FACEBOOK = "facebook"
    TIKTOK = "tiktok"
    YOUTUBE = "youtube"
    DISCORD = "discord"
    SLACK = "slack"
    TELEGRAM = "telegram"


class ThreadMode(StrEnum):
    NATIVE_REPLY = "native_reply"
    COMMENT_ON_MAIN = "comment_on_main"
    MESSAGE_THREAD = "message_thread"
    SEQUENTIAL_NUMBERED = "sequential_numbered"
    SINGLE = "single"


class TextCounting(StrEnum):
    """How a platform counts the length of a text (see adapters/text.py)."""

    GRAPHEMES = "graphemes"  # Bluesky: extended grapheme clusters (+ a UTF-8 byte cap)
    X_WEIGHTED = "x_weighted"  # X: twitter-text weighted length (URLs 23, CJK/emoji 2)
    MASTODON = "mastodon"  # graphemes, URLs count as a fixed length, remote mentions as the local part
    CODEPOINTS = "codepoints"


@dataclass(frozen=True)
class TextRules:
    max_chars: int
    counting: TextCounting
    max_bytes: int | None = None
    url_length: int = 23  # what one URL counts as where the platform shortens links


@dataclass(frozen=True)
class MediaRules:
    max_images: int
    max_image_bytes: int
    image_types: frozenset[str]
    max_videos: int
    max_video_bytes: int
    video_types: frozenset[str]
    alt_text_max_chars: int | None = None
    # False where a segment may carry images or a video but the platform cannot take both in one post.
    images_with_video: bool = False


@dataclass(frozen=True)
class PlatformInfo:
    """A platform's identity and limits: data, not code. One contract test checks every adapter's."""

    platform: Platform
    display_name: str
    default_base_url: str
    text: TextRules
    media: MediaRules
    thread_mode: ThreadMode
    # Accepted credential shapes: each tuple is one complete set of required keys.
    credential_shapes: tuple[frozenset[str], ...]
    # True when re-sending a segment with the same idempotency key cannot create a second post...
    idempotent_publish: bool = False
    # ...for this long after the first send (None: forever). Past it, an in-doubt segment is unconfirmed.
    idempotency_window_seconds: float | None = None


class Secrets(Mapping[str, str]):
    """Credentials that never show up in a repr, a log line or a traceback."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = dict(values)

    def __getitem__(self, key: str) -> str:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Secrets(keys={sorted(self._values)!r})"

    __str__ = __repr__


@dataclass(frozen=True)
class MediaItem:
    """One media file already fetched (once per publish) and ready to upload."""

    data: bytes = field(repr=False)
    content_type: str
    kind: Literal["image", "video"]
    alt_text: str | None = None
    width: int | None = None
    height: int | None = None
    source_url: str | None = None


@dataclass(frozen=True)
class Segment:
    """One post of a thread: index 0 is the main post."""

    index: int
    text: str
    media: tuple[MediaItem, ...] = ()


@dataclass(frozen=True)
class PublishedRef:
    """Where a segment landed. ``id`` is what platform_results shows as post_id."""

    id: str
    url: str
    uri: str | None = None  # Bluesky at:// URI
    cid: str | None = None  # Bluesky record CID (reply refs need it)


@dataclass(frozen=True)
class PublishRequest:
    segment: Segment
    # Stable for (target, segment) across retries and crash resumes. A TID (13 chars, base32-sortable),
    # so Bluesky can use it as the record key and Mastodon as the Idempotency-Key.
    idempotency_key: str
    root: PublishedRef | None = None
    parent: PublishedRef | None = None


@dataclass(frozen=True)
class Profile:
    platform_user_id: str
    username: str
    display_name: str | None = None
    avatar_url: str | None = None


# ---- error taxonomy: each maps one-to-one to a reaction in the publisher -------------------------


class AdapterError(Exception):
    category: ClassVar[str] = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AuthExpired(AdapterError):
    """The session/token expired but may be refreshed: refresh, retry once."""

    category = "auth_expired"


class ReauthRequired(AdapterError):
    """Credentials are no longer valid: the account becomes inactive, the target fails."""

    category = "reauth_required"


class RateLimited(AdapterError):
    """Reschedule the target at ``retry_after`` seconds from now (no sleeping in a worker)."""

    category = "rate_limited"

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Rejected(AdapterError):
    """Permanent: the platform refused this content. The message is shown to the user."""

    category = "rejected"


class Transient(AdapterError):
    """5xx, timeout before sending, connection reset: back off and retry, then reschedule."""

    category = "transient"


class OutcomeUnknown(AdapterError):
    """The request may have been applied (e.g. timeout after sending): never repost blindly."""

    category = "outcome_unknown"


# ---- the contract ----------------------------------------------------------------------------------

# Gives the requests transport a session of a requests-based SDK is mounted with (called once per session; closing
# the session closes what it returns, so the owner hands out a view of a longer-lived pool). None: plain requests.
SyncTransport = Callable[[], BaseAdapter]


class Adapter(abc.ABC):
    info: ClassVar[PlatformInfo]

    def __init__(
        self,
        *,
        base_url: str,
        credentials: Mapping[str, str],
        http: httpx.AsyncClient,
        sync_transport: SyncTransport | None = None,
        username: str | None = None,
    ) -> None:
        """``username``: the stored account's handle, when there is one (a platform whose post URLs name the
        author and whose publish answer doesn't, X, builds them from it)."""
        self.base_url = base_url.rstrip("/")
        self.credentials = Secrets(credentials)
        self.http = http
        self.sync_transport = sync_transport
        self.username = username

    def guard_session(self, session: requests.Session) -> requests.Session:
        """SDKs on ``requests`` (Mastodon.py, tweepy) bring their own session: route it through the owner's
        transport (its network policy: checked addresses only), as ``http`` is for httpx. Returns ``session``."""
        if self.sync_transport is not None:
            transport = self.sync_transport()
            session.mount("http://", transport)
            session.mount("https://", transport)
        return session

    @abc.abstractmethod
    async def verify(self) -> Profile:
        """Check the credentials against the platform; ReauthRequired/Rejected when they are refused."""

    @abc.abstractmethod
    async def publish(self, request: PublishRequest) -> PublishedRef:
        """Upload the segment's media and post it (as a reply to ``parent`` when given)."""

    async def aclose(self) -> None:  # noqa: B027 - optional hook; most adapters hold nothing
        """Release what the adapter holds (threads, SDK sessions)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"


@runtime_checkable
class DiscoversTextRules(Protocol):
    """Platforms whose limits depend on the server (Mastodon instances)."""

    async def text_rules(self) -> TextRules: ...


@runtime_checkable
class FindsDelivery(Protocol):
    """Platforms where a segment sent before a crash can be looked up by its idempotency key (Bluesky)."""

    async def find_published(self, request: PublishRequest) -> PublishedRef | None: ...


@runtime_checkable
class RefreshesSession(Protocol):
    """Platforms whose sessions refresh (Bluesky). Returns the credentials to persist, if they changed."""

    async def refresh(self) -> Mapping[str, str] | None: ...


@runtime_checkable
class PersistsSession(Protocol):
    """Adapters that obtained new session state (tokens) worth saving with the account after a call."""

    def updated_credentials(self) -> Mapping[str, str] | None: ...
