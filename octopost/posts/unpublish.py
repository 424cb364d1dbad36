"""POST /v1/posts/{id}/unpublish: take what a post published down from its platforms (every segment), and the
post's `unpublish_at` doing the same by itself. The deletes run in the scheduler (scheduler/unpublisher.py), claimed
and ledgered like publishing; here the work is written, one `unpublish` row per target, in one transaction. The
seed's DELETE /v1/posts/{id} keeps its meaning: it forgets the post, it does not touch the platforms."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete as sql_delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from adapters.base import DeletesPost
from adapters.registry import UnsupportedPlatform, adapter_class, platform_info
from octopost.db import utcnow
from octopost.errors import Conflict
from octopost.keys.service import Caller
from octopost.posts import finished, repository, service
from octopost.posts.schemas import PostRead, UnpublishRequest
from octopost.posts.state import PostStatus
from octopost.posts.tables import Delivery, Target, Unpublish
from octopost.runtime import Runtime

_UNDER_WAY = ("pending", "running", "done")


def cannot_delete(platform: str) -> str | None:
    """Why ``platform``'s posts cannot be taken down through its API (None: they can)."""
    try:
        if issubclass(adapter_class(platform), DeletesPost):
            return None
        name = platform_info(platform).display_name
    except UnsupportedPlatform:
        name = platform
    return f"{name} cannot delete posts through its API; delete it on {name}"


async def schedule(session: AsyncSession, target: Target, due: datetime) -> None:
    """The target's unpublish, due at ``due`` (or failed at once, with the reason, where the platform cannot)."""
    reason = cannot_delete(target.platform)
    await session.exec(sql_delete(Unpublish).where(col(Unpublish.target_id) == target.id))
    session.add(
        Unpublish(
            target_id=target.id,
            post_id=target.post_id,
            state="failed" if reason else "pending",
            due_at=due,
            error=reason,
            finished_at=utcnow() if reason else None,
        )
    )


async def unpublish(runtime: Runtime, caller: Caller, post_id: str, data: UnpublishRequest) -> PostRead:
    async with runtime.db.transaction() as session:
        locked = await finished.lock(session, caller, post_id, data.platforms)
        post, targets, wanted = locked.post, locked.targets, locked.wanted
        if post.status not in (PostStatus.PUBLISHED, PostStatus.FAILED):
            raise Conflict(
                f"Only what was published can be unpublished; this post is {post.status}", {"status": post.status}
            )
        posted = set(
            (
                await session.exec(
                    select(Delivery.target_id).where(
                        col(Delivery.target_id).in_([t.id for t in targets]),
                        col(Delivery.state) == "sent",
                        col(Delivery.deleted_at).is_(None),
                    )
                )
            ).all()
        )
        under_way = await repository.unpublishes_by_target(session, [t.id for t in targets])
        chosen = [
            t
            for t in targets
            if t.platform in wanted
            and t.id in posted
            and (t.id not in under_way or under_way[t.id].state not in _UNDER_WAY)
        ]
        if not chosen:
            raise Conflict("Nothing to unpublish: " + _why_not(targets, wanted, posted, under_way))
        now = utcnow()
        for target in chosen:
            await schedule(session, target, now)
    return await service.get(runtime, caller, post_id)  # as GET shows it, with the unpublish under way


def _why_not(targets: Sequence[Target], wanted: set[str], posted: set[str], under_way: dict[str, Unpublish]) -> str:
    states = []
    for target in sorted(targets, key=lambda t: t.platform):
        if target.platform not in wanted:
            continue
        if target.id in under_way and under_way[target.id].state in _UNDER_WAY:
            states.append(f"{target.platform} is {under_way[target.id].state} already")
        elif target.id not in posted:
            states.append(f"{target.platform} has nothing posted")
    return "; ".join(states) or "no platform of the post was asked for"
