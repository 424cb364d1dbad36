"""Due work written straight into a service's database: what a stalled or crashed scheduler leaves behind."""

from __future__ import annotations

from datetime import datetime

from octopost.db import Database
from octopost.ids import new_id
from octopost.keys.tables import Workspace
from octopost.posts.tables import Post, Target
from tests.peers.postgres import run_async


def seed_targets(
    database_url: str,
    platform: str,
    due: list[datetime],
    *,
    held_by: str | None = None,
    lease_until: datetime | None = None,
) -> list[str]:
    """One post per time in ``due`` with one target of ``platform`` due then: pending, or (``held_by``) publishing
    under that worker's lease until ``lease_until``. Returns the post ids."""

    async def write() -> list[str]:
        db = Database(database_url)
        try:
            async with db.transaction() as session:
                workspace = Workspace(id=new_id("ws"), name=new_id("name"))
                session.add(workspace)
                ids = []
                for when in due:
                    post = Post(
                        id=new_id("post"),
                        workspace_id=workspace.id,
                        content=f"seeded, due {when.isoformat()}",
                        platforms=[platform],
                        status="publishing" if held_by else "scheduled",
                        scheduled_for=when,
                    )
                    session.add(post)
                    session.add(
                        Target(
                            id=new_id("tgt"),
                            post_id=post.id,
                            platform=platform,
                            next_attempt_at=when,
                            status="publishing" if held_by else "pending",
                            lease_owner=held_by,
                            lease_until=lease_until,
                        )
                    )
                    ids.append(post.id)
            return ids
        finally:
            await db.dispose()

    return list(run_async(write()))
