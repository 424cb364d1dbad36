"""Counting as each platform counts."""

from __future__ import annotations

from adapters.base import MediaRules, Platform, PlatformInfo, TextCounting, TextRules, ThreadMode
from adapters.text import grapheme_length, mastodon_length, text_violation, utf8_length, x_weighted_length
from adapters.validation import PostShape, SegmentShape, validate


def test_graphemes_count_a_family_emoji_once() -> None:
    assert grapheme_length("👨‍👩‍👧‍👦") == 1
    assert grapheme_length("e\u0301") == 1
    assert utf8_length("é") == 2


def test_x_weighted_counts_urls_23_and_cjk_2() -> None:
    assert x_weighted_length("https://example.com/" + "a" * 100) == 23
    assert x_weighted_length("日本") == 4
    assert x_weighted_length("hi") == 2


def test_mastodon_counts_urls_fixed_and_remote_mentions_locally() -> None:
    assert mastodon_length("https://example.com/" + "a" * 100, 23) == 23
    assert mastodon_length("@alice@example.social hi", 23) == len("@alice hi")


def test_bluesky_byte_cap_is_checked_too() -> None:
    rules = TextRules(max_chars=300, counting=TextCounting.GRAPHEMES, max_bytes=3000)
    assert text_violation("a" * 300, rules) is None
    assert "301 characters" in (text_violation("a" * 301, rules) or "")
    # 250 graphemes that are 4 bytes each... under 300 graphemes but fine on bytes (1000); make it break bytes:
    heavy = "👨‍👩‍👧‍👦" * 120  # 120 graphemes, 25 bytes each = 3000 → at the cap
    assert text_violation(heavy, rules) is None
    assert "bytes" in (text_violation(heavy + "👍", rules) or "")


def test_validate_reports_each_segment() -> None:
    info = PlatformInfo(
        platform=Platform.TWITTER,
        display_name="X",
        default_base_url="https://x.invalid",
        text=TextRules(max_chars=10, counting=TextCounting.CODEPOINTS),
        media=MediaRules(
            max_images=2,
            max_image_bytes=1,
            image_types=frozenset({"image/png"}),
            max_videos=1,
            max_video_bytes=1,
            video_types=frozenset({"video/mp4"}),
        ),
        thread_mode=ThreadMode.NATIVE_REPLY,
        credential_shapes=(frozenset({"t"}),),
    )
    found = validate(
        info, PostShape([SegmentShape("short"), SegmentShape("x" * 11, images=3), SegmentShape("ok", 1, 1)])
    )
    described = [v.describe() for v in found]
    assert described == [
        "twitter: segments[0] is 11 characters; the limit is 10 (codepoints)",
        "twitter: segments[0] has 3 images; the limit is 2",
        "twitter: segments[1] cannot carry images and a video together",
    ]
