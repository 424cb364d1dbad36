"""What retry and unpublish share: a finished post locked for the change with its targets, and the platforms the
request names (each one of the post's, else 422; none named: all of them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from octopost.errors import NotFound, Problems
from octopost.keys.service import Caller
from octopost.posts import repository
from octopost.posts.tables import Post, Target


@dataclass(frozen=True)
class Locked:
    post: Post
    targets: Sequence[Target]
    wanted: set[str]  # the platforms the request is about


async def lock(session: AsyncSession, caller: Caller, post_id: str, platforms: list[str] | None) -> Locked:
    post = await repository.get(session, caller.workspace_id, post_id, is_test=caller.is_test, for_update=True)
    if post is None:
        raise NotFound(f"Post {post_id} not found")
    problems = Problems()
    for platform in platforms or []:
        if platform not in post.platforms:
            problems.add(f"platforms: {platform!r} is not one of the post's platforms")
    problems.raise_if_any()
    targets = (await session.exec(select(Target).where(col(Target.post_id) == post.id))).all()
    return Locked(post, targets, set(platforms or post.platforms))
