"""Telegram's limits at schedule time, through the one validation path: text in UTF-16 code units (4096 for a
message), and the lower limit of a text riding on something else, ``TextRules.caption_max_chars`` (1024 for a
caption beside media and for the text a poll carries), checked on any platform that declares it, on none that
does not; poll rules as Telegram's sendPoll takes them."""

from __future__ import annotations

from dataclasses import replace

from adapters.base import Poll
from adapters.telegram import TelegramAdapter
from adapters.validation import PostShape, SegmentShape, validate
from tests.scheduler.in_process import BASE_INFO

INFO = TelegramAdapter.info
POLL = Poll(("Yes", "No"), 60)


def described(info: object, post: PostShape) -> list[str]:
    return [v.describe() for v in validate(info, post)]  # type: ignore[arg-type]


def test_text_counts_utf16_code_units() -> None:
    assert described(INFO, PostShape([SegmentShape("👍" * 2048), SegmentShape("a" * 4096)])) == []
    assert described(INFO, PostShape([SegmentShape("👍" * 2048 + "a")])) == [
        "telegram: content is 4097 characters; the limit is 4096 (utf16)"
    ]


def test_a_caption_beside_media_is_held_to_1024() -> None:
    assert described(INFO, PostShape([SegmentShape("a" * 1024, images=1), SegmentShape("b" * 1024, videos=1)])) == []
    assert described(INFO, PostShape([SegmentShape("ok"), SegmentShape("👍" * 513, images=3)])) == [
        "telegram: segments[0] is 1026 characters; the limit is 1024 (utf16) as the caption of its media"
    ]
    assert described(INFO, PostShape([SegmentShape("a" * 4000)])) == []  # without media: a message


def test_over_the_message_limit_is_said_once() -> None:
    assert described(INFO, PostShape([SegmentShape("a" * 5000, images=1)])) == [
        "telegram: content is 5000 characters; the limit is 4096 (utf16)"
    ]


def test_the_text_of_a_poll_is_held_to_1024() -> None:
    assert described(INFO, PostShape([SegmentShape("a" * 1024)], poll=POLL)) == []
    assert described(INFO, PostShape([SegmentShape("a" * 1025), SegmentShape("b" * 4096)], poll=POLL)) == [
        "telegram: content is 1025 characters; the limit is 1024 (utf16) as the text of its poll"
    ]
    # With media the poll is refused as such (Telegram's poll carries no album); the caption is the segment's check.
    assert described(INFO, PostShape([SegmentShape("a" * 1025, images=1)], poll=POLL)) == [
        "telegram: content is 1025 characters; the limit is 1024 (utf16) as the caption of its media",
        "telegram: poll cannot go with media on Telegram",
    ]


def test_a_platform_without_a_caption_limit_is_unchanged() -> None:
    assert BASE_INFO.text.caption_max_chars is None
    long = "a" * BASE_INFO.text.max_chars
    assert described(BASE_INFO, PostShape([SegmentShape(long, images=1)])) == []
    declared = replace(BASE_INFO, text=replace(BASE_INFO.text, caption_max_chars=10))
    assert described(declared, PostShape([SegmentShape("a" * 11, images=1)])) == [
        "mastodon: content is 11 characters; the limit is 10 (codepoints) as the caption of its media"
    ]


def test_polls_as_sendpoll_takes_them() -> None:
    assert described(INFO, PostShape([SegmentShape("Vote")], poll=Poll(("a", "b"), 43800, question="q" * 300))) == []
    assert described(
        INFO, PostShape([SegmentShape("Vote")], poll=Poll(("a" * 101, "b"), 43801, question="q" * 301))
    ) == [
        "telegram: poll option 1 is 101 characters; the limit is 100",
        "telegram: poll lasts 43801 minutes; Telegram takes 1 to 43800",
        "telegram: poll question is 301 characters; the limit is 300",
    ]
