"""How the pipeline reacts to what a platform answers, read from the target row as well as the API: a 429 waits
for the platform's Retry-After without counting as an attempt; a write whose answer was lost on a platform
without idempotency (X) is unconfirmed at once, not retried into a duplicate nor left to end `failed`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake, running_fake
from tests.peers.app import OctopostProcess, make_octopost
from tests.peers.databases import fetch
from tests.scheduler.flows import connect, publish, wait_for, wait_for_status


@pytest.fixture
def service(tmp_path: Path) -> Iterator[OctopostProcess]:
    # One attempt only: an in-doubt segment rescheduled as transient would end `failed` (the old behaviour).
    running = make_octopost(tmp_path, OCTOPOST_MAX_ATTEMPTS="1").start()
    yield running
    running.stop()


def target_row(service: OctopostProcess, post_id: str) -> tuple:
    rows = fetch(
        service.database_url,
        "SELECT status, attempts, next_attempt_at, error_category, error FROM target WHERE post_id = :post",
        post=post_id,
    )
    assert len(rows) == 1
    return rows[0]


def test_a_429_reschedules_the_target_at_retry_after_without_spending_an_attempt(
    service: OctopostProcess, tmp_path: Path
) -> None:
    limited = Conditions(fault_rate=1.0, faults=["429"], retry_after_seconds=900)
    with running_fake("mastodon", tmp_path, limited) as mastodon:
        api = service.client()
        connect(api, "mastodon", mastodon.url, {"access_token": "rate-limited"})
        before = datetime.now(UTC)
        post_id = publish(api, "mastodon", "wait for the platform")
        wait_for(lambda: target_row(service, post_id)[3] is not None, timeout=30, what="the 429 recorded")
        status, attempts, next_attempt_at, category, _ = target_row(service, post_id)
        assert (status, category) == ("pending", "rate_limited")  # waiting for the platform, not given up
        assert attempts == 0  # a 429 is not a failed attempt
        due = datetime.fromisoformat(str(next_attempt_at))  # SQLite hands back text, PostgreSQL a datetime
        due = due if due.tzinfo else due.replace(tzinfo=UTC)
        assert 895 <= (due - before).total_seconds() <= 960  # Retry-After: 900, from the platform
        assert api.get(f"/v1/posts/{post_id}").json()["status"] == "publishing"  # still on its way
        assert mastodon.created() == []
        assert mastodon.stats()["fault_429"] >= 1


def test_a_lost_answer_from_x_is_unconfirmed_at_once_and_never_resent(
    service: OctopostProcess, tmp_path: Path
) -> None:
    lost = Conditions(fault_rate=1.0, faults=["reset_after"], fault_paths=["/2/tweets"])  # applied, then cut
    with running_fake("twitter", tmp_path, lost) as x:
        api = service.client()
        connect(api, "twitter", x.url, {"access_token": "answer-lost"})
        post_id = publish(api, "twitter", "did it land?")
        done = wait_for_status(api, post_id, "published", "failed", timeout=60)
        result = done["platform_results"]["twitter"]
        assert result["success"] is False
        assert result["status"] == "unconfirmed", result
        assert "not sent again to avoid a duplicate" in result["error"]
        assert target_row(service, post_id)[0] == "unconfirmed"
        assert_one_tweet(x, "did it land?")


def assert_one_tweet(x: RunningFake, text: str) -> None:
    assert [item["text"] for item in x.created()] == [text]  # on X once: the segment was not posted again
