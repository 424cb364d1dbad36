"""The post features every platform shares, over real HTTP against `octopost serve`: ``poll``, ``reply_policy`` and
``platform_options`` are checked for shape when a post is created or updated (every problem in one 422), stored,
shown by GET, edited by PUT while draft or scheduled, and held to each platform's capabilities when the post is
scheduled (a 422 naming the platform) — before anything reaches a platform. Per-platform options and their
publishing are tested with each platform (tests/api/test_<platform>_*)."""

from __future__ import annotations

import httpx

from tests.api.support import create
from tests.api.test_posts import assert_error, future

POLL = {"options": ["Yes", "No"], "duration_minutes": 60}


def test_a_post_keeps_its_poll_and_reply_policy_and_put_edits_them(api: httpx.Client) -> None:
    post = create(api, platforms=["twitter"], poll=POLL, reply_policy="mentioned")
    assert post["poll"] == {**POLL, "question": None}
    assert post["reply_policy"] == "mentioned"
    assert api.get(f"/v1/posts/{post['id']}").json()["poll"] == {**POLL, "question": None}

    changed = api.put(
        f"/v1/posts/{post['id']}",
        json={"poll": {"options": ["A", "B", "C"], "duration_minutes": 30, "question": "Which?"}},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["poll"] == {"options": ["A", "B", "C"], "duration_minutes": 30, "question": "Which?"}
    assert changed.json()["reply_policy"] == "mentioned"  # omitted: kept

    cleared = api.put(f"/v1/posts/{post['id']}", json={"poll": None, "reply_policy": None}).json()
    assert "poll" not in cleared  # the additive fields are left out when a post has none
    assert "reply_policy" not in cleared
    assert "platform_options" not in cleared


def test_a_poll_of_the_wrong_shape_is_refused_with_every_problem(api: httpx.Client) -> None:
    answer = api.post(
        "/v1/posts",
        json={
            "content": "vote",
            "platforms": ["twitter"],
            "poll": {"options": ["Same", "same", "", "d", "e"], "duration_minutes": 0, "question": " "},
        },
    )
    body = assert_error(answer, 422, "validation_error")
    errors = body["details"]["errors"]
    assert "poll.options: 5 options; a poll has 2 to 4" in errors
    assert "poll.options[2]: must not be empty" in errors
    assert "poll.options: every option must be different" in errors
    assert any(e.startswith("poll.duration_minutes: must be between 1 and") for e in errors)
    assert "poll.question: must not be empty when given" in errors
    one = api.post(
        "/v1/posts",
        json={"content": "x", "platforms": ["twitter"], "poll": {"options": ["only"], "duration_minutes": 5}},
    )
    assert_error(one, 422, "validation_error", "poll.options: 1 options")
    assert api.get("/v1/posts").json()["total"] == 0  # nothing half-written


def test_an_unknown_reply_policy_is_refused(api: httpx.Client) -> None:
    answer = api.post("/v1/posts", json={"content": "x", "platforms": ["twitter"], "reply_policy": "friends"})
    assert_error(answer, 422, "validation_error", "reply_policy: must be one of everyone, followers, following")


def test_platform_options_must_name_the_posts_platforms_and_fit_their_schema(api: httpx.Client) -> None:
    answer = api.post(
        "/v1/posts",
        json={
            "content": "x",
            "platforms": ["twitter", "youtube"],
            "platform_options": {"discord": {}, "twitter": {"anything": 1}, "youtube": {"privacy": "public"}},
        },
    )
    errors = assert_error(answer, 422, "validation_error")["details"]["errors"]
    assert "platform_options.discord: 'discord' is not one of the post's platforms" in errors
    assert "platform_options.twitter: X takes no platform_options" in errors
    assert "platform_options.youtube: Object contains unknown field `privacy`" in errors  # privacy_status
    # Changing the platforms by PUT is checked against the options the post keeps.
    post = create(api, platforms=["twitter"])
    moved = api.put(f"/v1/posts/{post['id']}", json={"platform_options": {"bluesky": {}}})
    assert_error(moved, 422, "validation_error", "platform_options.bluesky: 'bluesky' is not one of the post's")


def test_capabilities_are_enforced_when_the_post_is_scheduled_naming_the_platform(api: httpx.Client) -> None:
    """A draft is not held to any platform yet; scheduling holds it to every one, and says which refuses what."""
    body = {"content": "vote", "platforms": ["bluesky", "mastodon"], "poll": POLL, "reply_policy": "followers"}
    assert api.post("/v1/posts", json=body).status_code == 201  # a draft
    answer = api.post("/v1/posts", json={**body, "scheduled_for": future()})
    errors = assert_error(answer, 422, "validation_error", "The post cannot be published")["details"]["errors"]
    assert "bluesky: poll cannot be posted: Bluesky has no polls" in errors
    assert any(e.startswith("mastodon: reply_policy 'followers' cannot be applied on Mastodon") for e in errors)
    assert not any(e.startswith("bluesky: reply_policy") for e in errors)  # Bluesky can: a threadgate
    assert api.get("/v1/posts", params={"status": "scheduled"}).json()["total"] == 0

    draft = create(api, platforms=["bluesky"], poll=POLL)
    scheduling = api.put(f"/v1/posts/{draft['id']}", json={"scheduled_for": future()})
    assert_error(scheduling, 422, "validation_error", "bluesky: poll cannot be posted")
    assert api.get(f"/v1/posts/{draft['id']}").json()["status"] == "draft"
