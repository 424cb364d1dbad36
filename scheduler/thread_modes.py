"""The one table of thread modes: how the publisher builds each segment's PublishRequest for a platform.

The segments themselves come from ``adapters.segments.as_posted`` (numbered for sequential_numbered, folded for a
single that folds; validation ran the same function when the post was scheduled). What differs per mode is what
each one is attached to: ``root`` (the thread's main post) and ``parent`` (what this segment answers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from adapters.base import PlatformInfo, Poll, PublishedRef, PublishRequest, ReplyPolicy, Segment, ThreadMode
from adapters.options import PlatformOptions
from adapters.segments import as_posted

Ref = PublishedRef | None
# (the main post, the segment before this one) → (root, parent) of this segment's request; both None for the main post.
Links = Callable[[PublishedRef, PublishedRef], tuple[Ref, Ref]]


def _reply_to_previous(main: PublishedRef, previous: PublishedRef) -> tuple[Ref, Ref]:
    return main, previous


def _comment_on_main(main: PublishedRef, _previous: PublishedRef) -> tuple[Ref, Ref]:
    return main, main  # the adapter gets the root as what it answers: never a parent it must ignore


def _top_level(_main: PublishedRef, _previous: PublishedRef) -> tuple[Ref, Ref]:
    return None, None


LINKS: dict[ThreadMode, Links] = {
    ThreadMode.NATIVE_REPLY: _reply_to_previous,
    ThreadMode.COMMENT_ON_MAIN: _comment_on_main,
    ThreadMode.MESSAGE_THREAD: _reply_to_previous,  # the thread is the main post's; the previous one is its tail
    ThreadMode.SEQUENTIAL_NUMBERED: _top_level,  # each segment a post of its own, its counter in the text
    ThreadMode.SINGLE: _top_level,  # one item: a fold leaves no segment 1
}


@dataclass(frozen=True)
class PostFeatures:
    """What every request of one target carries besides its segment (the poll only on the main post)."""

    poll: Poll | None = None
    reply_policy: ReplyPolicy | None = None
    options: PlatformOptions | None = None
    scheduled_for: datetime | None = None
    unpublish_at: datetime | None = None


def segments_for(info: PlatformInfo, segments: list[Segment]) -> list[Segment]:
    """The segments as ``info``'s platform receives them, indexed as the ledger records them."""
    posted = as_posted(info, [(s.text, s.media) for s in segments])
    return [Segment(index=i, text=text, media=media) for i, (text, media) in enumerate(posted)]


def request_for(
    info: PlatformInfo,
    segment: Segment,
    key: str,
    *,
    count: int,
    main: PublishedRef | None,
    previous: PublishedRef | None,
    features: PostFeatures,
) -> PublishRequest:
    """Segment ``segment`` of ``count``, linked by the platform's mode (the main post when ``main`` is None)."""
    if main is None or previous is None:
        root = parent = None
    else:
        root, parent = LINKS[info.thread_mode](main, previous)
    return PublishRequest(
        segment=segment,
        idempotency_key=key,
        root=root,
        parent=parent,
        segment_count=count,
        poll=features.poll if segment.index == 0 else None,
        reply_policy=features.reply_policy,
        options=features.options,
        scheduled_for=features.scheduled_for,
        unpublish_at=features.unpublish_at,
    )
