"""POST /v1/posts/validate and POST /v1/posts/{id}/validate: a post checked as publishing it now would check it,
storing nothing, with each segment's length counted the platform's way (what a composer's live counter shows).

One code path: the body is read by the same checks as create, the accounts resolve as a publish resolves them
(named, else default; a server's own limits where the platform has them), and each platform's problems come from
adapters/validation.validate, the function scheduling and publishing use. Only the counts are added here.
"""

from __future__ import annotations

from adapters.base import PlatformInfo, TextCounting, TextRules
from adapters.registry import UnsupportedPlatform, platform_info
from adapters.segments import CannotThread, as_posted
from adapters.text import text_length, utf8_length
from adapters.validation import OptionsInvalid, PostShape, validate
from octopost.accounts.tables import Account
from octopost.db import utcnow
from octopost.errors import NotFound, Problems
from octopost.keys.service import Caller
from octopost.posts import repository
from octopost.posts.accounts import publishing_accounts
from octopost.posts.schemas import (
    MediaPreview,
    PlatformPreview,
    PostCreate,
    PostPreview,
    SegmentCount,
    SegmentMedia,
)
from octopost.posts.service import build_post, choose_platforms, text_rules
from octopost.posts.tables import Post
from octopost.posts.validation import draft_of
from octopost.queue.claims import NEXT_FREE_SLOT
from octopost.runtime import Runtime

_UNITS = {
    TextCounting.GRAPHEMES: "graphemes",
    TextCounting.X_WEIGHTED: "weighted",
    TextCounting.MASTODON: "characters",
    TextCounting.CODEPOINTS: "characters",
    TextCounting.UTF16: "utf16",
    TextCounting.EMOJI_BYTES: "characters",  # an emoji counted as its UTF-8 bytes (Threads)
}


async def preview_body(runtime: Runtime, caller: Caller, data: PostCreate) -> PostPreview:
    problems = Problems()
    queued = data.scheduled_for == NEXT_FREE_SLOT
    choice = await choose_platforms(runtime, caller, data, problems)
    post = build_post(caller, data, problems, utcnow(), choice)
    if queued:
        post.scheduled_for = None  # a slot is taken at create; for the check, it is "some future time"
    return await _preview(runtime, caller, post, problems.items)


async def preview_stored(runtime: Runtime, caller: Caller, post_id: str) -> PostPreview:
    async with runtime.db.session() as session:
        post = await repository.get(session, caller.workspace_id, post_id, is_test=caller.is_test)
    if post is None:
        raise NotFound(f"Post {post_id} not found")
    return await _preview(runtime, caller, post, [])


async def _preview(runtime: Runtime, caller: Caller, post: Post, problems: list[str]) -> PostPreview:
    known = [p for p in post.platforms if _info(p) is not None]
    async with runtime.db.session() as session:
        accounts, account_problems = await publishing_accounts(
            session, caller.workspace_id, post.accounts, known, is_test=caller.is_test, require_active=True
        )
    problems = [*problems, *account_problems]
    rules = await text_rules(runtime, {p: a for p, a in accounts.items() if a.is_active})
    platforms = {p: _platform(post, info, rules.get(p), accounts.get(p)) for p in known if (info := _info(p))}
    valid = not problems and all(p.valid for p in platforms.values())
    return PostPreview(valid=valid, problems=problems, platforms=platforms)


def _info(platform: str) -> PlatformInfo | None:
    try:
        return platform_info(platform)
    except UnsupportedPlatform:
        return None  # named among the body's problems already


def _platform(post: Post, info: PlatformInfo, rules: TextRules | None, account: Account | None) -> PlatformPreview:
    problems: list[str] = []
    if account is None:
        problems.append(f"{info.name}: no active {info.name} account is connected to this workspace")
    try:
        shape = draft_of(post, info.name).shape_for(info)
    except OptionsInvalid as exc:
        problems.append(f"platform_options.{info.name}: {exc}")
        return PlatformPreview(valid=False, problems=problems, segments=[])
    problems.extend(v.describe() for v in validate(info, shape, rules))
    return PlatformPreview(
        valid=not problems,
        problems=problems,
        segments=_counts(info, shape, rules or info.text),
        media=_media(info, shape),
        account_id=account.id if account is not None else None,
    )


def _media(info: PlatformInfo, shape: PostShape) -> MediaPreview:
    rules = info.media
    return MediaPreview(
        segments=[SegmentMedia(i, s.images, s.videos) for i, s in enumerate(shape.segments)],
        max_images=rules.max_images,
        max_videos=rules.max_videos,
        max_image_bytes=rules.max_image_bytes,
        max_video_bytes=rules.max_video_bytes,
        image_types=sorted(rules.image_types),
        video_types=sorted(rules.video_types),
        images_with_video=rules.images_with_video,
        in_replies=rules.in_replies,
        required=rules.required,
        max_attachments=rules.max_attachments,
        alt_text_max_chars=rules.alt_text_max_chars,
    )


def _counts(info: PlatformInfo, shape: PostShape, rules: TextRules) -> list[SegmentCount]:
    """Each segment as the platform receives it (numbered, folded), counted as the platform counts; where it also
    caps bytes (Bluesky), the bytes too."""
    try:
        posted = as_posted(info, [(s.text, s.kinds()) for s in shape.segments])
    except CannotThread:
        posted = as_posted(info, [(s.text, s.kinds()) for s in shape.segments[:1]])
    counts: list[SegmentCount] = []
    for index, (body, kinds) in enumerate(posted):
        limit = rules.max_chars
        if kinds and rules.caption_max_chars is not None:
            limit = rules.caption_max_chars
        count = text_length(body, rules)
        counts.append(SegmentCount(index, count, limit, _UNITS[rules.counting], limit - count))
        if rules.max_bytes is not None:
            size = utf8_length(body)
            counts.append(SegmentCount(index, size, rules.max_bytes, "bytes", rules.max_bytes - size))
    return counts
