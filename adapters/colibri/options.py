"""The ``platform_options`` of ColibriSM sites: a GIF for a timeline post, the recipient of direct messages."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from adapters.base import TextRules
from adapters.options import PlatformOptions

if TYPE_CHECKING:
    from adapters.validation import PostShape


class ColibriOptions(PlatformOptions, frozen=True):
    """``{"gif_url": "https://..."}``: a GIF (by URL) shown with the main post, sent as ``publish_post``'s
    ``gif_src``. The site takes a GIF only on a post without other media."""

    gif_url: str | None = None

    def problems(self, post: PostShape, text: TextRules) -> list[str]:
        if self.gif_url is None:
            return []
        found = []
        parts = urlsplit(self.gif_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            found.append(f"gif_url must be an http(s) URL, got {self.gif_url!r}")
        main = post.segments[0] if post.segments else None
        if main is not None and (main.images or main.videos):
            found.append("gif_url cannot go with images or a video on the main post (ColibriSM shows one or the other)")
        if post.poll is not None:
            found.append("gif_url cannot go with a poll (a ColibriSM poll goes on a post without media)")
        return found


class ColibriMessageOptions(PlatformOptions, frozen=True):
    """``{"recipient_id": 78}``: who receives the messages (the site's numeric user id); without it, the account's
    default ``recipient_id`` given when it was connected."""

    recipient_id: int | str | None = None

    def problems(self, post: PostShape, text: TextRules) -> list[str]:
        if self.recipient_id is None or recipient_text(self.recipient_id) is not None:
            return []
        return [f"recipient_id must be a ColibriSM user id (a positive number), got {self.recipient_id!r}"]


def recipient_text(value: int | str | None) -> str | None:
    """A user id as the site takes it ("78"), or None when ``value`` is not one."""
    if isinstance(value, bool) or value is None:
        return None
    text = str(value).strip()
    return text if text.isdigit() and int(text) > 0 else None
