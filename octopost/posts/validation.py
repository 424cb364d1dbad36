"""Input rules of the Octopost API (shape) and platform limits (checked at schedule and publish time)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from adapters.base import Platform, PlatformInfo, Poll, ReplyPolicy, TextRules
from adapters.registry import UnsupportedPlatform, platform_info
from adapters.validation import OptionsInvalid, PostShape, SegmentShape, decode_options, validate
from octopost.db import utcnow
from octopost.errors import Problems
from octopost.posts.schemas import MediaIn, PollIn, SegmentIn
from octopost.posts.tables import Post
from octopost.posts.versions import version_for
from octopost.presets.crosslink import url_for_counting
from octopost.timefmt import parse_aware
from octopost.urls import is_http_url

MAX_SEGMENTS = 24
MAX_SEGMENT_CHARS = 5000
MAX_CONTENT_CHARS = 100_000
MAX_IMAGES = 4
MIN_POLL_OPTIONS, MAX_POLL_OPTIONS = 2, 4
MAX_POLL_OPTION_CHARS = 300
MAX_POLL_QUESTION_CHARS = 1000
MAX_POLL_MINUTES = 366 * 24 * 60  # a year: platforms allow from a week (X) to months (Ziik)
REPLY_POLICIES = frozenset(p.value for p in ReplyPolicy)
VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".m4v", ".webm", ".avi", ".mkv"})
KNOWN_PLATFORMS = frozenset(p.value for p in Platform)


def is_video_url(url: str) -> bool:
    """Segments carry bare URLs: a video is recognised by its file extension, anything else is an image."""
    return PurePosixPath(urlsplit(url).path).suffix.lower() in VIDEO_SUFFIXES


def check_content(content: str, problems: Problems) -> str:
    if not content.strip():
        problems.add("content: is required and must not be empty")
    elif len(content) > MAX_CONTENT_CHARS:
        problems.add(f"content: is {len(content)} characters; at most {MAX_CONTENT_CHARS}")
    return content


def check_platforms(platforms: list[str], problems: Problems) -> list[str]:
    if not platforms:
        problems.add("platforms: at least one platform is required")
    unknown = [p for p in platforms if p not in KNOWN_PLATFORMS]
    if unknown:
        problems.add(f"platforms: unknown {unknown}; valid values: {', '.join(sorted(KNOWN_PLATFORMS))}")
    duplicates = sorted({p for p in platforms if platforms.count(p) > 1})
    if duplicates:
        problems.add(f"platforms: listed more than once: {duplicates}")
    return platforms


def _instant(field: str, value: str, problems: Problems) -> datetime | None:
    try:
        return parse_aware(value)
    except ValueError as exc:
        problems.add(f"{field}: {value!r} is not an ISO 8601 datetime with a timezone ({exc})")
        return None


def check_scheduled_for(value: str | None, problems: Problems, now: datetime | None = None) -> datetime | None:
    if value is None:
        return None
    when = _instant("scheduled_for", value, problems)
    if when is None:
        return None
    if when <= (now or utcnow()):
        problems.add(f"scheduled_for: {value} is not in the future")
    return when


def check_unpublish_at(
    value: str | None, scheduled_for: datetime | None, problems: Problems, now: datetime | None = None
) -> datetime | None:
    """When to take the post down again: after it goes out (its scheduled time, else now)."""
    if value is None:
        return None
    when = _instant("unpublish_at", value, problems)
    if when is None:
        return None
    if when <= (scheduled_for or now or utcnow()):
        problems.add(f"unpublish_at: {value} is not after the post goes out")
    return when


def _check_url(field: str, url: str, problems: Problems) -> None:
    if not is_http_url(url):
        problems.add(f"{field}: must be an http(s) URL, got {url!r}")


def check_media(media: MediaIn | None, problems: Problems) -> dict[str, Any] | None:
    if media is None:
        return None
    images = media.images or []
    if images and media.video:
        problems.add("media: images and a video cannot be combined")
    if len(images) > MAX_IMAGES:
        problems.add(f"media.images: {len(images)} images; at most {MAX_IMAGES}")
    for i, image in enumerate(images):
        _check_url(f"media.images[{i}].url", image.url, problems)
    if media.video:
        _check_url("media.video.url", media.video.url, problems)
        if media.video.thumbnail_url is not None:
            _check_url("media.video.thumbnail_url", media.video.thumbnail_url, problems)
    if not images and not media.video:
        return None
    return {
        "images": [{"url": i.url, "alt_text": i.alt_text} for i in images],
        "video": {"url": media.video.url, "thumbnail_url": media.video.thumbnail_url} if media.video else None,
    }


def check_segments(segments: list[SegmentIn] | None, problems: Problems) -> list[dict[str, Any]] | None:
    if not segments:
        return None  # omitted or [] → a single post
    if len(segments) > MAX_SEGMENTS:
        problems.add(f"segments: {len(segments)} segments; at most {MAX_SEGMENTS}")
    stored = []
    for i, segment in enumerate(segments):
        if not segment.content.strip():
            problems.add(f"segments[{i}].content: must not be empty")
        if len(segment.content) > MAX_SEGMENT_CHARS:
            problems.add(f"segments[{i}].content: is {len(segment.content)} characters; at most {MAX_SEGMENT_CHARS}")
        urls = segment.media_urls or []
        videos = sum(1 for url in urls if is_video_url(url))
        if videos and (videos > 1 or len(urls) > 1):
            problems.add(f"segments[{i}].media_urls: one video alone, or up to {MAX_IMAGES} images")
        elif len(urls) > MAX_IMAGES:
            problems.add(f"segments[{i}].media_urls: {len(urls)} images; at most {MAX_IMAGES}")
        for j, url in enumerate(urls):
            _check_url(f"segments[{i}].media_urls[{j}]", url, problems)
        stored.append({"content": segment.content, "media_urls": urls})
    return stored


def check_poll(poll: PollIn | None, problems: Problems) -> dict[str, Any] | None:
    """The poll's own shape; what each platform takes (option counts, lengths, durations) is checked per platform."""
    if poll is None:
        return None
    if not MIN_POLL_OPTIONS <= len(poll.options) <= MAX_POLL_OPTIONS:
        problems.add(f"poll.options: {len(poll.options)} options; a poll has {MIN_POLL_OPTIONS} to {MAX_POLL_OPTIONS}")
    for i, option in enumerate(poll.options):
        if not option.strip():
            problems.add(f"poll.options[{i}]: must not be empty")
        elif len(option) > MAX_POLL_OPTION_CHARS:
            problems.add(f"poll.options[{i}]: is {len(option)} characters; at most {MAX_POLL_OPTION_CHARS}")
    if len({option.strip().casefold() for option in poll.options}) < len(poll.options):
        problems.add("poll.options: every option must be different")
    if not 1 <= poll.duration_minutes <= MAX_POLL_MINUTES:
        problems.add(f"poll.duration_minutes: must be between 1 and {MAX_POLL_MINUTES}")
    if poll.question is not None and not poll.question.strip():
        problems.add("poll.question: must not be empty when given")
    elif poll.question is not None and len(poll.question) > MAX_POLL_QUESTION_CHARS:
        problems.add(f"poll.question: is {len(poll.question)} characters; at most {MAX_POLL_QUESTION_CHARS}")
    return {"options": list(poll.options), "duration_minutes": poll.duration_minutes, "question": poll.question}


def check_reply_policy(value: str | None, problems: Problems) -> str | None:
    if value is not None and value not in REPLY_POLICIES:
        problems.add(f"reply_policy: must be one of {', '.join(p.value for p in ReplyPolicy)}")
    return value


def check_platform_options(
    options: dict[str, dict[str, Any]] | None, platforms: list[str], problems: Problems
) -> dict[str, dict[str, Any]] | None:
    """Each platform's options against its schema: unknown keys and wrong types are refused, naming the field."""
    if not options:
        return None
    for platform, value in options.items():
        where = f"platform_options.{platform}"
        if platform not in platforms:
            problems.add(f"{where}: {platform!r} is not one of the post's platforms")
            continue
        try:
            decode_options(platform_info(platform), value)
        except UnsupportedPlatform as exc:
            problems.add(f"{where}: {exc}")
        except OptionsInvalid as exc:
            problems.add(f"{where}: {exc}")
    return options


@dataclass(frozen=True)
class Draft:
    """The parts of a post the platform limits apply to."""

    content: str
    media: dict[str, Any] | None
    segments: list[dict[str, Any]] | None
    platform_options: dict[str, dict[str, Any]] | None = None
    poll: dict[str, Any] | None = None
    reply_policy: str | None = None

    def shape_for(self, info: PlatformInfo) -> PostShape:
        """The post as ``info``'s platform would receive it (its options decoded: they were checked when stored)."""
        raw_options = (self.platform_options or {}).get(info.name)
        return PostShape(
            self.shapes(),
            poll=poll_of(self.poll),
            reply_policy=ReplyPolicy(self.reply_policy) if self.reply_policy else None,
            # Without platform_options, the platform's defaults: what they imply is checked too (YouTube's title
            # from the first line, its description's < and >).
            options=decode_options(info, raw_options if raw_options is not None else ({} if info.options else None)),
        )

    def shapes(self) -> list[SegmentShape]:
        media = self.media or {}
        main = SegmentShape(self.content, images=len(media.get("images") or []), videos=1 if media.get("video") else 0)
        replies = [
            SegmentShape(
                s["content"],
                images=sum(1 for u in s.get("media_urls") or [] if not is_video_url(u)),
                videos=sum(1 for u in s.get("media_urls") or [] if is_video_url(u)),
            )
            for s in self.segments or []
        ]
        return [main, *replies]


def platform_problems(post: Post, platforms: list[str], rules: dict[str, TextRules]) -> list[str]:
    """Every platform limit the post's version for each platform breaks; ``rules`` overrides text rules per platform
    (instance limits)."""
    found: list[str] = []
    for platform in platforms:
        draft = draft_of(post, platform)
        try:
            info = platform_info(platform)
        except UnsupportedPlatform as exc:
            found.append(str(exc))
            continue
        try:
            shape = draft.shape_for(info)
        except OptionsInvalid as exc:  # stored before the schema changed: say so rather than publish without
            found.append(f"platform_options.{platform}: {exc}")
            continue
        found.extend(v.describe() for v in validate(info, shape, rules.get(platform)))
    return found


def draft_of(post: Post, platform: str) -> Draft:
    """The post as ``platform`` receives it: its override applied, and the cross-link to the primary platform's post
    (counted with a URL as long as that platform's)."""
    link = url_for_counting(post.primary_platform) if post.primary_platform else None
    version = version_for(post, platform, primary_url=link)
    return Draft(
        version.content, version.media, version.segments, post.platform_options, post.poll, post.reply_policy
    )


def poll_of(stored: dict[str, Any] | None) -> Poll | None:
    if not stored:
        return None
    return Poll(tuple(stored["options"]), int(stored["duration_minutes"]), stored.get("question"))
