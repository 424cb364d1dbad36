"""POST /v1/posts/bulk over real HTTP against `octopost serve` on SQLite."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from tests.peers.app import OctopostProcess


def future(minutes: int = 60) -> str:
    return (datetime.now(UTC) + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def post_csv(api: httpx.Client, text: str | bytes, **params: str) -> httpx.Response:
    return api.post("/v1/posts/bulk", content=text, headers={"Content-Type": "text/csv"}, params=params)


def test_csv_dry_run_of_10000_rows_names_exactly_the_bad_rows(api: httpx.Client) -> None:
    lines = ["content,platforms,scheduled_for"]
    when = future()
    for n in range(1, 10_001):
        content = "x" * 300 if n in (17, 9_999) else f"post {n}"
        platform = "nowhere" if n == 500 else "twitter|bluesky"
        scheduled = "not a time" if n == 42 else when
        lines.append(f"{content},{platform},{scheduled}")
    response = post_csv(api, "\n".join(lines), dry_run="true")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["created"] == 0
    assert len(body["rows"]) == 10_000
    invalid = [row["row"] for row in body["rows"] if not row["valid"]]
    assert invalid == [17, 42, 500, 9_999], body["rows"][:2]
    assert all("post_id" not in row for row in body["rows"])
    assert api.get("/v1/posts").json()["total"] == 0


def test_json_import_creates_drafts_and_scheduled_posts(api: httpx.Client) -> None:
    when = future()
    items = [
        {"content": "a draft", "platforms": ["bluesky"]},
        {"content": "scheduled", "platforms": ["twitter"], "scheduled_for": when},
        {"content": "", "platforms": ["twitter"]},
    ]
    body = api.post("/v1/posts/bulk", json=items).json()
    assert body["created"] == 2
    assert [r["valid"] for r in body["rows"]] == [True, True, False]
    assert body["rows"][2]["row"] == 3
    assert body["rows"][2]["errors"]
    first = api.get(f"/v1/posts/{body['rows'][0]['post_id']}").json()
    assert first["status"] == "draft"
    assert first["content"] == "a draft"
    second = api.get(f"/v1/posts/{body['rows'][1]['post_id']}").json()
    assert second["status"] == "scheduled"


def test_atomic_creates_none_when_a_row_is_invalid(api: httpx.Client) -> None:
    items = [{"content": "fine", "platforms": ["bluesky"]}, {"content": "bad", "platforms": ["nowhere"]}]
    body = api.post("/v1/posts/bulk", json=items, params={"atomic": "true"}).json()
    assert body["created"] == 0
    assert api.get("/v1/posts").json()["total"] == 0


def test_bad_csv_is_a_422(api: httpx.Client) -> None:
    missing = post_csv(api, "platforms\ntwitter\n")
    assert missing.status_code == 422
    assert "missing column 'content'" in missing.text
    unknown = post_csv(api, "content,platforms,colour\nhi,twitter,red\n")
    assert unknown.status_code == 422
    assert "colour" in unknown.text
    unbalanced = post_csv(api, 'content,platforms\n"hi,twitter\n')
    assert unbalanced.status_code == 422, unbalanced.text
    latin = post_csv(api, "content,platforms\ncaf\xe9,twitter\n".encode("latin-1"))
    assert latin.status_code == 422
    assert "UTF-8" in latin.text
    assert api.get("/v1/posts").json()["total"] == 0


def test_rows_take_presets_and_queue_slots_and_stay_in_their_workspace(
    octopost: OctopostProcess, api: httpx.Client
) -> None:
    preset = api.post("/v1/presets", json={"name": "Both", "platforms": ["mastodon", "bluesky"]}).json()
    queue = {"timezone": "UTC", "slots": [{"day": d, "time": "09:00"} for d in ("mon", "tue", "wed", "thu", "fri")]}
    assert api.put("/v1/queue", json=queue).status_code == 200
    csv = "content,preset_id,next_free_slot\n" + "".join(f"queued {n},{preset['id']},yes\n" for n in range(3))

    answer = post_csv(api, csv)

    assert answer.status_code == 200, answer.text
    assert answer.json()["created"] == 3
    ids = [row["post_id"] for row in answer.json()["rows"]]
    posts = [api.get(f"/v1/posts/{i}").json() for i in ids]
    assert {tuple(p["platforms"]) for p in posts} == {("mastodon", "bluesky")}
    assert len({p["scheduled_for"] for p in posts}) == 3  # three different slots
    assert all(p["status"] == "scheduled" for p in posts)
    other = octopost.client(workspace="ws-bulk-other")
    assert all(other.get(f"/v1/posts/{i}").status_code == 404 for i in ids)
    assert other.get("/v1/posts").json()["total"] == 0
