"""The posts API over real HTTP against `octopost serve` on a real SQLite file (no platform needed here)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from tests.api.support import create
from tests.peers.app import OctopostProcess


def future(minutes: int = 60) -> str:
    return (datetime.now(UTC) + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def assert_error(response: httpx.Response, status: int, code: str, *fragments: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "code", "details"}
    assert body["code"] == code
    for fragment in fragments:
        assert fragment in body["error"], body
    return body


def test_create_draft_has_the_seed_shape(api: httpx.Client) -> None:
    post = create(api, platforms=["twitter", "linkedin", "bluesky"])
    assert post["id"].startswith("post_")
    assert post["status"] == "draft"
    assert post["scheduled_for"] is None
    assert post["media"] is None
    assert post["platform_results"] is None
    assert post["published_at"] is None
    assert post["platforms"] == ["twitter", "linkedin", "bluesky"]
    assert post["created_at"].endswith("Z")
    assert post["updated_at"] == post["created_at"]
    assert set(post) == {
        "id",
        "content",
        "platforms",
        "status",
        "scheduled_for",
        "media",
        "segments",
        "platform_results",
        "created_at",
        "updated_at",
        "published_at",
    }
    assert api.get(f"/v1/posts/{post['id']}").json() == post


def test_create_scheduled_with_media_and_thread(api: httpx.Client) -> None:
    when = future()
    post = create(
        api,
        scheduled_for=when,
        media={"images": [{"url": "https://example.com/a.png", "alt_text": "A"}]},
        segments=[{"content": "https://rulebook.app"}, {"content": "more", "media_urls": ["https://e.com/v.mp4"]}],
    )
    assert post["status"] == "scheduled"
    assert post["scheduled_for"] == when
    assert post["media"] == {"images": [{"url": "https://example.com/a.png", "alt_text": "A"}], "video": None}
    assert post["segments"] == [
        {"content": "https://rulebook.app", "media_urls": []},
        {"content": "more", "media_urls": ["https://e.com/v.mp4"]},
    ]


def test_schedule_time_accepts_offsets_and_stores_utc(api: httpx.Client) -> None:
    local = (datetime.now(UTC) + timedelta(hours=3)).astimezone(UTC).replace(microsecond=0)
    offset_text = local.astimezone(datetime.now().astimezone().tzinfo).isoformat()
    post = create(api, scheduled_for=local.isoformat().replace("+00:00", "+00:00"))
    assert post["scheduled_for"] == local.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert offset_text  # any offset is accepted; stored and shown in UTC


def test_validation_errors_are_all_reported(api: httpx.Client) -> None:
    response = api.post(
        "/v1/posts",
        json={
            "content": "  ",
            "platforms": ["twitter", "twitter", "myspace"],
            "scheduled_for": "2020-01-01T00:00:00Z",
            "media": {"images": [{"url": "ftp://x/a.png"}] * 5, "video": {"url": "https://x/v.mp4"}},
            "segments": [{"content": "x"}] * 25,
        },
    )
    body = assert_error(response, 422, "validation_error")
    errors = "\n".join(body["details"]["errors"])
    for fragment in (
        "content: is required",
        "unknown ['myspace']",
        "listed more than once: ['twitter']",
        "is not in the future",
        "images and a video cannot be combined",
        "5 images; at most 4",
        "must be an http(s) URL",
        "25 segments; at most 24",
    ):
        assert fragment in errors


def test_more_validation_rules(api: httpx.Client) -> None:
    assert_error(api.post("/v1/posts", json={"content": "x", "platforms": []}), 422, "validation_error", "platforms")
    assert_error(
        api.post("/v1/posts", json={"content": "x", "platforms": ["mastodon"], "scheduled_for": "tomorrow"}),
        422,
        "validation_error",
        "ISO 8601",
    )
    assert_error(
        api.post("/v1/posts", json={"content": "x", "platforms": ["mastodon"], "scheduled_for": "2030-01-01T10:00"}),
        422,
        "validation_error",
        "timezone",
    )
    long_segment = [{"content": "y" * 5001}]
    assert_error(
        api.post("/v1/posts", json={"content": "x", "platforms": ["mastodon"], "segments": long_segment}),
        422,
        "validation_error",
        "at most 5000",
    )
    five_images = [{"content": "y", "media_urls": [f"https://e.com/{i}.png" for i in range(5)]}]
    assert_error(
        api.post("/v1/posts", json={"content": "x", "platforms": ["mastodon"], "segments": five_images}),
        422,
        "validation_error",
        "at most 4",
    )
    video_and_image = [{"content": "y", "media_urls": ["https://e.com/a.mp4", "https://e.com/b.png"]}]
    assert_error(
        api.post("/v1/posts", json={"content": "x", "platforms": ["mastodon"], "segments": video_and_image}),
        422,
        "validation_error",
        "one video alone",
    )
    assert_error(api.post("/v1/posts", json={"platforms": ["mastodon"]}), 422, "validation_error", "content")


def test_scheduling_checks_platform_limits_at_once(api: httpx.Client) -> None:
    too_long_for_x = "word " * 70  # 350 characters
    body = assert_error(
        api.post("/v1/posts", json={"content": too_long_for_x, "platforms": ["twitter"], "scheduled_for": future()}),
        422,
        "validation_error",
        "twitter",
    )
    assert any("limit is 280" in e for e in body["details"]["errors"])
    # A thread is checked against each platform: the second reply breaks Bluesky's 300 graphemes.
    thread = [{"content": "fine"}, {"content": "é" * 301}]
    body = assert_error(
        api.post(
            "/v1/posts",
            json={"content": "ok", "platforms": ["bluesky"], "segments": thread, "scheduled_for": future()},
        ),
        422,
        "validation_error",
    )
    assert body["details"]["errors"] == ["bluesky: segments[1] is 301 characters; the limit is 300 (graphemes)"]
    # Every platform the API accepts has an adapter (tests/adapters/contract/test_declarations.py): each can be
    # scheduled, held to its own limits then (LinkedIn's 3,000 characters), the 422 naming it.
    assert create(api, content="x", platforms=["linkedin"], scheduled_for=future())["status"] == "scheduled"
    assert_error(
        api.post("/v1/posts", json={"content": "x" * 3001, "platforms": ["linkedin"], "scheduled_for": future()}),
        422,
        "validation_error",
        "linkedin: content is 3001 characters; the limit is 3000",
    )
    # A draft may be over a limit (it is checked when scheduled or published).
    assert create(api, content=too_long_for_x, platforms=["twitter"])["status"] == "draft"


def test_list_newest_first_with_filter_and_pagination(api: httpx.Client) -> None:
    ids = [create(api, content=f"post {i}")["id"] for i in range(12)]
    scheduled = create(api, scheduled_for=future())["id"]
    page = api.get("/v1/posts").json()
    assert page["total"] == 13
    assert len(page["posts"]) == 10
    assert [p["id"] for p in page["posts"]] == [scheduled, *reversed(ids)][:10]
    second = api.get("/v1/posts", params={"limit": 5, "offset": 10}).json()
    assert [p["id"] for p in second["posts"]] == list(reversed(ids))[9:12]
    only = api.get("/v1/posts", params={"status": "scheduled"}).json()
    assert only["total"] == 1
    assert only["posts"][0]["id"] == scheduled
    assert api.get("/v1/posts", params={"status": "published"}).json() == {"posts": [], "total": 0}
    assert len(api.get("/v1/posts", params={"limit": 100}).json()["posts"]) == 13
    assert_error(api.get("/v1/posts", params={"limit": 101}), 422, "validation_error", "limit")
    assert_error(api.get("/v1/posts", params={"limit": 0}), 422, "validation_error", "limit")
    assert_error(api.get("/v1/posts", params={"offset": -1}), 422, "validation_error", "offset")
    assert_error(api.get("/v1/posts", params={"status": "bogus"}), 422, "validation_error", "status")


def test_update_semantics(api: httpx.Client) -> None:
    post = create(api, media={"images": [{"url": "https://e.com/a.png"}]}, segments=[{"content": "reply"}])
    pid = post["id"]
    # Omitted fields stay; given ones change.
    updated = api.put(f"/v1/posts/{pid}", json={"content": "new text", "platforms": ["mastodon", "bluesky"]}).json()
    assert updated["content"] == "new text"
    assert updated["platforms"] == ["mastodon", "bluesky"]
    assert updated["segments"] == post["segments"]
    assert updated["media"] == post["media"]
    assert updated["updated_at"] >= post["updated_at"]
    assert updated["status"] == "draft"
    # media: null removes media; segments: [] reverts to a single post.
    cleared = api.put(f"/v1/posts/{pid}", json={"media": None, "segments": []}).json()
    assert cleared["media"] is None
    assert cleared["segments"] is None
    # A time schedules a draft; another time reschedules; null unschedules to draft.
    when = future(30)
    assert api.put(f"/v1/posts/{pid}", json={"scheduled_for": when}).json()["status"] == "scheduled"
    later = future(90)
    rescheduled = api.put(f"/v1/posts/{pid}", json={"scheduled_for": later}).json()
    assert rescheduled["status"] == "scheduled"
    assert rescheduled["scheduled_for"] == later
    back = api.put(f"/v1/posts/{pid}", json={"scheduled_for": None}).json()
    assert back["status"] == "draft"
    assert back["scheduled_for"] is None
    assert api.get(f"/v1/posts/{pid}").json()["status"] == "draft"
    # Invalid updates change nothing.
    assert_error(api.put(f"/v1/posts/{pid}", json={"content": ""}), 422, "validation_error")
    assert_error(api.put(f"/v1/posts/{pid}", json={"scheduled_for": "2001-01-01T00:00:00Z"}), 422, "validation_error")
    assert api.get(f"/v1/posts/{pid}").json()["content"] == "new text"


def test_delete_and_404(api: httpx.Client) -> None:
    draft = create(api)["id"]
    scheduled = create(api, scheduled_for=future())["id"]
    assert api.delete(f"/v1/posts/{draft}").status_code == 204
    assert api.delete(f"/v1/posts/{scheduled}").status_code == 204  # a scheduled post is cancelled
    for pid in (draft, scheduled, "post_doesnotexist"):
        assert_error(api.get(f"/v1/posts/{pid}"), 404, "not_found", pid)
        assert_error(api.put(f"/v1/posts/{pid}", json={"content": "x"}), 404, "not_found")
        assert_error(api.delete(f"/v1/posts/{pid}"), 404, "not_found")
        assert_error(api.post(f"/v1/posts/{pid}/publish"), 404, "not_found")
    assert api.get("/v1/posts", params={"status": "scheduled"}).json()["total"] == 0


def test_another_workspace_sees_404(octopost: OctopostProcess, api: httpx.Client) -> None:
    mine = create(api)["id"]
    other = octopost.client(workspace="someone-else")
    assert_error(other.get(f"/v1/posts/{mine}"), 404, "not_found")
    assert_error(other.put(f"/v1/posts/{mine}", json={"content": "hijack"}), 404, "not_found")
    assert_error(other.delete(f"/v1/posts/{mine}"), 404, "not_found")
    assert_error(other.post(f"/v1/posts/{mine}/publish"), 404, "not_found")
    assert mine not in [p["id"] for p in other.get("/v1/posts", params={"limit": 100}).json()["posts"]]
    assert api.get(f"/v1/posts/{mine}").json()["content"] == "Hello from Octopost"


def test_publish_without_connected_accounts_names_them(api: httpx.Client) -> None:
    post = create(api, platforms=["mastodon", "twitter"])
    body = assert_error(api.post(f"/v1/posts/{post['id']}/publish"), 422, "validation_error", "mastodon", "twitter")
    assert "no active mastodon account" in body["error"]
    assert api.get(f"/v1/posts/{post['id']}").json()["status"] == "draft"  # nothing half-written
