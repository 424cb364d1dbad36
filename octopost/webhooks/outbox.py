"""The outbox: an event and its deliveries are written in the caller's transaction, beside the status
change they announce, so an event is sent if and only if that change committed."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import msgspec
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from octopost.accounts.tables import Account
from octopost.accounts.views import to_read as account_read
from octopost.db import utcnow
from octopost.ids import new_id
from octopost.posts import repository as posts_repo
from octopost.posts.tables import Post
from octopost.posts.views import to_read as post_read
from octopost.webhooks.events import EventType, encode_envelope
from octopost.webhooks.tables import WebhookDelivery, WebhookEndpoint, WebhookEvent

log = logging.getLogger("octopost.webhooks")


async def record_event(
    session: AsyncSession,
    workspace_id: str,
    is_test: bool,
    type: EventType,
    data: dict[str, Any],
    now: datetime | None = None,
) -> None:
    """Queue ``type`` for every active endpoint of the workspace and mode subscribed to it (nothing when none
    is): a test post's events go to test endpoints only, a live one's to live endpoints only."""
    subscribed = await _subscribed(session, workspace_id, is_test, type)
    if subscribed:
        await _queue(session, workspace_id, type, subscribed, data, now or utcnow())


async def record_post_event(session: AsyncSession, type: EventType, post: Post) -> None:
    """``data.post`` is the post exactly as GET /v1/posts/{id} shows it, read inside this transaction. Built only
    when some endpoint is subscribed: reading every target and delivery of a post is most of what it costs. The
    event's time is the post's ``updated_at``: the change it announces (one clock read for both)."""
    subscribed = await _subscribed(session, post.workspace_id, post.is_test, type)
    if not subscribed:
        return
    targets = (await posts_repo.targets_by_post(session, [post.id])).get(post.id, [])
    deliveries = await posts_repo.deliveries_by_target(session, [t.id for t in targets])
    view = post_read(post, targets, deliveries)
    data = {"post": msgspec.to_builtins(view)}
    await _queue(session, post.workspace_id, type, subscribed, data, post.updated_at)


async def has_subscribers(session: AsyncSession, workspace_id: str, is_test: bool, type: EventType) -> bool:
    """Whether record_post_event would queue anything (a bulk write asks once, not per post)."""
    return bool(await _subscribed(session, workspace_id, is_test, type))


async def _subscribed(session: AsyncSession, workspace_id: str, is_test: bool, type: EventType) -> list[str]:
    endpoints = (
        await session.exec(
            select(WebhookEndpoint.id, WebhookEndpoint.events).where(
                WebhookEndpoint.workspace_id == workspace_id,
                WebhookEndpoint.is_test == is_test,
                col(WebhookEndpoint.is_active).is_(True),
            )
        )
    ).all()
    return [endpoint_id for endpoint_id, events in endpoints if type.value in events]


async def _queue(
    session: AsyncSession,
    workspace_id: str,
    type: EventType,
    subscribed: list[str],
    data: dict[str, Any],
    now: datetime,
) -> None:
    event_id = new_id("evt")
    payload = encode_envelope(event_id, type.value, now, data)
    event = WebhookEvent(id=event_id, workspace_id=workspace_id, type=type.value, payload=payload, created_at=now)
    session.add(event)
    await session.flush()  # the event row before the rows that reference it
    session.add_all(
        WebhookDelivery(
            id=new_id("whd"), event_id=event.id, endpoint_id=endpoint_id, next_attempt_at=now, created_at=now
        )
        for endpoint_id in subscribed
    )
    log.info("webhook event queued", extra={"event_id": event.id, "type": type.value, "endpoints": len(subscribed)})


async def record_account_event(
    session: AsyncSession, type: EventType, account: Account, extra: dict[str, Any] | None = None
) -> None:
    data = {"account": msgspec.to_builtins(account_read(account)), **(extra or {})}
    await record_event(session, account.workspace_id, account.is_test, type, data)
