"""What happened to a post, oldest first: created, scheduled, each platform's sends (the delivery ledger), its
outcome, any unpublish, and the webhook events emitted about it with how their deliveries went."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from octopost.keys.service import Caller
from octopost.posts import repository
from octopost.posts.schemas import PostRead
from octopost.posts.tables import Delivery, Target
from octopost.runtime import Runtime
from octopost.timefmt import parse_aware
from octopost.webhooks.tables import WebhookDelivery, WebhookEvent

_MAX_EVENTS = 200


@dataclass(frozen=True)
class Moment:
    at: datetime
    what: str
    detail: str = ""


def _target_moments(target: Target, sends: list[Delivery]) -> list[Moment]:
    moments = []
    for send in sends:
        label = "main post" if send.segment_index == 0 else f"reply {send.segment_index}"
        moments.append(Moment(send.created_at, f"{target.platform}: sending the {label}", f"ledger: {send.state}"))
        if send.sent_at:
            moments.append(Moment(send.sent_at, f"{target.platform}: {label} posted", send.remote_url or ""))
    if target.finished_at:
        tries = f" after {target.attempts} attempt{'s' if target.attempts != 1 else ''}" if target.attempts else ""
        why = f"{target.error_category}: {target.error}" if target.error else ""
        moments.append(Moment(target.finished_at, f"{target.platform}: {target.status}{tries}", why))
    elif target.attempts:
        so_far = f"{target.platform}: {target.status}, {target.attempts} attempts so far"
        moments.append(Moment(target.created_at, so_far, target.error or ""))
    return moments


async def timeline(runtime: Runtime, caller: Caller, post: PostRead) -> list[Moment]:
    """``post`` was read through the posts service for ``caller``: it is the caller's."""
    moments = [Moment(parse_aware(post.created_at), "Created", "as a draft" if post.status == "draft" else "")]
    if post.scheduled_for:
        moments.append(Moment(parse_aware(post.updated_at), "Scheduled", f"for {post.scheduled_for}"))
    async with runtime.db.session() as session:
        targets = (await repository.targets_by_post(session, [post.id])).get(post.id, [])
        sends = await repository.deliveries_by_target(session, [t.id for t in targets])
        unpublishes = await repository.unpublishes_by_target(session, [t.id for t in targets])
        # Events name the post in their payload; a workspace's events are indexed, so this reads only its own.
        events = (
            await session.exec(
                select(WebhookEvent)
                .where(WebhookEvent.workspace_id == caller.workspace_id, col(WebhookEvent.payload).contains(post.id))
                .order_by(col(WebhookEvent.created_at))
                .limit(_MAX_EVENTS)
            )
        ).all()
        deliveries = (
            (
                await session.exec(
                    select(WebhookDelivery).where(col(WebhookDelivery.event_id).in_([e.id for e in events]))
                )
            ).all()
            if events
            else []
        )
    for target in targets:
        moments.extend(_target_moments(target, sends.get(target.id, [])))
        undo = unpublishes.get(target.id)
        if undo is not None:
            moments.append(Moment(undo.created_at, f"{target.platform}: unpublish {undo.state}", undo.error or ""))
    for event in events:
        outcomes = [f"{d.status} after {d.attempts} attempt(s)" for d in deliveries if d.event_id == event.id]
        detail = "; ".join(outcomes) or "no endpoint subscribed"
        moments.append(Moment(event.created_at, f"Webhook event {event.type}", detail))
    return sorted(moments, key=lambda moment: moment.at)
