"""Helpers for webhook tests: a service with a short retry base, subscribing an inbox, triggering events,
reading attempts over the API and the outbox rows from the database file."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.test_posts import future
from tests.peers.app import OctopostProcess, make_octopost
from tests.peers.databases import fetch
from tests.peers.webhook_receiver import Inbox

ALL_EVENTS = [
    "post.scheduled",
    "post.published",
    "post.failed",
    "account.connected",
    "account.disconnected",
    "account.expiring",
]
# Retries 50 ms, 300 ms, 1.2 s, … apart instead of 5 s, 30 s, 2 min, …: the same schedule, scaled down.
FAST_RETRIES = {"OCTOPOST_WEBHOOK_RETRY_BASE_SECONDS": "0.05"}


def running_service(factory: pytest.TempPathFactory, **env: str) -> Iterator[OctopostProcess]:
    service = make_octopost(factory.mktemp("octopost"), **{**FAST_RETRIES, **env}).start()
    yield service
    service.stop()


def subscribe(api: httpx.Client, inbox: Inbox, events: list[str] | None = None) -> dict[str, Any]:
    response = api.post("/v1/webhooks", json={"url": inbox.url, "events": events or ALL_EVENTS})
    assert response.status_code == 201, response.text
    created = dict(response.json())
    inbox.secret = created["secret"]
    return created


def schedule_post(api: httpx.Client, content: str = "for the webhook") -> dict[str, Any]:
    """The cheapest event: a post scheduled an hour ahead (post.scheduled; no account needed)."""
    response = api.post("/v1/posts", json={"content": content, "platforms": ["bluesky"], "scheduled_for": future()})
    assert response.status_code == 201, response.text
    return dict(response.json())


def attempts(api: httpx.Client, webhook_id: str, limit: int = 100) -> list[dict[str, Any]]:
    response = api.get(f"/v1/webhooks/{webhook_id}/deliveries", params={"limit": limit})
    assert response.status_code == 200, response.text
    return list(response.json()["deliveries"])


def outbox(service: OctopostProcess, endpoint_id: str) -> list[tuple[str, str, str, int, str | None]]:
    """(event type, event id, delivery status, attempts, last error) of the endpoint's deliveries, oldest first,
    from the service's database (SQLite or PostgreSQL)."""
    rows = fetch(
        service.database_url,
        "SELECT e.type, e.id, d.status, d.attempts, d.last_error FROM webhook_delivery d "
        "JOIN webhook_event e ON e.id = d.event_id WHERE d.endpoint_id = :endpoint ORDER BY e.created_at, e.id",
        endpoint=endpoint_id,
    )
    return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]


def database_bytes(service: OctopostProcess) -> bytes:
    """The SQLite file and its write-ahead log (recent writes live there until a checkpoint)."""
    return b"".join(p.read_bytes() for p in Path(service.data_dir).glob("octopost.db*"))


def wait_settled(service: OctopostProcess, endpoint_id: str, count: int, timeout: float = 30) -> list[tuple]:
    """Poll until the endpoint has ``count`` deliveries, none of them pending or being sent."""
    deadline = time.monotonic() + timeout
    rows: list[tuple] = []
    while time.monotonic() < deadline:
        rows = outbox(service, endpoint_id)
        if len(rows) == count and all(row[2] in ("delivered", "failed") for row in rows):
            return rows
        time.sleep(0.05)  # polling interval
    raise AssertionError(f"deliveries of {endpoint_id} did not settle within {timeout}s: {rows}")
