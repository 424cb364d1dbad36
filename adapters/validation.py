"""The one validation path: a post against one platform's declared capabilities (PlatformInfo), the same rules at
create, schedule and publish time, before any media is fetched. Every problem is reported, none stops the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import msgspec

from adapters.base import MediaItem, MediaRejected, MediaRules, PlatformInfo, Poll, PollRules, ReplyPolicy, TextRules
from adapters.options import PlatformOptions
from adapters.segments import CannotThread, as_posted
from adapters.text import text_violation


@dataclass(frozen=True)
class SegmentShape:
    """What validation needs to know about one segment, before any media is fetched."""

    text: str
    images: int = 0
    videos: int = 0

    def kinds(self) -> list[str]:
        return ["image"] * self.images + ["video"] * self.videos


@dataclass(frozen=True)
class PostShape:
    """A post as validation sees it: its segments (main post first) and the post-level features."""

    segments: list[SegmentShape]
    poll: Poll | None = None
    reply_policy: ReplyPolicy | None = None
    options: PlatformOptions | None = None  # this platform's, decoded


@dataclass(frozen=True)
class Violation:
    platform: str
    segment: int | None  # 0 = main post; None = the post as a whole (see ``field``)
    message: str
    field: str = field(default="content")

    def describe(self) -> str:
        if self.segment is None or self.field != "content":
            where = self.field
        else:
            where = "content" if self.segment == 0 else f"segments[{self.segment - 1}]"
        return f"{self.platform}: {where} {self.message}"


class OptionsInvalid(ValueError):
    pass


def decode_options(info: PlatformInfo, raw: Mapping[str, Any] | None) -> PlatformOptions | None:
    """A platform's ``platform_options`` as its Struct; OptionsInvalid naming the field when they don't fit."""
    if raw is None:
        return None
    if info.options is None:
        raise OptionsInvalid(f"{info.display_name} takes no platform_options")
    try:
        return msgspec.convert(raw, info.options, strict=True)
    except msgspec.ValidationError as exc:
        raise OptionsInvalid(str(exc)) from None


def validate(info: PlatformInfo, post: PostShape, text: TextRules | None = None) -> list[Violation]:
    """Every way ``post`` breaks ``info`` (``text`` overrides the text rules, e.g. per instance)."""
    found: list[Violation] = []
    name = info.name
    try:
        posted = as_posted(info, [(s.text, s.kinds()) for s in post.segments])
    except CannotThread as exc:
        found.append(Violation(name, None, f"cannot be posted: {exc}", field="segments"))
        posted = as_posted(info, [(s.text, s.kinds()) for s in post.segments[:1]])
    folded = len(posted) < len(post.segments)
    for index, (body, kinds) in enumerate(posted):
        found.extend(segment_violations(info, index, body, kinds, text or info.text, folded=folded))
    found.extend(post_violations(info, post, main_has_media=bool(posted and posted[0][1]), text=text))
    return found


def post_violations(
    info: PlatformInfo, post: PostShape, *, main_has_media: bool, text: TextRules | None = None
) -> list[Violation]:
    """What the post-level features (poll, reply policy, options) break on ``info``."""
    name = info.name
    found: list[Violation] = []
    if post.poll is not None:
        found.extend(Violation(name, None, problem, field="poll") for problem in _poll_problems(info, post.poll))
        if main_has_media and info.polls is not None and not info.polls.with_media:
            found.append(Violation(name, None, f"cannot go with media on {info.display_name}", field="poll"))
        elif post.segments and not main_has_media:  # beside media, the caption is the segment's own check
            problem = _caption_violation(post.segments[0].text, text or info.text, "the text of its poll")
            if problem:
                found.append(Violation(name, 0, problem))
    policy = post.reply_policy
    if policy is not None and policy not in info.reply_policies:
        supported = ", ".join(sorted(p.value for p in info.reply_policies))
        found.append(
            Violation(
                name,
                None,
                f"{policy.value!r} cannot be applied on {info.display_name} (it supports: {supported})",
                field="reply_policy",
            )
        )
    if post.options is not None:
        found.extend(
            Violation(name, None, problem, field=f"platform_options.{name}")
            for problem in post.options.problems(post, text or info.text)
        )
    return found


def segment_violations(
    info: PlatformInfo, index: int, body: str, kinds: tuple[str, ...], rules: TextRules, *, folded: bool = False
) -> list[Violation]:
    """One segment as the platform receives it (``index`` 0: the main post)."""
    name, media = info.name, info.media
    found: list[Violation] = []
    problem = text_violation(body, rules)
    if problem is None and kinds:
        problem = _caption_violation(body, rules, "the caption of its media")
    if problem:
        found.append(Violation(name, index, f"{problem} (the thread folded into one post)" if folded else problem))
    images, videos = kinds.count("image"), kinds.count("video")
    if index == 0 and media.required and not kinds:
        found.append(Violation(name, index, f"needs an image or a video: {info.display_name} posts media"))
    if index > 0 and kinds and not media.in_replies:
        found.append(Violation(name, index, f"cannot carry media: {info.display_name} takes media on the main post"))
    if images > media.max_images:
        found.append(Violation(name, index, f"has {images} images; the limit is {media.max_images}"))
    if videos > media.max_videos:
        found.append(Violation(name, index, f"has {videos} videos; the limit is {media.max_videos}"))
    if images and videos and not media.images_with_video:
        found.append(Violation(name, index, "cannot carry images and a video together"))
    if media.max_attachments is not None and len(kinds) > media.max_attachments:
        found.append(Violation(name, index, f"has {len(kinds)} files; the limit is {media.max_attachments}"))
    return found


def _caption_violation(body: str, rules: TextRules, what: str) -> str | None:
    """``body`` against the lower limit of a text riding on ``what`` (TextRules.caption_max_chars), if any."""
    if rules.caption_max_chars is None or text_violation(body, rules) is not None:
        return None
    problem = text_violation(body, replace(rules, max_chars=rules.caption_max_chars, max_bytes=None))
    return f"{problem} as {what}" if problem else None


def _poll_problems(info: PlatformInfo, poll: Poll) -> list[str]:
    rules = info.polls
    if rules is None:
        return [f"cannot be posted: {info.display_name} has no polls"]
    found = []
    count = len(poll.options)
    if not rules.min_options <= count <= rules.max_options:
        found.append(f"has {count} options; {info.display_name} takes {rules.min_options} to {rules.max_options}")
    for number, option in enumerate(poll.options, start=1):
        if len(option) > rules.max_option_chars:
            found.append(f"option {number} is {len(option)} characters; the limit is {rules.max_option_chars}")
    if rules.closes:  # where polls stay open there is no duration to check
        found.extend(_duration_problems(info.display_name, rules, poll.duration_minutes))
    if poll.question is not None and rules.max_question_chars is None:
        # Never silently dropped: the platform's polls ask the post's own text.
        found.append(f"question cannot be posted: {info.display_name}'s polls have none (the post's text asks it)")
    elif poll.question is not None and len(poll.question) > (limit := rules.max_question_chars or 0):
        found.append(f"question is {len(poll.question)} characters; the limit is {limit}")
    return found


def _duration_problems(platform: str, rules: PollRules, minutes: int) -> list[str]:
    found = []
    if not rules.min_duration_minutes <= minutes <= rules.max_duration_minutes:
        found.append(
            f"lasts {minutes} minutes; {platform} takes {rules.min_duration_minutes} to {rules.max_duration_minutes}"
        )
    if minutes % rules.duration_step_minutes:
        found.append(f"lasts {minutes} minutes; {platform} takes whole multiples of {rules.duration_step_minutes}")
    return found


def check_media_files(platform: str, media: tuple[MediaItem, ...], rules: MediaRules) -> None:
    """Each fetched file against the platform's type, size and alt-text limits, before anything is uploaded
    (MediaRejected naming the file); what a platform would take but not show, or refuse after the upload."""
    for number, item in enumerate(media, start=1):
        image = item.kind == "image"
        types = rules.image_types if image else rules.video_types
        cap = rules.max_image_bytes if image else rules.max_video_bytes
        if item.content_type not in types:
            accepted = ", ".join(sorted(types))
            raise MediaRejected(f"{platform}: {item.kind} {number} is {item.content_type}; accepted: {accepted}")
        if len(item.data) > cap:
            raise MediaRejected(f"{platform}: {item.kind} {number} is {len(item.data):,} bytes; the limit is {cap:,}")
        alt_cap = rules.alt_text_max_chars
        if item.alt_text and alt_cap is not None and len(item.alt_text) > alt_cap:
            length = len(item.alt_text)
            raise MediaRejected(
                f"{platform}: alt text of {item.kind} {number} is {length} characters; at most {alt_cap}"
            )
