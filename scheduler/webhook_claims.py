"""The webhook sender's database side: claim due deliveries under a lease (the same single-statement claim
as targets), load what to send, and settle each attempt fenced by that lease."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from octopost.db import Database
from octopost.webhooks.repository import DELIVERED, FAILED, PENDING, SENDING, stop_pending
from octopost.webhooks.tables import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent

log = logging.getLogger("octopost.webhooks")

_delivery = WebhookDelivery.__table__  # type: ignore[attr-defined]
_endpoint = WebhookEndpoint.__table__  # type: ignore[attr-defined]
_event = WebhookEvent.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Outgoing:
    """One claimed delivery, ready to send."""

    delivery_id: str
    attempt: int  # the number of the attempt about to be made (1-based)
    event_id: str
    event_type: str
    payload: str
    endpoint_id: str
    url: str
    secret_encrypted: str


@dataclass(frozen=True)
class Outcome:
    """What the receiver made of one attempt."""

    delivered: bool
    status_code: int | None
    error: str | None
    duration_ms: int
    gone: bool = False  # HTTP 410: the receiver asks never to be called again
    retry_after: float | None = None


async def claim_due(db: Database, owner: str, now: datetime, lease: timedelta, limit: int) -> list[str]:
    """Claim up to ``limit`` deliveries of active endpoints that are due, or whose holder's lease expired."""
    if limit <= 0:
        return []
    due = (
        select(_delivery.c.id)
        .join(_endpoint, _endpoint.c.id == _delivery.c.endpoint_id)
        .where(
            _endpoint.c.is_active.is_(True),
            or_(
                and_(_delivery.c.status == PENDING, _delivery.c.next_attempt_at <= now),
                and_(_delivery.c.status == SENDING, _delivery.c.lease_until < now),
            ),
        )
        .order_by(_delivery.c.next_attempt_at)
        .limit(limit)
    )
    if db.dialect == "postgresql":
        due = due.with_for_update(skip_locked=True, of=_delivery)
    claim = (
        update(_delivery)
        .where(_delivery.c.id.in_(due.scalar_subquery()))
        .values(status=SENDING, lease_owner=owner, lease_until=now + lease)
        .returning(_delivery.c.id)
    )
    async with db.transaction() as session:
        return [row[0] for row in (await session.execute(claim)).all()]


async def load(db: Database, delivery_id: str, owner: str) -> Outgoing | None:
    async with db.session() as session:
        row = (
            await session.execute(
                select(
                    _delivery.c.attempts,
                    _event.c.id,
                    _event.c.type,
                    _event.c.payload,
                    _endpoint.c.id,
                    _endpoint.c.url,
                    _endpoint.c.secret_encrypted,
                )
                .join(_event, _event.c.id == _delivery.c.event_id)
                .join(_endpoint, _endpoint.c.id == _delivery.c.endpoint_id)
                .where(
                    _delivery.c.id == delivery_id,
                    _delivery.c.lease_owner == owner,
                    _delivery.c.status == SENDING,
                )
            )
        ).first()
    if row is None:
        return None
    attempts, event_id, event_type, payload, endpoint_id, url, secret = row
    return Outgoing(delivery_id, attempts + 1, event_id, event_type, payload, endpoint_id, url, secret)


async def _fenced(session: AsyncSession, delivery_id: str, owner: str) -> bool:
    held = await session.execute(
        select(_delivery.c.id)
        .where(_delivery.c.id == delivery_id, _delivery.c.lease_owner == owner, _delivery.c.status == SENDING)
        .with_for_update()
    )
    return held.first() is not None


async def settle(
    db: Database,
    outgoing: Outgoing,
    owner: str,
    outcome: Outcome,
    now: datetime,
    retry_at: datetime | None,
    disable_after: int,
) -> None:
    """Record the attempt; mark the delivery delivered, due again at ``retry_at``, or failed; keep the
    endpoint's failure run, and disable the endpoint on 410 or when the run reaches ``disable_after``."""
    context = {"delivery_id": outgoing.delivery_id, "event_id": outgoing.event_id, "endpoint_id": outgoing.endpoint_id}
    async with db.transaction() as session:
        if not await _fenced(session, outgoing.delivery_id, owner):
            log.warning("webhook lease lost; another worker owns this delivery now", extra=context)
            return
        if outcome.delivered:
            await session.execute(
                update(_endpoint).where(_endpoint.c.id == outgoing.endpoint_id).values(consecutive_failures=0)
            )
            retry_at = None
        else:
            retry_at = await _count_failure(session, outgoing, outcome, now, retry_at, disable_after, context)
        values: dict[str, object] = {"attempts": outgoing.attempt, "lease_owner": None, "lease_until": None}
        if outcome.delivered:
            values.update(status=DELIVERED, last_error=None, next_attempt_at=None, finished_at=now)
        elif retry_at is not None:
            values.update(status=PENDING, last_error=outcome.error, next_attempt_at=retry_at)
        else:
            values.update(status=FAILED, last_error=outcome.error, next_attempt_at=None, finished_at=now)
        await session.execute(update(_delivery).where(_delivery.c.id == outgoing.delivery_id).values(**values))
        session.add(
            WebhookAttempt(
                delivery_id=outgoing.delivery_id,
                endpoint_id=outgoing.endpoint_id,
                event_id=outgoing.event_id,
                event_type=outgoing.event_type,
                attempt=outgoing.attempt,
                status_code=outcome.status_code,
                error=outcome.error,
                duration_ms=outcome.duration_ms,
                attempted_at=now,
                next_retry_at=retry_at,
            )
        )


async def _count_failure(
    session: AsyncSession,
    outgoing: Outgoing,
    outcome: Outcome,
    now: datetime,
    retry_at: datetime | None,
    disable_after: int,
    context: dict[str, str],
) -> datetime | None:
    """Lengthen the endpoint's failure run (atomically); disable it when it must. Returns the retry time left."""
    run, active = (
        await session.execute(
            update(_endpoint)
            .where(_endpoint.c.id == outgoing.endpoint_id)
            .values(consecutive_failures=_endpoint.c.consecutive_failures + 1)
            .returning(_endpoint.c.consecutive_failures, _endpoint.c.is_active)
        )
    ).one()
    if not active:
        return None  # disabled meanwhile: its deliveries stop
    reason = None
    if outcome.gone:
        reason = "the endpoint answered 410 Gone"
    elif run >= disable_after:
        reason = f"{run} consecutive failed attempts"
    if reason is None:
        return retry_at
    await session.execute(
        update(_endpoint)
        .where(_endpoint.c.id == outgoing.endpoint_id)
        .values(is_active=False, disabled_reason=reason, updated_at=now)
    )
    await stop_pending(session, outgoing.endpoint_id, f"endpoint disabled: {reason}", now)
    log.warning("webhook endpoint disabled: %s", reason, extra=context)
    return None
