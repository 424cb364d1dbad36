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


class OverrideIn(msgspec.Struct):
    """One platform's own version of the post: each field given replaces the post's there (null removes it)."""

    content: str | UnsetType = UNSET
    media: MediaIn | UnsetType | None = UNSET
    segments: list[SegmentIn] | UnsetType | None = UNSET
class RecurrenceIn(msgspec.Struct):
    """A recurring post: an RFC 5545 RRULE (no DTSTART: scheduled_for is the first occurrence) in an IANA zone."""

    rrule: str
    timezone: str


class PostCreate(msgspec.Struct):
    content: str
    # Required by the seed; additively, a preset_id (or the workspace's default preset) may give them instead.
    platforms: list[str] | None = None
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
    # Additive: per-platform versions ({"mastodon": {"content": …}}), each replacing the post's own there.
    overrides: dict[str, OverrideIn] | None = None
    # Additive: a preset's platforms, primary platform and cross-link instead of `platforms`.
    preset_id: str | None = None
    # Additive: when to take what was published down again (ISO 8601, after scheduled_for or now).
    unpublish_at: str | None = None
    # Additive: repeat the post by a rule; each occurrence becomes a post of its own (series_id links them).
    recurrence: RecurrenceIn | None = None


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
    overrides: dict[str, OverrideIn] | UnsetType | None = UNSET
    # A preset's platforms (and primary, cross-link) in place of the post's; `platforms` alone leaves the preset.
    preset_id: str | UnsetType = UNSET
    unpublish_at: str | UnsetType | None = UNSET
    # A rule: the series changes from this occurrence on (with this body's edits as its template); null: the
    # series ends after this occurrence. Omitted: only this occurrence is edited.
    recurrence: RecurrenceIn | UnsetType | None = UNSET


class RetryRequest(msgspec.Struct):
    platforms: list[str] | None = None  # default: every platform of the post that failed
    # Also the platforms whose outcome is unknown: their in-doubt segment is sent again and may appear twice.
    include_unconfirmed: bool = False


class UnpublishRequest(msgspec.Struct):
    platforms: list[str] | None = None  # default: every platform of the post with something posted


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
    # Additive, after POST …/unpublish or the post's unpublish_at: pending | running | done | failed, when it was
    # taken down, or why it could not be (or, pending, why the last try did not get there).
    unpublish_status: str | None = None
    unpublished_at: str | None = None
    unpublish_error: str | None = None


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
    overrides: dict[str, dict[str, Any]] | None = None
    preset_id: str | None = None
    primary_platform: str | None = None
    cross_link_template: str | None = None
    unpublish_at: str | None = None
    series_id: str | None = None  # a recurring post's series (ser_…): GET /v1/posts/{id}/occurrences


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


class SegmentMedia(msgspec.Struct):
    index: int
    images: int
    videos: int


class MediaPreview(msgspec.Struct, omit_defaults=True):
    """What each segment carries beside what the platform takes (its problems are among the platform's)."""

    segments: list[SegmentMedia]
    max_images: int
    max_videos: int
    max_image_bytes: int
    max_video_bytes: int
    image_types: list[str]
    video_types: list[str]
    images_with_video: bool
    in_replies: bool
    required: bool
    max_attachments: int | None = None
    alt_text_max_chars: int | None = None


class PlatformPreview(msgspec.Struct, omit_defaults=True):
    valid: bool
    problems: list[str]
    segments: list[SegmentCount]
    media: MediaPreview | None = None
    account_id: str | None = None  # the account it would publish through


class PostPreview(msgspec.Struct):
    valid: bool
    problems: list[str]  # the body's own (shape, time, accounts named), beside each platform's
    platforms: dict[str, PlatformPreview]


class BulkRowResult(msgspec.Struct, omit_defaults=True):
    """One row of a bulk import: 1-based (CSV data rows, JSON array index + 1)."""

    row: int
    valid: bool
    post_id: str | None = None  # when it was created
    errors: list[str] | None = None  # when it is invalid


class BulkResult(msgspec.Struct):
    rows: list[BulkRowResult]
    created: int
