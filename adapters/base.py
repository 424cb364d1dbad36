"""The adapter contract: value objects, the error taxonomy and the small async surface every platform has.

Adapters get everything through the constructor (base URL, credentials, a shared httpx client, the transport
for requests-based SDKs) and never read the environment. Optional capabilities are separate protocols checked
with ``isinstance``.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Literal, Protocol, Self, runtime_checkable

import httpx
import requests
from requests.adapters import BaseAdapter

from adapters.info import (
    ClientAuth,
    MediaRules,
    OAuthSpec,
    Platform,
    PlatformInfo,
    PollRules,
    ReplyPolicy,
    TextCounting,
    TextRules,
    ThreadMode,
)
from adapters.options import PlatformOptions

# The capabilities (adapters/info.py) are part of the contract: adapters import them from here with the rest.
__all__ = [
    "Adapter",
    "AdapterContext",
    "AdapterError",
    "AuthExpired",
    "ClientAuth",
    "DiscoversTextRules",
    "FindsDelivery",
    "FinishesConnect",
    "MediaItem",
    "MediaRejected",
    "MediaRules",
    "OAuthSpec",
    "OutcomeUnknown",
    "PersistsSession",
    "Platform",
    "PlatformInfo",
    "Poll",
    "PollRules",
    "Profile",
    "PublishRequest",
    "PublishedRef",
    "RateLimited",
    "ReauthRequired",
    "RefreshesSession",
    "Rejected",
    "ReplyPolicy",
    "Secrets",
    "Segment",
    "SyncTransport",
    "TextCounting",
    "TextRules",
    "ThreadMode",
    "Transient",
]


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


# The extension a platform sees on an uploaded file's name, by content type (some sniff by name, none by bytes).
_FILE_EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
    "video/webm": ".webm",
    "video/x-msvideo": ".avi",
    "video/x-matroska": ".mkv",
    "video/x-m4v": ".m4v",
    "video/3gpp": ".3gp",
    "video/3gpp2": ".3g2",
    "video/x-flv": ".flv",
    "video/x-ms-wmv": ".wmv",
    "video/ogg": ".ogv",
}


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
    # Where the platform can fetch the file itself (platforms that take media by URL: Threads, Instagram, TikTok's
    # pull): our own signed media URL for an upload, else the public URL it was fetched from. None: no such URL.
    public_url: str | None = None

    def filename(self, number: int) -> str:
        """The name an upload goes by: ``image-1.png``, ``video-2.mp4`` (``number`` counts from 1)."""
        return f"{self.kind}-{number}{_FILE_EXTENSIONS.get(self.content_type, '')}"


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
class Poll:
    """A post's poll, validated against the platform's PollRules; it rides on the main post."""

    options: tuple[str, ...]
    duration_minutes: int
    question: str | None = None  # where the platform's poll has a question: this, else the post's first line


@dataclass(frozen=True)
class PublishRequest:
    """One segment to publish, linked by the thread mode's rule (scheduler/thread_modes.py): ``parent`` is what this
    segment answers (the previous segment for native_reply, the main post for comment_on_main), ``root`` the
    thread's main post; both None for the main post and for each top-level post of sequential_numbered."""

    segment: Segment
    # Stable for (target, segment) across retries and crash resumes. A TID (13 chars, base32-sortable),
    # so Bluesky can use it as the record key and Mastodon as the Idempotency-Key.
    idempotency_key: str
    root: PublishedRef | None = None
    parent: PublishedRef | None = None
    # How many segments this platform receives for the post (after folding or numbering).
    segment_count: int = 1
    poll: Poll | None = None  # the main post only
    reply_policy: ReplyPolicy | None = None  # None: the platform's default (everyone)
    options: PlatformOptions | None = None  # the platform's options (info.options), decoded; None when none given
    scheduled_for: datetime | None = None  # when the post was due (Ziik's publish window starts there)
    # When the post is to be taken down again: a platform that can do it natively (Ziik's publish.unpublish_on)
    # takes it with the post; the others are unpublished by the scheduler through DeletesPost.
    unpublish_at: datetime | None = None
    # The handle a previous call of this segment returned in a Pending (a container id, an upload session, a publish
    # id): the call continues from it (asks the platform where it stands) instead of starting over.
    pending: str | None = None

    @property
    def is_main(self) -> bool:
        return self.segment.index == 0


@dataclass(frozen=True)
class Pending:
    """A segment the platform is still processing (media before the post exists, or a publish to be confirmed):
    ``handle`` is what the adapter needs to continue (a string it chose; JSON when it needs several values), kept
    in the ledger so a crash resumes from it. The publisher asks again after ``check_after`` seconds, with
    ``PublishRequest.pending`` set to the handle; no worker sleeps on it. A handle whose work the platform has
    dropped (an expired container) is the adapter's to redo from the request."""

    handle: str
    check_after: float


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


class MediaRejected(Rejected):
    """Permanent, about a file: its type, size or alt text is refused, or it could not be fetched."""

    category = "media"


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


@dataclass(frozen=True)
class AdapterContext:
    """Everything an adapter is built with, in one object (adapters never read the environment)."""

    base_url: str  # the account's server: instance, PDS, site, region (always configurable, for tests too)
    credentials: Mapping[str, str] = field(repr=False)
    http: httpx.AsyncClient = field(repr=False)  # the owner's client: its network policy applies
    # Gives the transport a requests-based SDK's session is mounted with (None: plain requests).
    sync_transport: SyncTransport | None = field(default=None, repr=False)
    # The stored account's handle, when there is one (a platform whose post URLs name the author, X, builds them).
    username: str | None = None
    # The platform's app settings (OAuth client id and secret, endpoints), from the operator's configuration.
    app: Mapping[str, str] = field(default_factory=dict, repr=False)
    request_timeout: float | None = None  # per request; None: the adapter's default
    media_timeout: float | None = None  # how long a platform may process one upload; None: the adapter's default


class Adapter(abc.ABC):
    info: ClassVar[PlatformInfo]

    def __init__(self, context: AdapterContext) -> None:
        self.context = context
        self.base_url = context.base_url.rstrip("/")
        self.credentials = Secrets(context.credentials)
        self.http = context.http
        self.sync_transport = context.sync_transport
        self.username = context.username

    @classmethod
    def build(cls, *, base_url: str, credentials: Mapping[str, str], http: httpx.AsyncClient, **more: Any) -> Self:
        """An adapter from the context's fields (for callers that have them loose: tests, tools)."""
        return cls(AdapterContext(base_url=base_url, credentials=credentials, http=http, **more))

    def with_learned(self, **learned: str | None) -> dict[str, str] | None:
        """For ``updated_credentials``: the stored credentials with what the adapter learned from the platform (a
        guild id, a chat's new id), or None when nothing was learned (None values) or all of it is stored already."""
        updated = {**self.credentials, **{key: value for key, value in learned.items() if value is not None}}
        return None if updated == dict(self.credentials) else updated

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
    async def publish(self, request: PublishRequest) -> PublishedRef | Pending:
        """Upload the segment's media and post it (as a reply to ``parent`` when given). A platform that processes
        first answers Pending until the post exists, then the PublishedRef (see Pending)."""

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
class DeletesPost(Protocol):
    """Platforms whose API deletes what was posted, one segment at a time (an unpublish deletes the replies
    first, the main post last). Deleting what is already gone returns normally: an unpublish resumed after a
    crash repeats its last delete. Refusals raise the usual taxonomy (Rejected when the platform forbids it)."""

    async def delete(self, ref: PublishedRef) -> None: ...


@runtime_checkable
class RefreshesSession(Protocol):
    """Platforms whose sessions refresh (Bluesky). Returns the credentials to persist, if they changed."""

    async def refresh(self) -> Mapping[str, str] | None: ...


@runtime_checkable
class FinishesConnect(Protocol):
    """OAuth platforms whose code exchange does not give the token an account keeps: Meta trades the one-hour
    token for a 60-day one (and Facebook for the Page's). Called once, after the exchange and before verify();
    what it obtains is reported by updated_credentials()."""

    async def finish_connect(self) -> None: ...


@runtime_checkable
class PersistsSession(Protocol):
    """Adapters that obtained new session state (tokens) worth saving with the account after a call."""

    def updated_credentials(self) -> Mapping[str, str] | None: ...
