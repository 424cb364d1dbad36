"""Builds the API view of a post, including platform_results from its targets and delivery ledger."""

from __future__ import annotations

import msgspec

from octopost.posts.schemas import PlatformResult, PostRead, SegmentResult
from octopost.posts.state import TERMINAL_TARGET, TargetStatus
from octopost.posts.tables import Delivery, Post, Target, Unpublish
from octopost.timefmt import iso


def platform_result(target: Target, deliveries: list[Delivery], unpublish: Unpublish | None = None) -> PlatformResult:
    result = _published(target, deliveries)
    if unpublish is None:
        return result
    # Additive: how taking it down went (pending, running, done, failed), and when it was or why it could not be.
    return msgspec.structs.replace(
        result,
        unpublish_status=unpublish.state,
        unpublished_at=iso(unpublish.finished_at) if unpublish.state == "done" else None,
        unpublish_error=unpublish.error if unpublish.state in ("failed", "pending") else None,
    )


def _published(target: Target, deliveries: list[Delivery]) -> PlatformResult:
    segments = [
        SegmentResult(post_id=d.remote_id or "", post_url=d.remote_url or "")
        for d in sorted(deliveries, key=lambda d: d.segment_index)
        if d.state == "sent"
    ]
    if target.status == TargetStatus.SUCCEEDED:
        return PlatformResult(
            success=True,
            post_id=target.remote_id,
            post_url=target.remote_url,
            segments=segments,
            account_id=target.account_id,
        )
    return PlatformResult(
        success=False,
        error=target.error or "Publishing failed",
        segments=segments,
        status=TargetStatus.UNCONFIRMED.value if target.status == TargetStatus.UNCONFIRMED else None,
        error_category=target.error_category,
        account_id=target.account_id,
    )


def to_read(
    post: Post,
    targets: list[Target],
    deliveries: dict[str, list[Delivery]],
    unpublishes: dict[str, Unpublish] | None = None,
) -> PostRead:
    finished = [t for t in targets if t.status in TERMINAL_TARGET]
    results = (
        {
            t.platform: platform_result(t, deliveries.get(t.id, []), (unpublishes or {}).get(t.id))
            for t in sorted(finished, key=lambda t: t.platform)
        }
        if finished
        else None
    )
    return PostRead(
        id=post.id,
        content=post.content,
        platforms=list(post.platforms),
        status=post.status,
        scheduled_for=iso(post.scheduled_for),
        media=post.media,
        segments=post.segments,
        platform_results=results,
        platform_options=post.platform_options,
        poll=post.poll,
        reply_policy=post.reply_policy,
        accounts=post.accounts,
        overrides=post.overrides,
        preset_id=post.preset_id,
        primary_platform=post.primary_platform,
        cross_link_template=post.cross_link_template,
        unpublish_at=iso(post.unpublish_at),
        series_id=post.series_id,
        created_at=iso(post.created_at) or "",
        updated_at=iso(post.updated_at) or "",
        published_at=iso(post.published_at),
    )
