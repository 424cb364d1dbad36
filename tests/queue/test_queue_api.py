"""The posting queue through `octopost serve`: weekly slots in a timezone, a post taking the next free slot with
``scheduled_for: "next_free_slot"``, slots freed when a post moves away, and two posts asking at once getting two
different slots, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.api.test_posts import assert_error
from tests.peers.app import OctopostProcess, make_octopost

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@pytest.fixture
def service(tmp_path: Path, database_url: str) -> Iterator[OctopostProcess]:
    running = make_octopost(tmp_path, database_url=database_url).start("--no-scheduler")
    yield running
    running.stop()


def daily(zone: str) -> tuple[list[dict[str, str]], list[str]]:
    """Slots every day at the hour six hours from now in ``zone`` (far from "now", so no test races the clock),
    and the next ten of them as UTC instants, as the API writes them."""
    start = (datetime.now(ZoneInfo(zone)) + timedelta(hours=6)).replace(minute=0, second=0, microsecond=0)
    slots = [{"day": day, "time": f"{start.hour:02d}:00"} for day in DAYS]
    instants = []
    for n in range(10):
        local = start.date() + timedelta(days=n)
        at = datetime(local.year, local.month, local.day, start.hour, tzinfo=ZoneInfo(zone)).astimezone(UTC)
        instants.append(at.strftime("%Y-%m-%dT%H:%M:%SZ"))
    return slots, instants


def queued(api: httpx.Client, content: str) -> dict:
    answer = api.post(
        "/v1/posts", json={"content": content, "platforms": ["mastodon"], "scheduled_for": "next_free_slot"}
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "scheduled"
    return answer.json()


def test_posts_take_the_next_free_slots_in_order_and_free_them_when_they_move(service: OctopostProcess) -> None:
    api = service.client(workspace="ws-queue")
    assert api.get("/v1/queue").json() == {"timezone": "UTC", "slots": []}
    assert_error(
        api.post("/v1/posts", json={"content": "x", "platforms": ["mastodon"], "scheduled_for": "next_free_slot"}),
        422,
        "validation_error",
        "the queue has no slots",
    )
    slots, nines = daily("Europe/Berlin")
    put = api.put("/v1/queue", json={"timezone": "Europe/Berlin", "slots": slots})
    assert put.status_code == 200, put.text
    assert put.json() == {"timezone": "Europe/Berlin", "slots": slots}
    assert [s["scheduled_for"] for s in api.get("/v1/queue/next", params={"count": 3}).json()["slots"]] == nines[:3]

    first, second = queued(api, "first"), queued(api, "second")
    assert [first["scheduled_for"], second["scheduled_for"]] == nines[:2]
    free = api.get("/v1/queue/next", params={"count": 1}).json()["slots"]
    assert free[0]["scheduled_for"] == nines[2]

    # The first post set by hand for later: its slot is free again, and the next queued post takes it.
    later = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert api.put(f"/v1/posts/{first['id']}", json={"scheduled_for": later}).status_code == 200
    assert queued(api, "third")["scheduled_for"] == nines[0]
    # A deleted post's slot goes with it.
    assert api.delete(f"/v1/posts/{second['id']}").status_code == 204
    assert queued(api, "fourth")["scheduled_for"] == nines[1]
    # Asking again keeps the slot a post holds.
    again = api.put(f"/v1/posts/{first['id']}", json={"scheduled_for": "next_free_slot"}).json()
    assert again["scheduled_for"] == nines[2]
    assert api.put(f"/v1/posts/{first['id']}", json={"scheduled_for": "next_free_slot"}).json() == {
        **again,
        "updated_at": api.get(f"/v1/posts/{first['id']}").json()["updated_at"],
    }
    # Another workspace has a queue of its own.
    assert service.client(workspace="ws-queue-other").get("/v1/queue").json()["slots"] == []


def test_two_posts_asking_at_once_take_two_slots(service: OctopostProcess) -> None:
    api = service.client(workspace="ws-queue-race")
    slots, instants = daily("UTC")
    api.put("/v1/queue", json={"timezone": "UTC", "slots": slots})
    with ThreadPoolExecutor(max_workers=6) as pool:
        times = list(pool.map(lambda n: queued(api, f"race {n}")["scheduled_for"], range(6)))
    assert sorted(times) == instants[:6]


def test_a_bad_queue_is_refused_naming_every_problem(service: OctopostProcess) -> None:
    api = service.client(workspace="ws-queue-bad")
    bad_zone = api.put("/v1/queue", json={"timezone": "Mars/Olympus", "slots": []})
    assert_error(bad_zone, 422, "validation_error", "Mars/Olympus")
    bad_slots = api.put(
        "/v1/queue",
        json={"timezone": "UTC", "slots": [{"day": "funday", "time": "09:00"}, {"day": "mon", "time": "25:00"}]},
    )
    body = assert_error(bad_slots, 422, "validation_error")
    assert len(body["details"]["errors"]) == 2
    assert api.get("/v1/queue").json() == {"timezone": "UTC", "slots": []}  # nothing half-written
    assert_error(api.get("/v1/queue/next", params={"count": 0}), 422, "validation_error")
