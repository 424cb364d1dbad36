"""Instagram's limits as the fake checks them (written from Meta's reference, not from the adapter)."""

from __future__ import annotations

import re

MAX_CAPTION = 2200
MAX_HASHTAGS = 30
MIN_ITEMS, MAX_ITEMS = 2, 10
IMAGE_TYPES = frozenset({"image/jpeg"})
VIDEO_TYPES = frozenset({"video/mp4", "video/quicktime"})
MEDIA_TYPES = frozenset({"IMAGE", "VIDEO", "REELS", "CAROUSEL", "STORIES"})
CONTAINER_FIELDS = frozenset(
    {
        "image_url",
        "video_url",
        "media_type",
        "caption",
        "alt_text",
        "is_carousel_item",
        "children",
        "location_id",
        "user_tags",
        "collaborators",
        "cover_url",
        "thumb_offset",
        "share_to_feed",
        "audio_name",
    }
)
_TAGS = re.compile(r"(?<![\w&])#\w+")


def hashtags(text: str) -> int:
    return len(_TAGS.findall(text))
