"""Recurring posts through `octopost serve`: a weekly rule across a DST change (times in UTC), COUNT and UNTIL,
the occurrences preview, the scheduler creating each occurrence once (two workers racing, on SQLite and
PostgreSQL), editing and ending a series, bad rules refused, another workspace's series not found."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.api.test_posts import assert_error
from tests.peers.app import OctopostProcess, make_octopost
from tests.peers.databases import fetch
from tests.scheduler.flows import wait_for

# The scheduler makes occurrences a year ahead at once, every 0.2 s: the tests need not wait for their times.
FAST = {"OCTOPOST_SERIES_SECONDS": "0.2", "OCTOPOST_SERIES_HORIZON_HOURS": str(24 * 400)}


def last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


SPRING = last_sunday(datetime.now(UTC).year + 1, 3)  # Berlin moves from +01:00 to +02:00 that night


@pytest.fixture
def service(tmp_path: Path, database_url: str) -> Iterator[OctopostProcess]:
    running = make_octopost(tmp_path, database_url=database_url, **FAST).start()
    yield running
    running.stop()


def weekly(api: httpx.Client, rule: str = "FREQ=WEEKLY;COUNT=3") -> dict:
    """A post every Monday 09:00 Berlin from the Monday before the spring change."""
    monday = SPRING - timedelta(days=6)
    body = {
        "content": "weekly",
        "platforms": ["mastodon"],
        "scheduled_for": f"{monday}T08:00:00Z",
        "recurrence": {"rrule": rule, "timezone": "Europe/Berlin"},
    }
    answer = api.post("/v1/posts", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def series_posts(api: httpx.Client, expected: int) -> list[dict]:
    def listed() -> list[dict]:
        return list(api.get("/v1/posts", params={"limit": 100, "sort": "scheduled_for"}).json()["posts"])

    wait_for(lambda: len(listed()) >= expected, timeout=30, what=f"{expected} occurrences")
    return listed()


def test_a_weekly_rule_keeps_local_time_across_dst_and_ends_with_count(service: OctopostProcess) -> None:
    api = service.client(workspace="ws-weekly")
    first = weekly(api)
    assert first["series_id"].startswith("ser_")
    posts = series_posts(api, 3)
    monday = SPRING - timedelta(days=6)
    assert [p["scheduled_for"] for p in posts] == [
        f"{monday}T08:00:00Z",
        f"{monday + timedelta(days=7)}T07:00:00Z",
        f"{monday + timedelta(days=14)}T07:00:00Z",
    ]
    assert {p["series_id"] for p in posts} == {first["series_id"]}
    assert [p["status"] for p in posts] == ["scheduled"] * 3
    preview = api.get(f"/v1/posts/{first['id']}/occurrences", params={"count": 5}).json()
    assert [o["scheduled_for"] for o in preview["occurrences"]] == [p["scheduled_for"] for p in posts]
    assert [o["post_id"] for o in preview["occurrences"]] == [p["id"] for p in posts]
    assert preview["occurrences"][1]["local"].endswith("T09:00:00+02:00")
    # Made once, however many ticks ran.
    assert (
        fetch(service.database_url, "SELECT count(*) FROM post WHERE series_id = :s", s=first["series_id"])[0][0]
        == 3
    )
    # Deleting one occurrence skips it: left out of the preview, never made again.
    assert api.delete(f"/v1/posts/{posts[1]['id']}").status_code == 204
    after = api.get(f"/v1/posts/{first['id']}/occurrences").json()["occurrences"]
    assert [o["post_id"] for o in after] == [posts[0]["id"], posts[2]["id"]]
    weekly(api, "FREQ=WEEKLY;COUNT=2")  # a series made after the delete: the materializer ran since
    series_posts(api, 4)
    rows = fetch(service.database_url, "SELECT count(*) FROM post WHERE series_id = :s", s=first["series_id"])
    assert rows[0][0] == 2


def test_until_ends_a_series_and_the_preview_shows_what_is_not_made_yet(tmp_path: Path) -> None:
    running = make_octopost(tmp_path, OCTOPOST_SERIES_HORIZON_HOURS="0").start()
    try:
        api = running.client(workspace="ws-until")
        until = (SPRING + timedelta(days=9)).strftime("%Y%m%dT000000Z")
        first = weekly(api, f"FREQ=WEEKLY;UNTIL={until}")
        preview = api.get(f"/v1/posts/{first['id']}/occurrences").json()["occurrences"]
        assert len(preview) == 3  # the Mondays before UNTIL
        assert preview[0]["post_id"] == first["id"]
        assert [o["post_id"] for o in preview[1:]] == [None, None]  # beyond the horizon: not made yet
        assert api.get("/v1/posts").json()["total"] == 1
    finally:
        running.stop()


def test_two_workers_make_each_occurrence_once(service: OctopostProcess) -> None:
    api = service.client(workspace="ws-race")
    second = service.sibling().start()
    try:
        first = weekly(api, "FREQ=DAILY;COUNT=40")
        posts = series_posts(api, 40)
    finally:
        second.stop()
    assert len(posts) == 40
    assert len({p["scheduled_for"] for p in posts}) == 40
    rows = fetch(service.database_url, "SELECT count(*) FROM post WHERE series_id = :s", s=first["series_id"])
    assert rows[0][0] == 40


def test_editing_and_ending_a_series_from_an_occurrence(octopost: OctopostProcess) -> None:
    running = octopost  # no FAST settings needed for the edits' own effects
    api = running.client(workspace="ws-edit")
    first = weekly(api, "FREQ=WEEKLY;COUNT=5")
    # An occurrence deleted is skipped; ending after the first leaves none to come.
    ended = api.put(f"/v1/posts/{first['id']}", json={"recurrence": None})
    assert ended.status_code == 200, ended.text
    assert [o["post_id"] for o in api.get(f"/v1/posts/{first['id']}/occurrences").json()["occurrences"]] == [
        first["id"]
    ]
    # A new rule from this occurrence on, with a new text for the template.
    changed = api.put(
        f"/v1/posts/{first['id']}",
        json={"content": "daily now", "recurrence": {"rrule": "FREQ=DAILY;COUNT=2", "timezone": "Europe/Berlin"}},
    )
    assert changed.status_code == 200, changed.text
    times = [o["scheduled_for"] for o in api.get(f"/v1/posts/{first['id']}/occurrences").json()["occurrences"]]
    monday = SPRING - timedelta(days=6)
    assert times == [f"{monday}T08:00:00Z", f"{monday + timedelta(days=1)}T08:00:00Z"]


def test_bad_rules_are_refused_naming_every_problem(api: httpx.Client) -> None:
    body = {
        "content": "x",
        "platforms": ["mastodon"],
        "recurrence": {"rrule": "FREQ=MINUTELY;DTSTART=20270101T000000", "timezone": "Mars/Olympus"},
    }
    errors = assert_error(api.post("/v1/posts", json=body), 422, "validation_error")["details"]["errors"]
    assert len(errors) == 4, errors
    assert any("Mars/Olympus" in e for e in errors)
    assert any("DTSTART" in e for e in errors)
    assert any("MINUTELY" in e for e in errors)
    assert any("needs scheduled_for" in e for e in errors)
    not_on_rule = {**body, "scheduled_for": "2099-01-05T09:00:00Z",
                   "recurrence": {"rrule": "FREQ=WEEKLY;BYDAY=TU", "timezone": "UTC"}}
    assert_error(api.post("/v1/posts", json=not_on_rule), 422, "validation_error", "not an occurrence")
    assert api.get("/v1/posts").json()["total"] == 0


def test_another_workspaces_series_is_not_found(octopost: OctopostProcess) -> None:
    mine = octopost.client(workspace="ws-series-mine")
    first = weekly(mine)
    other = octopost.client(workspace="ws-series-other")
    assert_error(other.get(f"/v1/posts/{first['id']}/occurrences"), 404, "not_found")
    plain = other.post("/v1/posts", json={"content": "plain", "platforms": ["mastodon"]}).json()
    assert other.get(f"/v1/posts/{plain['id']}/occurrences").json()["occurrences"] == []
