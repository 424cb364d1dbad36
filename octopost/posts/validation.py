"""Input rules of the Octopost API (shape) and platform limits (checked at schedule and publish time)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from adapters.base import Platform, TextRules
from adapters.registry import UnsupportedPlatform, platform_info
from adapters.validation import SegmentShape, validate
from octopost.db import utcnow
from octopost.errors import ValidationFailed
from octopost.posts.schemas import MediaIn, SegmentIn
from octopost.timefmt import parse_aware
from octopost.urls import is_http_url

MAX_SEGMENTS = 24
MAX_SEGMENT_CHARS = 5000
MAX_CONTENT_CHARS = 100_000
MAX_IMAGES = 4
VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".m4v", ".webm", ".avi", ".mkv"})
KNOWN_PLATFORMS = frozenset(p.value for p in Platform)


def is_video_url(url: str) -> bool:
    """Segments carry bare URLs: a video is recognised by its file extension, anything else is an image."""
    return PurePosixPath(urlsplit(url).path).suffix.lower() in VIDEO_SUFFIXES


class Problems:
    """Collects every problem of a request so the client sees them all in one 422."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, message: str) -> None:
        self.items.append(message)

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationFailed.of(self.items)


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


def check_scheduled_for(value: str | None, problems: Problems, now: datetime | None = None) -> datetime | None:
    if value is None:
        return None
    try:
        when = parse_aware(value)
    except ValueError as exc:
        problems.add(f"scheduled_for: {value!r} is not an ISO 8601 datetime with a timezone ({exc})")
        return None
    if when <= (now or utcnow()):
        problems.add(f"scheduled_for: {value} is not in the future")
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


@dataclass(frozen=True)
class Draft:
    """The parts of a post the platform limits apply to."""

    content: str
    media: dict[str, Any] | None
    segments: list[dict[str, Any]] | None

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


def platform_problems(draft: Draft, platforms: list[str], rules: dict[str, TextRules]) -> list[str]:
    """Every platform limit the draft breaks; ``rules`` overrides text rules per platform (instance limits)."""
    found: list[str] = []
    shapes = draft.shapes()
    for platform in platforms:
        try:
            info = platform_info(platform)
        except UnsupportedPlatform as exc:
            found.append(str(exc))
            continue
        found.extend(v.describe() for v in validate(info, shapes, rules.get(platform)))
    return found
