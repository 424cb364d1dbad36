"""Request and response bodies of /v1/posts, exactly as the Octopost seed shows them (extensions additive)."""

from __future__ import annotations

from typing import Any

import msgspec
from msgspec import UNSET, UnsetType


class ImageIn(msgspec.Struct):
    url: str
    alt_text: str | None = None


class VideoIn(msgspec.Struct):
    url: str
    thumbnail_url: str | None = None


class MediaIn(msgspec.Struct):
    images: list[ImageIn] | None = None
    video: VideoIn | None = None


class SegmentIn(msgspec.Struct):
    content: str
    media_urls: list[str] | None = None


class PollIn(msgspec.Struct):
    """A poll on the main post, published natively where the platform has polls."""

    options: list[str]
    duration_minutes: int
    # Where the platform's poll asks a question of its own (Amity, Ziik, Discord): this, else the post's first line.
    question: str | None = None


class PostCreate(msgspec.Struct):
    content: str
    platforms: list[str]
    scheduled_for: str | None = None
    media: MediaIn | None = None
    segments: list[SegmentIn] | None = None
    # Additive: per-platform settings, each validated against that platform's schema ({"mastodon": {...}}).
    platform_options: dict[str, dict[str, Any]] | None = None
    poll: PollIn | None = None
    # Additive: everyone | followers | following | mentioned | nobody, applied natively per platform.
    reply_policy: str | None = None
    # Additive: the accounts to publish through, at most one per platform (the others use their default).
    accounts: list[str] | None = None


class PostUpdate(msgspec.Struct):
    """Omitted fields stay as they are; null means remove (media), unschedule (scheduled_for)."""

    content: str | UnsetType = UNSET
    platforms: list[str] | UnsetType = UNSET
    scheduled_for: str | UnsetType | None = UNSET
    media: MediaIn | UnsetType | None = UNSET
    segments: list[SegmentIn] | UnsetType | None = UNSET
    platform_options: dict[str, dict[str, Any]] | UnsetType | None = UNSET
    poll: PollIn | UnsetType | None = UNSET
    reply_policy: str | UnsetType | None = UNSET
    accounts: list[str] | UnsetType | None = UNSET


class SegmentResult(msgspec.Struct):
    post_id: str
    post_url: str


class PlatformResult(msgspec.Struct, omit_defaults=True):
    success: bool
    post_id: str | None = None
    post_url: str | None = None
    error: str | None = None
    # Additive: every segment that was posted, main post first, so a client sees how far a thread got.
    segments: list[SegmentResult] = msgspec.field(default_factory=list)
    # Additive: `unconfirmed` when the outcome could not be known (nothing was reposted blindly).
    status: str | None = None
    # Additive: what kind of failure it was (auth_expired, reauth_required, rate_limited, rejected, transient,
    # outcome_unknown, media), for a client to act on without parsing the message.
    error_category: str | None = None
    # Additive: the account it was published through (or tried).
    account_id: str | None = None


class PostRead(msgspec.Struct, omit_defaults=True):
    """The seed's post object; the additive fields (last, defaulted) are left out when a post has none of them, so
    a post without them reads exactly as the seed shows it."""

    id: str
    content: str
    platforms: list[str]
    status: str
    scheduled_for: str | None
    media: dict[str, Any] | None
    segments: list[dict[str, Any]] | None
    platform_results: dict[str, PlatformResult] | None
    created_at: str
    updated_at: str
    published_at: str | None
    platform_options: dict[str, dict[str, Any]] | None = None
    poll: dict[str, Any] | None = None
    reply_policy: str | None = None
    accounts: list[str] | None = None


class PostList(msgspec.Struct):
    posts: list[PostRead]
    total: int


class SegmentCount(msgspec.Struct):
    """One segment's length as its platform counts it (index 0: the main post)."""

    index: int
    count: int
    limit: int
    unit: str  # graphemes | weighted | utf16 | characters | bytes
    remaining: int


class PlatformPreview(msgspec.Struct, omit_defaults=True):
    valid: bool
    problems: list[str]
    segments: list[SegmentCount]
    account_id: str | None = None  # the account it would publish through


class PostPreview(msgspec.Struct):
    valid: bool
    problems: list[str]  # the body's own (shape, time, accounts named), beside each platform's
    platforms: dict[str, PlatformPreview]


class BulkRow(msgspec.Struct, omit_defaults=True):
    """One row of a bulk import: its number as the user sees it (1-based), and its post or its problems."""

    row: int
    valid: bool
    post_id: str | None = None
    errors: list[str] | None = None


class BulkResult(msgspec.Struct):
    rows: list[BulkRow]
    created: int
