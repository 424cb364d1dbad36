"""Threads' limits as the fake checks them (written from Meta's Threads reference, not from the adapter)."""

from __future__ import annotations

import re

MAX_TEXT = 500
MAX_LINKS = 5
MIN_ITEMS, MAX_ITEMS = 2, 20
REPLY_CONTROLS = frozenset(
    {"everyone", "accounts_you_follow", "mentioned_only", "parent_post_author_only", "followers_only"}
)
IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})
VIDEO_TYPES = frozenset({"video/mp4", "video/quicktime"})
CONTAINER_FIELDS = frozenset(
    {
        "media_type",
        "text",
        "image_url",
        "video_url",
        "is_carousel_item",
        "children",
        "reply_to_id",
        "reply_control",
        "alt_text",
        "link_attachment",
        "quote_post_id",
        "topic_tag",
        "allowlisted_country_codes",
        "location_id",
    }
)
_URLS = re.compile(r"https?://\S+")


def length(text: str) -> int:
    """Characters, an emoji (a symbol code point) counted as its UTF-8 bytes."""
    return sum(len(ch.encode()) if ord(ch) >= 0x2600 and not ch.isalnum() else 1 for ch in text)


def links(text: str) -> int:
    return len({url.rstrip(".,;:!?)") for url in _URLS.findall(text)})
