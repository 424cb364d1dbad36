"""One publish at a time per account, across every worker, for platforms that keep per-user state between the
calls of one post (PlatformInfo.one_publish_at_a_time). A row per held account, taken with one upsert that only
succeeds when the row is free or expired; a worker that cannot take it reschedules its target shortly instead of
waiting (no worker sleeps holding a slot)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_

from octopost.accounts.tables import AccountLock
from octopost.db import Database, upsert_insert, utcnow

_lock = AccountLock.__table__  # type: ignore[attr-defined]


async def acquire(db: Database, account_id: str, holder: str, until: datetime) -> bool:
    """Take the account's lock until ``until``; False when someone else holds it (and it has not expired)."""
    now = utcnow()
    async with db.transaction() as session:
        insert = upsert_insert(session, _lock).values(account_id=account_id, holder=holder, until=until)
        taken = insert.on_conflict_do_update(
            index_elements=[_lock.c.account_id],
            set_={"holder": holder, "until": until},
            where=or_(_lock.c.until < now, _lock.c.holder == holder),
        ).returning(_lock.c.account_id)
        return (await session.exec(taken)).first() is not None


async def release(db: Database, account_id: str, holder: str) -> None:
    async with db.transaction() as session:
        await session.exec(delete(_lock).where(_lock.c.account_id == account_id, _lock.c.holder == holder))
