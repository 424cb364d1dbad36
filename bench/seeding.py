"""Fill a database with many posts fast, straight through SQL (the API would take minutes for 100k).

The rows are the ones the API writes (a post; for a scheduled one, a pending target per platform with the
workspace's active account), so the service reads them exactly as if clients had made them. Inserts go in
chunks of a few thousand rows per statement and one transaction per chunk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from octopost.accounts.tables import Account
from octopost.db import Database, utcnow
from octopost.ids import new_id
from octopost.keys.tables import ApiKey
from octopost.posts.state import PostStatus, TargetStatus
from octopost.posts.tables import Post, Target

_CHUNK = 2000
# PostgreSQL takes at most 32,767 parameters in one statement: a multi-row INSERT is cut to fit.
_MAX_PARAMETERS = 32_767


async def workspace_of_key(database_url: str, secret: str) -> str:
    """The workspace id of the API key ``secret`` (found by its first 14 characters, as the key list shows them)."""
    db = Database(database_url)
    try:
        async with db.session() as session:
            row = (await session.exec(select(ApiKey.workspace_id).where(ApiKey.prefix == secret[:14]))).first()
    finally:
        await db.dispose()
    if row is None:
        raise LookupError("no such key")
    return str(row[0])


async def active_accounts(db: Database, workspace_id: str) -> dict[str, str]:
    async with db.session() as session:
        rows = await session.exec(
            select(Account.platform, Account.id).where(Account.workspace_id == workspace_id, Account.is_active)
        )
        return {str(platform): str(account_id) for platform, account_id in rows.all()}


async def seed_posts(
    database_url: str,
    workspace_id: str,
    count: int,
    *,
    platforms: Sequence[str],
    due: Callable[[int], datetime] | None = None,
    content: Callable[[int], str] = lambda n: f"seeded post {n}",
) -> list[str]:
    """Insert ``count`` posts; with ``due`` they are scheduled (post n due at ``due(n)``, with its targets),
    else drafts. created_at increases with n (post n-1 is the newest). Returns the post ids in order."""
    db = Database(database_url)
    ids: list[str] = []
    try:
        accounts = await active_accounts(db, workspace_id) if due else {}
        missing = [p for p in platforms if due and p not in accounts]
        if missing:
            raise LookupError(f"no active account for {missing} in {workspace_id}")
        start = utcnow() - timedelta(seconds=count)
        for first in range(0, count, _CHUNK):
            posts, targets = [], []
            for n in range(first, min(first + _CHUNK, count)):
                post_id = new_id("post")
                ids.append(post_id)
                created = start + timedelta(seconds=n)
                when = due(n) if due else None
                posts.append(
                    {
                        "id": post_id,
                        "workspace_id": workspace_id,
                        "is_test": False,
                        "content": content(n),
                        "platforms": list(platforms),
                        "status": PostStatus.SCHEDULED if when else PostStatus.DRAFT,
                        "scheduled_for": when,
                        "media": None,
                        "segments": None,
                        "created_at": created,
                        "updated_at": created,
                    }
                )
                if when:
                    targets += [
                        {
                            "id": new_id("tgt"),
                            "post_id": post_id,
                            "platform": platform,
                            "account_id": accounts[platform],
                            "status": TargetStatus.PENDING,
                            "attempts": 0,
                            "next_attempt_at": when,
                            "created_at": created,
                        }
                        for platform in platforms
                    ]
            async with db.transaction() as session:
                await _insert(session, Post, posts)
                await _insert(session, Target, targets)
    finally:
        await db.dispose()
    return ids


async def _insert(session: AsyncSession, table: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    per_statement = _MAX_PARAMETERS // len(rows[0])
    for first in range(0, len(rows), per_statement):
        await session.exec(insert(table).values(rows[first : first + per_statement]))  # type: ignore[call-overload]
