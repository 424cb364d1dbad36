"""Pure validation of a post against one platform's limits: the same rules at schedule and publish time."""

from __future__ import annotations

from dataclasses import dataclass

from adapters.base import MediaItem, MediaRules, PlatformInfo, Rejected, TextRules
from adapters.text import text_violation


@dataclass(frozen=True)
class SegmentShape:
    """What validation needs to know about one segment, before any media is fetched."""

    text: str
    images: int = 0
    videos: int = 0


@dataclass(frozen=True)
class Violation:
    platform: str
    segment: int  # 0 = main post
    message: str

    def describe(self) -> str:
        where = "content" if self.segment == 0 else f"segments[{self.segment - 1}]"
        return f"{self.platform}: {where} {self.message}"


def validate(info: PlatformInfo, segments: list[SegmentShape], text: TextRules | None = None) -> list[Violation]:
    """Every way ``segments`` break ``info``'s limits (``text`` overrides the text rules, e.g. per instance)."""
    rules = text or info.text
    name = info.platform.value
    found: list[Violation] = []
    for index, segment in enumerate(segments):
        problem = text_violation(segment.text, rules)
        if problem:
            found.append(Violation(name, index, problem))
        if segment.images > info.media.max_images:
            found.append(Violation(name, index, f"has {segment.images} images; the limit is {info.media.max_images}"))
        if segment.videos > info.media.max_videos:
            found.append(Violation(name, index, f"has {segment.videos} videos; the limit is {info.media.max_videos}"))
        if segment.images and segment.videos and not info.media.images_with_video:
            found.append(Violation(name, index, "cannot carry images and a video together"))
    return found


def check_media_files(platform: str, media: tuple[MediaItem, ...], rules: MediaRules) -> None:
    """Each fetched file against the platform's type, size and alt-text limits, before anything is uploaded
    (Rejected naming the file); what a platform would take but not show, or refuse after the upload."""
    for number, item in enumerate(media, start=1):
        image = item.kind == "image"
        types = rules.image_types if image else rules.video_types
        cap = rules.max_image_bytes if image else rules.max_video_bytes
        if item.content_type not in types:
            accepted = ", ".join(sorted(types))
            raise Rejected(f"{platform}: {item.kind} {number} is {item.content_type}; accepted: {accepted}")
        if len(item.data) > cap:
            raise Rejected(f"{platform}: {item.kind} {number} is {len(item.data):,} bytes; the limit is {cap:,}")
        alt_cap = rules.alt_text_max_chars
        if item.alt_text and alt_cap is not None and len(item.alt_text) > alt_cap:
            length = len(item.alt_text)
            raise Rejected(f"{platform}: alt text of {item.kind} {number} is {length} characters; at most {alt_cap}")
