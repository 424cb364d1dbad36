"""Threads' limits as data (PlatformInfo), checked by adapters/validation before anything is sent: 500 characters
with emoji counted as their UTF-8 bytes, at most 5 different links, 20 carousel items, and reply policies only
where Threads has a reply_control for them."""

from __future__ import annotations

from adapters.base import ReplyPolicy
from adapters.threads import ThreadsAdapter
from adapters.validation import PostShape, SegmentShape, validate

INFO = ThreadsAdapter.info


def problems(*segments: SegmentShape, policy: ReplyPolicy | None = None) -> list[str]:
    return [v.describe() for v in validate(INFO, PostShape(list(segments), reply_policy=policy))]


def test_500_characters_with_an_emoji_counted_as_its_bytes() -> None:
    assert problems(SegmentShape("a" * 500)) == []
    assert problems(SegmentShape("a" * 497 + "👍")) == [
        "threads: content is 501 characters; the limit is 500 (emoji_bytes)"
    ]


def test_more_than_five_different_links_are_refused() -> None:
    five = " ".join(f"https://example.com/{n}" for n in range(5))
    assert problems(SegmentShape(five + " https://example.com/0")) == []  # the same link twice counts once
    assert problems(SegmentShape("intro"), SegmentShape(five + " https://example.org")) == [
        "threads: segments[0] has 6 different links; the limit is 5"
    ]


def test_a_carousel_takes_twenty_items() -> None:
    assert problems(SegmentShape("", images=12, videos=8)) == []
    assert problems(SegmentShape("", images=21)) == [
        "threads: content has 21 images; the limit is 20",
        "threads: content has 21 files; the limit is 20",
    ]


def test_reply_policies_without_a_threads_reply_control_are_refused() -> None:
    for policy in (ReplyPolicy.EVERYONE, ReplyPolicy.FOLLOWING, ReplyPolicy.MENTIONED):
        assert problems(SegmentShape("ok"), policy=policy) == []
    assert problems(SegmentShape("no"), policy=ReplyPolicy.NOBODY) == [
        "threads: reply_policy 'nobody' cannot be applied on Threads (it supports: everyone, following, mentioned)"
    ]
