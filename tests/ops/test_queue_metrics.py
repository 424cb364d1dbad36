"""The queue gauges come from the shared database at scrape time, so a process that runs no scheduler (here
`octopost serve --no-scheduler`) reports work that waits for the others; and a worker that takes over a dead
worker's expired lease counts it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from octopost.db import utcnow
from tests.ops.scrape import scrape, value
from tests.ops.seeding import seed_targets
from tests.peers.app import OctopostProcess, make_octopost
from tests.peers.ports import wait_until


@pytest.fixture(scope="module")
def api_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OctopostProcess]:
    service = make_octopost(tmp_path_factory.mktemp("ops-api-only"), OCTOPOST_OVERDUE_ALERT_SECONDS="300")
    service.start("--no-scheduler")
    yield service
    service.stop()


def test_due_and_overdue_work_is_reported_by_a_process_without_a_scheduler(api_only: OctopostProcess) -> None:
    now = utcnow()
    seed_targets(api_only.database_url, "mastodon", [now - timedelta(seconds=s) for s in (900, 600, 5, 1)])
    seed_targets(api_only.database_url, "bluesky", [now + timedelta(hours=1)])  # scheduled, not due yet
    # A dead worker's target, its lease expired 400 s ago: due again, and overdue.
    expired = now - timedelta(seconds=400)
    seed_targets(api_only.database_url, "bluesky", [now - timedelta(hours=1)], held_by="dead:1:0", lease_until=expired)

    samples = scrape(api_only.url, token=None)

    assert value(samples, "octopost_queue_due_targets") == 5
    assert value(samples, "octopost_queue_overdue_targets") == 3  # waiting longer than the 300 s alert
    oldest = value(samples, "octopost_queue_oldest_overdue_seconds")
    assert 900 <= oldest < 900 + 60


def test_a_lease_takeover_is_counted_by_the_worker_that_takes_over(octopost: OctopostProcess) -> None:
    now = utcnow()
    expired = now - timedelta(seconds=1)
    due = [now - timedelta(minutes=5)]
    seed_targets(octopost.database_url, "mastodon", due, held_by="dead:2:0", lease_until=expired)

    def taken_over() -> bool:
        return value(scrape(octopost.url, token=None), "octopost_lease_takeovers_total", platform="mastodon") == 1

    wait_until(taken_over, timeout=30, what="the takeover of the expired lease")
    # The seeded post has no account to publish through: it fails, and the queue is empty again.
    wait_until(
        lambda: value(scrape(octopost.url, token=None), "octopost_queue_due_targets") == 0,
        timeout=30,
        what="the taken-over target to finish",
    )
