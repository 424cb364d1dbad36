"""How a platform receives a post's segments, by its thread mode: as written, numbered, or folded into one.

One function for both sides of a post's life: validation runs it over the segments' shapes (text and media kinds)
when the post is scheduled, and the publisher over the fetched segments, so what was checked is what is sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from adapters.info import PlatformInfo, ThreadMode

T = TypeVar("T")

# Between folded segments: a blank line, so each one reads as its own paragraph.
FOLD_SEPARATOR = "\n\n"


class CannotThread(ValueError):
    """The platform takes one item and cannot fold a thread into it."""

    def __init__(self, info: PlatformInfo, segments: int) -> None:
        super().__init__(
            f"{info.display_name} takes a single post and cannot fold a thread into it; "
            f"this post has {segments} segments (send the thread to another platform, or drop its segments)"
        )


def counter(index: int, count: int) -> str:
    """The ``(i/n)`` suffix of sequential_numbered, the seed's fallback for platforms without threads."""
    return f" ({index + 1}/{count})"


def as_posted(info: PlatformInfo, parts: Sequence[tuple[str, Sequence[T]]]) -> list[tuple[str, tuple[T, ...]]]:
    """``parts``: (text, media) of each segment, main post first. Returns what the platform receives."""
    posted = [(text, tuple(media)) for text, media in parts]
    if len(posted) <= 1:
        return posted
    if info.thread_mode == ThreadMode.SEQUENTIAL_NUMBERED:
        return [(text + counter(i, len(posted)), media) for i, (text, media) in enumerate(posted)]
    if info.thread_mode == ThreadMode.SINGLE:
        if not info.folds_thread:
            raise CannotThread(info, len(posted))
        text = FOLD_SEPARATOR.join(text for text, _ in posted)
        return [(text, tuple(item for _, media in posted for item in media))]
    return posted
