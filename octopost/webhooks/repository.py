"""Webhook endpoint and attempt queries, always scoped to a workspace."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from octopost.webhooks.tables import WebhookAttempt, WebhookDelivery, WebhookEndpoint

PENDING = "pending"
SENDING = "sending"
DELIVERED = "delivered"
FAILED = "failed"


async def get(session: AsyncSession, workspace_id: str, is_test: bool, endpoint_id: str) -> WebhookEndpoint | None:
    """The endpoint, if it belongs to this workspace and mode (another mode's is as unknown as another
    workspace's)."""
    return (
        await session.exec(
            select(WebhookEndpoint).where(
                WebhookEndpoint.id == endpoint_id,
                WebhookEndpoint.workspace_id == workspace_id,
                WebhookEndpoint.is_test == is_test,
            )
        )
    ).first()


async def list_all(session: AsyncSession, workspace_id: str, is_test: bool) -> list[WebhookEndpoint]:
    rows = await session.exec(
        select(WebhookEndpoint)
        .where(WebhookEndpoint.workspace_id == workspace_id, WebhookEndpoint.is_test == is_test)
        .order_by(col(WebhookEndpoint.created_at), col(WebhookEndpoint.id))
    )
    return list(rows.all())


async def recent_attempts(session: AsyncSession, endpoint_id: str, limit: int) -> list[WebhookAttempt]:
    rows = await session.exec(
        select(WebhookAttempt)
        .where(WebhookAttempt.endpoint_id == endpoint_id)
        .order_by(col(WebhookAttempt.attempted_at).desc(), col(WebhookAttempt.id).desc())
        .limit(limit)
    )
    return list(rows.all())


async def stop_pending(session: AsyncSession, endpoint_id: str, reason: str, now: datetime) -> None:
    """A disabled endpoint's queued deliveries end (one being sent right now is settled by its sender)."""
    await session.exec(
        update(WebhookDelivery)
        .where(col(WebhookDelivery.endpoint_id) == endpoint_id, col(WebhookDelivery.status) == PENDING)
        .values(status=FAILED, last_error=reason, next_attempt_at=None, finished_at=now)
    )
