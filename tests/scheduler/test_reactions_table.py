"""Every error class of the taxonomy meets its reaction (scheduler/reactions.py), driven in-process through the real
publisher, ledger and outcome writes with a scripted adapter (tests/scheduler/in_process.py): what the target row,
the account and the ledger say afterwards, and what the user reads in platform_results."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from adapters.base import (
    AuthExpired,
    MediaRejected,
    OutcomeUnknown,
    RateLimited,
    ReauthRequired,
    Rejected,
    ThreadMode,
    Transient,
)
from octopost.db import utcnow
from octopost.posts.views import platform_result
from scheduler import account_locks
from tests.scheduler.in_process import BASE_INFO, Script, aware, migrated_sqlite, scripted, stage


@pytest.fixture
def url(tmp_path: Path) -> str:
    return migrated_sqlite(tmp_path)


async def test_auth_expired_refreshes_once_saves_the_new_credentials_and_publishes(url: str, tmp_path: Path) -> None:
    script = Script(answers=[AuthExpired("token expired")])
    async with stage(url, tmp_path) as s:
        post = await s.post("hello")
        target = await s.publish(post, scripted(BASE_INFO, script, refreshes=True))
        account = await s.account()
        assert target.status == "succeeded"
        assert script.refreshes == 1
        assert s.runtime.cipher.decrypt(account.credentials_encrypted) == {"access_token": "refreshed-1"}
        assert len(script.requests) == 2
        assert script.requests[0].idempotency_key == script.requests[1].idempotency_key  # the same segment


async def test_auth_expired_after_a_refresh_asks_the_user_to_reconnect(url: str, tmp_path: Path) -> None:
    script = Script(answers=[AuthExpired("token expired"), AuthExpired("still expired")], refresh_fixes=False)
    async with stage(url, tmp_path) as s:
        post = await s.post("hello")
        target = await s.publish(post, scripted(BASE_INFO, script, refreshes=True))
        assert (target.status, target.error_category) == ("failed", "reauth_required")
        assert target.error == "still expired. Reconnect your Mastodon account."
        assert script.refreshes == 1  # once, never a loop
        assert (await s.account()).is_active is False


@pytest.mark.parametrize("error", [ReauthRequired("token revoked"), AuthExpired("no refresh here")])
async def test_refused_credentials_fail_the_target_and_deactivate_the_account(
    url: str, tmp_path: Path, error: Exception
) -> None:
    script = Script(answers=[error])  # type: ignore[list-item]
    async with stage(url, tmp_path) as s:
        post = await s.post("hello")
        target = await s.publish(post, scripted(BASE_INFO, script))
        assert (target.status, target.error_category) == ("failed", "reauth_required")
        assert "Reconnect your Mastodon account" in (target.error or "")
        assert (await s.account()).is_active is False
        assert await s.post_status(post) == "failed"


async def test_a_rate_limit_waits_for_the_platform_without_spending_an_attempt(url: str, tmp_path: Path) -> None:
    script = Script(answers=[RateLimited("slow down", retry_after=900)])
    async with stage(url, tmp_path) as s:
        post = await s.post("hello")
        before = utcnow()
        target = await s.publish(post, scripted(BASE_INFO, script))
        assert (target.status, target.attempts, target.error_category) == ("pending", 0, "rate_limited")
        assert target.next_attempt_at is not None
        wait = (aware(target.next_attempt_at) - before).total_seconds()
        assert 899 <= wait <= 905
        assert await s.ledger(target) == []  # not applied: the next attempt starts the segment afresh
        assert await s.post_status(post) == "publishing"


@pytest.mark.parametrize(
    ("error", "category"),
    [(Rejected("the platform refused it"), "rejected"), (MediaRejected("image 1 is too large"), "media")],
)
async def test_a_refusal_fails_the_target_with_its_category_in_platform_results(
    url: str, tmp_path: Path, error: Rejected, category: str
) -> None:
    script = Script(answers=[error])
    async with stage(url, tmp_path) as s:
        post = await s.post("hello")
        target = await s.publish(post, scripted(BASE_INFO, script))
        assert (target.status, target.error_category) == ("failed", category)
        result = platform_result(target, [])
        assert (result.success, result.error, result.error_category) == (False, error.message, category)
        assert (await s.account()).is_active is True  # the account is fine; the content was refused


async def test_transient_failures_are_retried_inside_the_attempt_then_rescheduled(url: str, tmp_path: Path) -> None:
    script = Script(answers=[Transient("the platform answered 503")] * 3)
    async with stage(url, tmp_path) as s:
        post = await s.post("hello")
        target = await s.publish(post, scripted(BASE_INFO, script))
        assert len(script.requests) == 3  # three tries inside the attempt
        assert (target.status, target.attempts, target.error_category) == ("pending", 1, "transient")
        assert target.next_attempt_at is not None
        backoff = (aware(target.next_attempt_at) - utcnow()).total_seconds()
        assert 0 < backoff <= s.runtime.settings.retry_base_seconds
        assert await s.ledger(target) == []


async def test_a_transient_failure_then_success_resends_under_the_same_key(url: str, tmp_path: Path) -> None:
    script = Script(answers=[Transient("the platform answered 503")])
    async with stage(url, tmp_path) as s:
        post = await s.post("hello")
        target = await s.publish(post, scripted(BASE_INFO, script))
        assert target.status == "succeeded"
        assert len({r.idempotency_key for r in script.requests}) == 1


async def test_a_lost_answer_without_idempotency_is_unconfirmed_and_never_resent(url: str, tmp_path: Path) -> None:
    script = Script(answers=[OutcomeUnknown("no answer after sending")])
    async with stage(url, tmp_path) as s:
        post = await s.post("hello")
        target = await s.publish(post, scripted(BASE_INFO, script))
        assert (target.status, target.error_category) == ("unconfirmed", "outcome_unknown")
        assert len(script.requests) == 1
        assert platform_result(target, []).status == "unconfirmed"


async def test_a_lost_answer_on_an_idempotent_platform_is_resent_under_the_same_key(url: str, tmp_path: Path) -> None:
    info = replace(BASE_INFO, idempotent_publish=True, idempotency_window_seconds=3600)
    script = Script(answers=[OutcomeUnknown("no answer after sending")])
    async with stage(url, tmp_path) as s:
        post = await s.post("hello")
        target = await s.publish(post, scripted(info, script))
        assert target.status == "succeeded"
        assert [r.idempotency_key for r in script.requests] == [script.requests[0].idempotency_key] * 2
        [(index, state, remote_id, key)] = await s.ledger(target)
        assert (index, state, remote_id, key) == (0, "sent", "remote-2", script.requests[0].idempotency_key)


async def test_one_publish_at_a_time_waits_for_the_account_without_calling_the_platform(
    migrated_database_url: str, tmp_path: Path
) -> None:
    """On both dialects: a platform that takes one publish per account at a time (ColibriSM) finds the account's
    lock held by another worker: the target is rescheduled shortly and nothing is sent; once free, it publishes."""
    info = replace(BASE_INFO, one_publish_at_a_time=True, thread_mode=ThreadMode.NATIVE_REPLY)
    script = Script()
    async with stage(migrated_database_url, tmp_path) as s:
        post = await s.post("hello", segments=["reply"])
        assert await account_locks.acquire(
            s.runtime.db, s.account_id, "another/worker", utcnow() + timedelta(seconds=60)
        )
        waiting = await s.publish(post, scripted(info, script))
        assert (waiting.status, waiting.attempts, waiting.error_category) == ("pending", 0, "rate_limited")
        assert "one post at a time per account" in (waiting.error or "")
        assert script.requests == []
        assert not await account_locks.acquire(s.runtime.db, s.account_id, "a third/worker", utcnow())
        await account_locks.release(s.runtime.db, s.account_id, "another/worker")
        assert waiting.next_attempt_at is not None
        done = await s.publish(post, scripted(info, script), at=aware(waiting.next_attempt_at))
        assert done.status == "succeeded"
        assert len(script.requests) == 2
        # Released after each call: another worker may take the account right away.
        assert await account_locks.acquire(s.runtime.db, s.account_id, "a third/worker", utcnow())


async def test_an_expired_account_lock_is_taken_over(migrated_database_url: str, tmp_path: Path) -> None:
    async with stage(migrated_database_url, tmp_path) as s:
        db, account = s.runtime.db, s.account_id
        assert await account_locks.acquire(db, account, "dead/worker", utcnow() - timedelta(seconds=1))
        assert await account_locks.acquire(db, account, "live/worker", utcnow() + timedelta(seconds=60))
        assert not await account_locks.acquire(db, account, "dead/worker", utcnow() + timedelta(seconds=60))
        await account_locks.release(db, account, "dead/worker")  # not its lock any more: a no-op
        assert not await account_locks.acquire(db, account, "other/worker", utcnow() + timedelta(seconds=60))
