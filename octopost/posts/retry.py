"""POST /v1/posts/{id}/retry: a finished post publishes again on the platforms that failed, the others untouched.

A retried target goes back to `pending`, due now, and the scheduler takes it as any other: it resumes after its
last `sent` segment (a thread that got halfway is finished, not posted twice), and a `sending` row the platform can
resolve (look it up, or resend under the same key) is resolved as on a crash. An `unconfirmed` target is retried
only when the caller says so: its `sending` row is dropped, so that segment is sent again and may appear twice —
the risk the caller accepted with include_unconfirmed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import delete as sql_delete
from sqlalchemy import update as sql_update
from sqlmodel import col

from octopost.db import utcnow
from octopost.errors import Conflict
from octopost.keys.service import Caller
from octopost.posts import finished
from octopost.posts.schemas import PostRead, RetryRequest
from octopost.posts.state import Action, PostStatus, TargetStatus, ensure_transition
from octopost.posts.tables import Delivery, Target
from octopost.posts.views import to_read
from octopost.runtime import Runtime

log = logging.getLogger("octopost.posts")

_SENDING = "sending"  # scheduler/ledger.py's state of a call whose outcome is unknown


def _retryable(target: Target, include_unconfirmed: bool) -> bool:
    return target.status == TargetStatus.FAILED or (include_unconfirmed and target.status == TargetStatus.UNCONFIRMED)


async def retry(runtime: Runtime, caller: Caller, post_id: str, data: RetryRequest) -> PostRead:
    async with runtime.db.transaction() as session:
        locked = await finished.lock(session, caller, post_id, data.platforms)
        post, targets, wanted = locked.post, locked.targets, locked.wanted
        ensure_transition(post.status, PostStatus.PUBLISHING, Action.RETRY)
        chosen = [t for t in targets if t.platform in wanted and _retryable(t, data.include_unconfirmed)]
        if not chosen:
            raise Conflict("Nothing to retry: " + _why_not(targets, wanted), {"status": post.status})
        now = utcnow()
        ids = [t.id for t in chosen]
        if data.include_unconfirmed:
            await session.exec(
                sql_delete(Delivery).where(col(Delivery.target_id).in_(ids), col(Delivery.state) == _SENDING)
            )
        await session.exec(
            sql_update(Target)
            .where(col(Target.id).in_(ids))
            .values(
                status=TargetStatus.PENDING,
                next_attempt_at=now,
                attempts=0,
                error=None,
                error_category=None,
                finished_at=None,
            )
        )
        post.status = PostStatus.PUBLISHING
        post.updated_at = now
        session.add(post)
    runtime.wake()
    log.info("post retried", extra={"post_id": post_id, "platforms": sorted(t.platform for t in chosen)})
    return to_read(post, [], {})


def _why_not(targets: Sequence[Target], wanted: set[str]) -> str:
    """Each asked-for platform's state, so the caller sees what would be needed (include_unconfirmed)."""
    states = []
    for target in sorted(targets, key=lambda t: t.platform):
        if target.platform not in wanted:
            continue
        hint = " (add include_unconfirmed: true to post it again anyway)" if target.status == "unconfirmed" else ""
        states.append(f"{target.platform} is {target.status}{hint}")
    return "; ".join(states) or "no platform of the post was asked for"
