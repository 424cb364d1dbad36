"""Unpublishing: taking a target's posted segments down from its platform, with publishing's guarantees.

The work is one `unpublish` row per target, claimed under a lease by one statement (SKIP LOCKED on PostgreSQL),
like a publish. Segments go replies first, the main post last; each delete is recorded in the ledger
(delivery.deleted_at) right after the platform confirmed it, so a worker that dies is followed by one that deletes
what is left (a repeated delete of the one in flight is harmless: "already gone" is success by the adapters'
contract). A rate limit waits for the platform's time, a transient failure backs off, a refusal ends the row as
failed with the platform's reason — never half-done silently.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from adapters.base import AdapterError, DeletesPost, RateLimited, Transient
from adapters.registry import UnsupportedPlatform
from octopost.accounts import repository as accounts_repo
from octopost.accounts.factory import adapter_for_account
from octopost.db import Database, utcnow
from octopost.posts.tables import Delivery, Post, Target, Unpublish
from octopost.posts.unpublish import cannot_delete
from octopost.runtime import Runtime
from scheduler import ledger

log = logging.getLogger("octopost.scheduler")

_unpublish = Unpublish.__table__  # type: ignore[attr-defined]
_delivery = Delivery.__table__  # type: ignore[attr-defined]
_BATCH = 16
_MAX_BACKOFF = timedelta(hours=1)


class _Lost(Exception):
    """Another worker holds the row now: stop without writing."""


async def claim(db: Database, owner: str, now: datetime, lease: timedelta, limit: int = _BATCH) -> list[str]:
    """Target ids whose unpublish is due (or whose holder's lease ran out), now ours under a lease."""
    due = or_(
        and_(_unpublish.c.state == "pending", _unpublish.c.due_at <= now),
        and_(_unpublish.c.state == "running", _unpublish.c.lease_until < now),
    )
    async with db.transaction() as session:
        candidates = select(_unpublish.c.target_id).where(due).order_by(_unpublish.c.due_at).limit(limit)
        if db.dialect == "postgresql":
            candidates = candidates.with_for_update(skip_locked=True)
        ids = list((await session.exec(candidates)).all())
        if not ids:
            return []
        taken = await session.exec(
            update(_unpublish)
            .where(_unpublish.c.target_id.in_(ids))
            .values(state="running", lease_owner=owner, lease_until=now + lease)
            .returning(_unpublish.c.target_id)
        )
        return [row[0] for row in taken.all()]


async def _fenced(session: AsyncSession, target_id: str, owner: str, **values: object) -> None:
    """Write ``values`` to the unpublish row while it is ours (with none, rewrite the owner: the row is locked
    and proven ours for the rest of the transaction); _Lost when another worker holds it."""
    result = await session.exec(
        update(_unpublish)
        .where(_unpublish.c.target_id == target_id, _unpublish.c.lease_owner == owner)
        .values(**(values or {"lease_owner": owner}))
    )
    if not result.rowcount:
        raise _Lost(target_id)


async def _write(db: Database, target_id: str, owner: str, **values: object) -> None:
    async with db.transaction() as session:
        await _fenced(session, target_id, owner, **values)


async def _deleted(db: Database, target_id: str, owner: str, index: int) -> None:
    """One segment is gone from the platform: recorded at once (fenced: only while the row is ours)."""
    async with db.transaction() as session:
        await _fenced(session, target_id, owner)
        await session.exec(
            update(_delivery)
            .where(_delivery.c.target_id == target_id, _delivery.c.segment_index == index)
            .values(deleted_at=utcnow())
        )


async def _finish(db: Database, target_id: str, owner: str, state: str, error: str | None) -> None:
    await _write(
        db, target_id, owner, state=state, error=error, lease_owner=None, lease_until=None, finished_at=utcnow()
    )


async def unpublish_target(runtime: Runtime, target_id: str, owner: str) -> None:
    db = runtime.db
    async with db.session() as session:
        target = await session.get(Target, target_id)
        post = await session.get(Post, target.post_id) if target is not None else None
        row = await session.get(Unpublish, target_id)
        account = None
        if target is not None and post is not None and target.account_id is not None:
            account = await accounts_repo.get(session, post.workspace_id, target.account_id, is_test=post.is_test)
        left = [
            d
            for d in (await ledger.deliveries(session, target_id)).values()
            if d.state == ledger.SENT and d.deleted_at is None
        ]
    if target is None or post is None or row is None:
        return
    if account is None:
        await _finish(db, target_id, owner, "failed", "The account it was published through is no longer connected")
        return
    try:
        adapter = adapter_for_account(runtime, account, sandbox=post.is_test)
    except UnsupportedPlatform as exc:
        await _finish(db, target_id, owner, "failed", str(exc))
        return
    try:
        if not isinstance(adapter, DeletesPost):
            await _finish(db, target_id, owner, "failed", cannot_delete(adapter.info.name))
            return
        for delivery in sorted(left, key=lambda d: d.segment_index, reverse=True):  # replies first, main last
            await adapter.delete(ledger.ref_of(delivery))
            await _deleted(db, target_id, owner, delivery.segment_index)
        await _finish(db, target_id, owner, "done", None)
        log.info("target unpublished", extra={"post_id": post.id, "target_id": target_id})
    except AdapterError as exc:
        await _react(db, target_id, owner, row.attempts, exc)
    except _Lost:
        log.warning("unpublish lease lost; another worker continues", extra={"target_id": target_id})
    finally:
        await adapter.aclose()


async def _react(db: Database, target_id: str, owner: str, attempts: int, exc: AdapterError) -> None:
    if isinstance(exc, RateLimited | Transient):
        wait = exc.retry_after if isinstance(exc, RateLimited) and exc.retry_after else 30.0 * 2**attempts
        at = utcnow() + min(timedelta(seconds=wait), _MAX_BACKOFF)
        released = {"lease_owner": None, "lease_until": None}
        await _write(
            db, target_id, owner, state="pending", due_at=at, attempts=attempts + 1, error=exc.message, **released
        )
        return
    await _finish(db, target_id, owner, "failed", exc.message)


async def tick(runtime: Runtime, owner: str) -> None:
    """The ticker's job: claim what is due and take it down (a few at a time; the next tick takes the rest)."""
    try:
        lease = timedelta(seconds=runtime.settings.lease_seconds)
        for target_id in await claim(runtime.db, owner, utcnow(), lease):
            await unpublish_target(runtime, target_id, owner)
    except Exception:
        log.exception("unpublish tick failed")
