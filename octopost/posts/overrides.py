"""`overrides` of a create or update body: per platform, a content, media or segments replacing the post's own
there, each checked by the same rules as the post's own fields (and by that platform's limits when scheduled)."""

from __future__ import annotations

from typing import Any

from msgspec import UNSET

from octopost.errors import Problems
from octopost.posts.schemas import OverrideIn
from octopost.posts.validation import check_content, check_media, check_segments


def check_overrides(
    overrides: dict[str, OverrideIn] | None, platforms: list[str], problems: Problems
) -> dict[str, dict[str, Any]] | None:
    """Stored as given: only the fields each override names, so an unnamed one keeps following the post."""
    if not overrides:
        return None
    stored: dict[str, dict[str, Any]] = {}
    for platform, override in overrides.items():
        where = f"overrides.{platform}"
        if platform not in platforms:
            problems.add(f"{where}: {platform!r} is not one of the post's platforms")
            continue
        own = Problems()
        version: dict[str, Any] = {}
        if override.content is not UNSET:
            version["content"] = check_content(override.content, own)
        if override.media is not UNSET:
            version["media"] = check_media(override.media, own)
        if override.segments is not UNSET:
            version["segments"] = check_segments(override.segments, own)
        problems.items.extend(f"{where}.{item}" for item in own.items)
        if not version:
            problems.add(f"{where}: give content, media or segments (or leave the platform out)")
        stored[platform] = version
    return stored


def check_still_platforms(
    overrides: dict[str, dict[str, Any]] | None, platforms: list[str], problems: Problems
) -> None:
    """An update that drops a platform must drop its override too: kept silently, it would come back unseen."""
    for platform in overrides or {}:
        if platform not in platforms:
            problems.add(f"overrides.{platform}: {platform!r} is not one of the post's platforms")
