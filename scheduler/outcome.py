"""Recording how a target ended (fenced by the lease) and deriving its post's status from all targets."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from adapters.base import PublishedRef
from adapters.registry import UnsupportedPlatform, platform_info
from octopost.accounts.tables import Account
from octopost.db import Database, utcnow
from octopost.metrics import record
from octopost.posts import unpublish
from octopost.posts.state import PostStatus, TargetStatus, ensure_transition, status_from_targets
from octopost.posts.tables import Post, Target
from octopost.webhooks.events import EventType
from octopost.webhooks.outbox import record_account_event, record_post_event
from scheduler import ledger
from scheduler.claims import LeaseLost

log = logging.getLogger("octopost.scheduler")

_LAST_USED_RESOLUTION = timedelta(minutes=1)
# Updates go through the Core tables (as claims.py's do): an ORM-enabled UPDATE first searches the session for
# objects to keep in step, and no caller reads them back from that session.
_target = Target.__table__  # type: ignore[attr-defined]
_account = Account.__table__  # type: ignore[attr-defined]


async def _release(session: AsyncSession, target_id: str, owner: str, **values: object) -> None:
    result = await session.exec(
        update(_target)
        .where(
            _target.c.id == target_id,
            _target.c.lease_owner == owner,
            _target.c.status == TargetStatus.PUBLISHING,
        )
        .values(lease_owner=None, lease_until=None, **values)
    )
    if not result.rowcount:
        raise LeaseLost(target_id)


async def _release_followers(session: AsyncSession, post_id: str, now: datetime) -> None:
    """The targets waiting for the primary platform's (pending without a time) are due once it has ended, in the
    same commit: whether it succeeded (they link to it) or not (they go out without the link)."""
    await session.exec(
        update(_target)
        .where(
            _target.c.post_id == post_id,
            _target.c.status == TargetStatus.PENDING,
            _target.c.next_attempt_at.is_(None),
        )
        .values(next_attempt_at=now)
    )


async def _settle_post(session: AsyncSession, post_id: str, now: datetime) -> Post | None:
    """Lock the post, then derive its status from every target (so two finishing targets can't both miss).
    Returns the locked post (None when it is gone)."""
    post = (await session.exec(select(Post).where(Post.id == post_id).with_for_update())).first()
    if post is None or post.status != PostStatus.PUBLISHING:
        return post
    if post.primary_platform:
        await _release_followers(session, post_id, now)
    statuses = (await session.exec(select(Target.status).where(Target.post_id == post_id))).all()
    new = status_from_targets(statuses)
    if new == post.status:
        return post
    ensure_transition(post.status, new)
    post.status = new
    post.updated_at = now
    if new == PostStatus.PUBLISHED:
        post.published_at = now
    session.add(post)
    await record_post_event(session, EventType(f"post.{new.value}"), post)  # post.published | post.failed
    log.info("post %s", new.value, extra={"post_id": post_id, "status": new.value})
    return post


async def succeed(
    db: Database,
    target: Target,
    owner: str,
    main: PublishedRef,
    account_id: str | None,
    *,
    last_sent: tuple[int, PublishedRef] | None = None,
) -> None:
    """``last_sent``: the thread's last segment, recorded `sent` in this same commit (one write, not two, between
    the platform's last answer and `published`); kept even when the lease was lost, as ledger.mark_sent is."""
    lost = False
    now = utcnow()  # one clock read per write: the last segment's sent_at, finished_at, published_at
    async with db.transaction() as session:
        if last_sent is not None:
            await ledger.set_sent(session, target.id, *last_sent, now)
        try:
            await _release(
                session,
                target.id,
                owner,
                status=TargetStatus.SUCCEEDED,
                remote_id=main.id,
                remote_url=main.url,
                error=None,
                error_category=None,
                account_id=account_id,
                finished_at=now,
            )
        except LeaseLost:
            lost = True  # commit what is true whoever holds the lease (the sent row), nothing else
        else:
            if account_id:
                # A hint, written at most once a minute: every success of an account updating its one row would
                # queue all workers' successes on that row's lock (PostgreSQL) for the rest of the transaction.
                stale = or_(_account.c.last_used_at.is_(None), _account.c.last_used_at < now - _LAST_USED_RESOLUTION)
                await session.exec(update(_account).where(_account.c.id == account_id, stale).values(last_used_at=now))
            post = await _settle_post(session, target.post_id, now)
            if post is not None and post.unpublish_at is not None:
                await _unpublish_later(session, target, post.unpublish_at)
    if lost:
        raise LeaseLost(target.id)
    record.publish_ended(target.platform, TargetStatus.SUCCEEDED)


async def _unpublish_later(session: AsyncSession, target: Target, unpublish_at: datetime) -> None:
    """A post with unpublish_at: what just landed is taken down then — by the scheduler, in the same commit as the
    success, unless the platform was given the time with the post and does it itself (Ziik)."""
    try:
        if platform_info(target.platform).native_unpublish:
            return
    except UnsupportedPlatform:
        pass
    await unpublish.schedule(session, target, unpublish_at)


async def end(db: Database, target: Target, owner: str, status: TargetStatus, error: str, category: str) -> None:
    """A final failure (failed or unconfirmed): recorded with the message the user sees."""
    now = utcnow()
    async with db.transaction() as session:
        await _release(session, target.id, owner, status=status, error=error, error_category=category, finished_at=now)
        await _settle_post(session, target.post_id, now)
    record.publish_ended(target.platform, status, category)


async def reschedule(
    db: Database, target: Target, owner: str, at: datetime, error: str, category: str, *, count_attempt: bool
) -> None:
    async with db.transaction() as session:
        await _release(
            session,
            target.id,
            owner,
            status=TargetStatus.PENDING,
            next_attempt_at=at,
            error=error,
            error_category=category,
            attempts=target.attempts + (1 if count_attempt else 0),
        )
    record.publish_ended(target.platform, "retried", category)


async def wait_for_processing(db: Database, target: Target, owner: str, at: datetime) -> None:
    """The platform is processing what the target sent (its handle is in the ledger): the target lets go of its
    lease and comes back at ``at``. Not an attempt and not an error: waiting is the platform's normal way."""
    async with db.transaction() as session:
        await _release(
            session, target.id, owner, status=TargetStatus.PENDING, next_attempt_at=at, error=None, error_category=None
        )


async def deactivate_account(db: Database, account_id: str) -> None:
    async with db.transaction() as session:
        result = await session.exec(
            update(_account)
            .where(_account.c.id == account_id, _account.c.is_active)
            .values(is_active=False, disconnected_at=utcnow())
        )
        if result.rowcount:  # announced once, by whoever noticed first
            account = await session.get_one(Account, account_id)
            await record_account_event(session, EventType.ACCOUNT_DISCONNECTED, account)


async def save_credentials(db: Database, account_id: str, encrypted: str) -> None:
    async with db.transaction() as session:
        await session.exec(update(_account).where(_account.c.id == account_id).values(credentials_encrypted=encrypted))
