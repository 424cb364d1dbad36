"""GET /v1/posts as a calendar asks it: posts scheduled within a window, soonest first, counted over the window,
unscheduled drafts last when sorted by time; and a bad window named in a 422."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from tests.api.test_posts import assert_error


def at(days: int) -> str:
    moment = datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def scheduled(api: httpx.Client, content: str, days: int) -> str:
    body = {"content": content, "platforms": ["mastodon"], "scheduled_for": at(days)}
    answer = api.post("/v1/posts", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def test_a_window_of_scheduled_posts_soonest_first(api: httpx.Client) -> None:
    ids = {days: scheduled(api, f"in {days} days", days) for days in (9, 2, 5, 30)}
    draft = api.post("/v1/posts", json={"content": "someday", "platforms": ["mastodon"]}).json()["id"]

    week = api.get("/v1/posts", params={"scheduled_from": at(1), "scheduled_to": at(8), "sort": "scheduled_for"})
    assert week.status_code == 200, week.text
    assert [p["id"] for p in week.json()["posts"]] == [ids[2], ids[5]]
    assert week.json()["total"] == 2

    everything = api.get("/v1/posts", params={"sort": "scheduled_for", "limit": 10}).json()
    assert [p["id"] for p in everything["posts"]] == [ids[2], ids[5], ids[9], ids[30], draft]
    assert everything["total"] == 5
    second_page = api.get("/v1/posts", params={"sort": "scheduled_for", "limit": 2, "offset": 2}).json()
    assert [p["id"] for p in second_page["posts"]] == [ids[9], ids[30]]
    newest_first = api.get("/v1/posts").json()
    assert newest_first["posts"][0]["id"] == draft


def test_a_bad_window_is_a_422_naming_each_problem(api: httpx.Client) -> None:
    answer = api.get("/v1/posts", params={"scheduled_from": "tomorrow", "sort": "popularity"})
    body = assert_error(answer, 422, "validation_error")
    assert len(body["details"]["errors"]) == 2
    backwards = api.get("/v1/posts", params={"scheduled_from": at(5), "scheduled_to": at(1)})
    assert_error(backwards, 422, "validation_error", "scheduled_to: must be after scheduled_from")
