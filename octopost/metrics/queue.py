"""The queue as the shared database sees it, read at each scrape: every process reports the same truth, whichever
process the scrape reaches (a worker's counters are its own; the queue is everyone's)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import and_, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from octopost.db import Database
from octopost.posts import repository
from octopost.posts.state import TargetStatus
from octopost.posts.tables import Target


@dataclass(frozen=True)
class QueueSnapshot:
    due: int  # waiting for a worker now: pending past their time, or held under an expired lease
    overdue: int  # of those, waiting longer than OCTOPOST_OVERDUE_ALERT_SECONDS (what turns /healthz 503)
    oldest_overdue_seconds: float  # how long the longest-waiting of them has waited (0: none)


async def _waiting_since(session: AsyncSession, since: datetime) -> int:
    """Due work that came due (or whose lease ran out) at or before ``since``: each kind counted through its own
    index, ix_target_due (status, next_attempt_at) and ix_target_lease (status, lease_until)."""
    kinds = [
        and_(col(Target.status) == TargetStatus.PENDING, col(Target.next_attempt_at) <= since),
        and_(col(Target.status) == TargetStatus.PUBLISHING, col(Target.lease_until) < since),
    ]
    total = 0
    for kind in kinds:
        total += int((await session.exec(select(func.count()).select_from(Target).where(kind))).one())
    return total


async def read_queue(db: Database, now: datetime, overdue_after: timedelta) -> QueueSnapshot:
    async with db.session() as session:
        due = await _waiting_since(session, now)
        overdue = await _waiting_since(session, now - overdue_after)
        oldest = await repository.oldest_overdue(session, now)
    age = (now - oldest).total_seconds() if oldest is not None else 0.0
    return QueueSnapshot(due=due, overdue=overdue, oldest_overdue_seconds=max(age, 0.0))


class QueueCollector(Collector):
    """One scrape's snapshot as gauges."""

    def __init__(self, snapshot: QueueSnapshot) -> None:
        self.snapshot = snapshot

    def collect(self) -> Iterator[GaugeMetricFamily]:
        yield GaugeMetricFamily(
            "octopost_queue_due_targets",
            "Targets due now and not being published: pending past their time, or under an expired lease.",
            value=self.snapshot.due,
        )
        yield GaugeMetricFamily(
            "octopost_queue_overdue_targets",
            "Due targets that have waited longer than OCTOPOST_OVERDUE_ALERT_SECONDS.",
            value=self.snapshot.overdue,
        )
        yield GaugeMetricFamily(
            "octopost_queue_oldest_overdue_seconds",
            "How long the longest-waiting due target has waited (0 when nothing is due).",
            value=self.snapshot.oldest_overdue_seconds,
        )
