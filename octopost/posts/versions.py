"""A post as one platform receives it: its own content, media and segments, or its `overrides` for that platform
(the per-platform version Buffer, Postiz and Zernio users write). Every reader of a post's text and media — the
platform checks, the preview's counts, the media fetch and the publisher — reads it through here, so a version is
checked exactly as it is published."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adapters.registry import UnsupportedPlatform, platform_info
from octopost.posts.tables import Post
from octopost.presets.crosslink import with_cross_link

OVERRIDABLE = ("content", "media", "segments")


@dataclass(frozen=True)
class Version:
    content: str
    media: dict[str, Any] | None
    segments: list[dict[str, Any]] | None


def links_to_primary(post: Post, platform: str) -> bool:
    """Whether ``platform``'s text gets the cross-link to the post's primary platform."""
    return bool(post.cross_link_template) and post.primary_platform not in (None, platform)


def version_for(post: Post, platform: str, *, primary_url: str | None = None) -> Version:
    """A field the override gives replaces the post's (``media: null`` or ``segments: null`` remove them for that
    platform); a field it leaves out is the post's own. With ``primary_url`` (the primary platform's post, once it
    exists) the cross-link is added to the main text of the platforms that link to it."""
    override = (post.overrides or {}).get(platform) or {}
    content = override.get("content", post.content)
    if primary_url and post.cross_link_template and links_to_primary(post, platform):
        content = with_cross_link(
            content, post.cross_link_template, platform_name=_display_name(post.primary_platform), link=primary_url
        )
    return Version(
        content=content,
        media=override.get("media", post.media),
        segments=override.get("segments", post.segments),
    )


def all_versions(post: Post) -> list[Version]:
    """One per platform of the post (equal ones are equal values), for work shared by its targets."""
    return [version_for(post, platform) for platform in post.platforms]


def _display_name(platform: str | None) -> str:
    try:
        return platform_info(platform or "").display_name
    except UnsupportedPlatform:
        return platform or ""
