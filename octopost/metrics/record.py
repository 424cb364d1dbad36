"""What the scheduler calls where something happens: one call per event, nothing to hold."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from octopost.metrics.registry import DISPATCH_LATENESS, LEASE_TAKEOVERS, PUBLISHES, WEBHOOK_DELIVERIES
from octopost.posts.state import TargetStatus

NO_ERROR = "none"


def publish_ended(platform: str, outcome: str, error_category: str | None = None) -> None:
    PUBLISHES.labels(platform=platform, outcome=outcome, error_category=error_category or NO_ERROR).inc()


def claimed(now: datetime, candidates: Iterable[Any], chosen: Collection[str]) -> None:
    """The rows a claim read (id, platform, status, next_attempt_at) and the ids it took: a pending target's
    lateness is now minus when it came due; one still `publishing` was another worker's, whose lease ran out."""
    for row in candidates:
        if row.id not in chosen:
            continue
        if row.status == TargetStatus.PUBLISHING:
            LEASE_TAKEOVERS.labels(platform=row.platform).inc()
        elif row.next_attempt_at is not None:
            late = (now - row.next_attempt_at).total_seconds()
            DISPATCH_LATENESS.labels(platform=row.platform).observe(max(late, 0.0))


def webhook_attempt(delivered: bool) -> None:
    WEBHOOK_DELIVERIES.labels(outcome="delivered" if delivered else "failed").inc()
