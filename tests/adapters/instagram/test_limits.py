"""Instagram's limits as data (PlatformInfo), checked by adapters/validation before anything is sent: media
required on the main post, none on its comments, a caption of 2,200 characters and 30 hashtags, 10 carousel items,
JPEG images."""

from __future__ import annotations

from adapters.instagram import InstagramAdapter
from adapters.validation import PostShape, SegmentShape, validate

INFO = InstagramAdapter.info


def problems(*segments: SegmentShape) -> list[str]:
    return [v.describe() for v in validate(INFO, PostShape(list(segments)))]


def test_the_main_post_needs_media_and_comments_take_none() -> None:
    assert problems(SegmentShape("caption", images=1), SegmentShape("a comment")) == []
    assert problems(SegmentShape("text alone"), SegmentShape("comment", images=1)) == [
        "instagram: content needs an image or a video: Instagram posts media",
        "instagram: segments[0] cannot carry media: Instagram takes media on the main post",
    ]


def test_caption_length_and_hashtags() -> None:
    tags = " ".join(f"#tag{n}" for n in range(30))
    assert problems(SegmentShape(tags, images=1)) == []
    assert problems(SegmentShape(tags + " #one_more", images=1)) == [
        "instagram: content has 31 hashtags; the limit is 30"
    ]
    assert problems(SegmentShape("x" * 2201, videos=1)) == [
        "instagram: content is 2201 characters; the limit is 2200 (codepoints)"
    ]


def test_a_carousel_takes_ten_items() -> None:
    assert problems(SegmentShape("", images=6, videos=4)) == []
    assert "instagram: content has 11 files; the limit is 10" in problems(SegmentShape("", images=6, videos=5))
