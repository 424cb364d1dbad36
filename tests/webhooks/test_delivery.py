"""Delivery over real HTTP: retries keep the event id and show in /deliveries, Retry-After is honoured, 410
disables at once, a run of failures disables, redirects are not followed, two workers never send twice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from tests.peers.app import OctopostProcess, make_octopost
from tests.peers.webhook_receiver import Inbox, Reply, WebhookReceiver
from tests.scheduler.flows import wait_for
from tests.webhooks.flows import (
    FAST_RETRIES,
    attempts,
    outbox,
    running_service,
    schedule_post,
    subscribe,
    wait_settled,
)

DISABLE_AFTER = 3


@pytest.fixture(scope="module")
def octopost(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OctopostProcess]:
    yield from running_service(tmp_path_factory, OCTOPOST_WEBHOOK_DISABLE_AFTER=str(DISABLE_AFTER))


@pytest.fixture
def inbox(webhook_receiver: WebhookReceiver) -> Inbox:
    return webhook_receiver.inbox()


def seconds_between(earlier: str, later: str) -> float:
    return (datetime.fromisoformat(later) - datetime.fromisoformat(earlier)).total_seconds()


def wait_until_disabled(api: httpx.Client, webhook_id: str) -> dict:
    wait_for(lambda: api.get(f"/v1/webhooks/{webhook_id}").json()["is_active"] is False, timeout=30, what="disable")
    return dict(api.get(f"/v1/webhooks/{webhook_id}").json())


def test_failures_are_retried_with_the_same_event_id_until_delivered(
    octopost: OctopostProcess, api: httpx.Client, inbox: Inbox
) -> None:
    webhook = subscribe(api, inbox, ["post.scheduled"])
    inbox.reply_with(Reply(500, body=b"receiver broke"), Reply(429, {"Retry-After": "1"}))
    post = schedule_post(api)
    assert [row[2:] for row in wait_settled(octopost, webhook["id"], 1)] == [("delivered", 3, None)]
    received = inbox.received
    assert [r.replied for r in received] == [500, 429, 204]
    assert all(r.verified for r in received)  # every attempt freshly signed
    assert {r.event_id for r in received} == {received[0].payload["id"]}  # the same evt_ every time
    assert {r.body for r in received} == {received[0].body}  # the same bytes every time
    assert received[0].payload["data"]["post"]["id"] == post["id"]
    assert received[2].at - received[1].at >= 0.95  # Retry-After: 1 was honoured (the backoff alone: 0.3 s)

    third, second, first = attempts(api, webhook["id"])  # newest first
    assert [a["attempt"] for a in (first, second, third)] == [1, 2, 3]
    assert {a["event_id"] for a in (first, second, third)} == {received[0].event_id}
    assert {a["event_type"] for a in (first, second, third)} == {"post.scheduled"}
    assert (first["status_code"], first["success"], first["error"]) == (500, False, "HTTP 500: receiver broke")
    assert 0 < seconds_between(first["attempted_at"], first["next_retry_at"]) < 1  # 50 ms ± jitter
    assert (second["status_code"], second["success"]) == (429, False)
    assert seconds_between(second["attempted_at"], second["next_retry_at"]) >= 1  # Retry-After
    assert (third["status_code"], third["success"], third["error"], third["next_retry_at"]) == (204, True, None, None)
    assert all(isinstance(a["duration_ms"], int) and a["duration_ms"] >= 0 for a in (first, second, third))
    assert api.get(f"/v1/webhooks/{webhook['id']}").json()["consecutive_failures"] == 0  # a success ends the run
    assert [a["attempt"] for a in attempts(api, webhook["id"], limit=1)] == [3]


def test_410_disables_at_once_and_stops_pending_deliveries(
    octopost: OctopostProcess, api: httpx.Client, inbox: Inbox
) -> None:
    webhook = subscribe(api, inbox, ["post.scheduled"])
    inbox.reply_with(Reply(429, {"Retry-After": "3600"}), Reply(410))
    schedule_post(api, "parked for an hour by Retry-After")
    wait_for(lambda: [r[2:4] for r in outbox(octopost, webhook["id"])] == [("pending", 1)], timeout=30, what="parking")
    schedule_post(api, "answered 410")
    inbox.wait(lambda seen: len(seen) == 2, what="the second event")
    disabled = wait_until_disabled(api, webhook["id"])
    assert "410" in disabled["disabled_reason"]
    assert disabled["consecutive_failures"] == 2

    parked, gone = outbox(octopost, webhook["id"])
    assert gone[2:] == ("failed", 1, "HTTP 410")
    assert parked[2:4] == ("failed", 1)  # was waiting for its retry; stopped with the endpoint
    assert "endpoint disabled" in str(parked[4])
    latest = attempts(api, webhook["id"])[0]
    assert (latest["status_code"], latest["next_retry_at"]) == (410, None)

    schedule_post(api, "while disabled")
    assert len(outbox(octopost, webhook["id"])) == 2  # a disabled endpoint gets no new deliveries

    enabled = api.put(f"/v1/webhooks/{webhook['id']}", json={"is_active": True}).json()
    assert (enabled["is_active"], enabled["consecutive_failures"], enabled["disabled_reason"]) == (True, 0, None)
    schedule_post(api, "after re-enabling")
    assert [row[2] for row in wait_settled(octopost, webhook["id"], 3)] == ["failed", "failed", "delivered"]
    (delivered,) = [r for r in inbox.received if r.replied == 204]
    assert delivered.payload["data"]["post"]["content"] == "after re-enabling"


def test_a_run_of_failures_disables_the_endpoint(octopost: OctopostProcess, api: httpx.Client, inbox: Inbox) -> None:
    webhook = subscribe(api, inbox, ["post.scheduled"])
    inbox.default = Reply(503)
    schedule_post(api)
    disabled = wait_until_disabled(api, webhook["id"])
    wait_settled(octopost, webhook["id"], 1)
    assert disabled["consecutive_failures"] == DISABLE_AFTER
    assert disabled["disabled_reason"] == f"{DISABLE_AFTER} consecutive failed attempts"
    received = inbox.received
    assert len(received) == DISABLE_AFTER
    assert len({r.event_id for r in received}) == 1
    tried = attempts(api, webhook["id"])
    assert [a["attempt"] for a in tried] == [3, 2, 1]
    assert tried[0]["next_retry_at"] is None  # no retry after the endpoint was disabled
    assert all(a["next_retry_at"] for a in tried[1:])
    assert [row[2:4] for row in outbox(octopost, webhook["id"])] == [("failed", DISABLE_AFTER)]

    inbox.default = Reply(200)
    api.put(f"/v1/webhooks/{webhook['id']}", json={"is_active": True})
    schedule_post(api, "receiver fixed")
    assert [row[2:4] for row in wait_settled(octopost, webhook["id"], 2)][1] == ("delivered", 1)
    assert inbox.received[-1].replied == 200


def test_redirects_are_not_followed(api: httpx.Client, webhook_receiver: WebhookReceiver) -> None:
    moved, target = webhook_receiver.inbox(), webhook_receiver.inbox()
    webhook = subscribe(api, moved, ["post.scheduled"])
    target.secret = webhook["secret"]
    moved.default = Reply(307, {"Location": target.url})
    schedule_post(api)
    moved.wait(lambda seen: len(seen) >= 2, what="a retry after the redirect")
    assert target.received == []  # a followed redirect would have reached it before the retry
    first = attempts(api, webhook["id"])[-1]
    assert first["status_code"] == 307
    assert first["error"] == f"HTTP 307: redirects are not followed (Location: {target.url})"
    assert first["next_retry_at"] is not None


def test_two_workers_never_send_the_same_delivery(
    database_url: str, tmp_path: Path, webhook_receiver: WebhookReceiver
) -> None:
    """On SQLite and on PostgreSQL (where the claim is FOR UPDATE SKIP LOCKED): two senders, one database."""
    first = make_octopost(tmp_path, database_url, **FAST_RETRIES).start()
    second = first.sibling().start()  # another worker on the same database
    try:
        api, inbox = first.client(), webhook_receiver.inbox()
        webhook = subscribe(api, inbox, ["post.scheduled"])
        posts = [schedule_post(api, f"event {n}")["id"] for n in range(20)]
        assert {row[2] for row in wait_settled(first, webhook["id"], 20)} == {"delivered"}
        received = inbox.received
        assert sorted(r.payload["data"]["post"]["id"] for r in received) == sorted(posts)  # each exactly once
        assert len({r.event_id for r in received}) == 20
        tried = attempts(api, webhook["id"])
        failed = [(a["event_id"], a["status_code"], a["error"]) for a in tried if not a["success"]]
        assert [row[3] for row in outbox(first, webhook["id"])] == [1] * 20, failed
        assert len(tried) == 20
        logs = first.log_text() + second.log_text()
        assert "lease lost" not in logs
        assert logs.count("webhook delivered") >= 20
    finally:
        second.stop()
        first.stop()
