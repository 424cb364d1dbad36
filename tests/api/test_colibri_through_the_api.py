"""A ColibriSM timeline end to end through `octopost serve`: connect (a password, or a session from the site's app),
publish a thread with an image in each segment as a reply chain, a poll, a reply policy and a GIF, ride out a rate
limit and the site's own error, keep two posts' files apart, survive a crash mid-thread without posting twice, and
refuse at schedule time what the site would crop or cannot take. Against the fake site (tests/fakes/colibri/)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.adapters.colibri.flows import Picture, crash_on_second_segment, picture, refused, stored_credentials
from tests.adapters.colibri.support import APP_SESSION, PASSWORD, posts
from tests.api.support import assert_refused_when_scheduled
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake, calm, fake_per_module
from tests.peers.app import OctopostProcess
from tests.peers.media_server import MediaServer
from tests.scheduler.flows import connect, publish, wait_for_status

colibri_site = fake_per_module("colibri")


@pytest.fixture
def site(colibri_site: RunningFake) -> Iterator[RunningFake]:
    with calm(colibri_site) as fake:
        yield fake


def published(api: httpx.Client, post_id: str) -> dict[str, Any]:
    done = wait_for_status(api, post_id, "published", "failed", timeout=60)
    result = done["platform_results"]["colibri"]
    assert done["status"] == "published", result
    return dict(result)


def thread_with_pictures(pictures: list[Picture]) -> dict[str, Any]:
    return {
        "media": {"images": [{"url": pictures[0].url, "alt_text": "ColibriSM shows no alt text"}]},
        "segments": [{"content": f"reply {n}", "media_urls": [p.url]} for n, p in enumerate(pictures[1:], 1)],
    }


def test_connecting_with_a_password_or_an_app_session(
    api: httpx.Client, octopost: OctopostProcess, site: RunningFake
) -> None:
    account = connect(api, "colibri", site.url, PASSWORD)
    assert (account["platform_user_id"], account["username"], account["display_name"]) == (
        "7",
        "alice",
        "Alice Liddell",
    )
    assert "alice-password" not in str(account)
    stored = stored_credentials(octopost, account["id"])
    assert {k: stored[k] for k in PASSWORD} == PASSWORD
    assert stored["user_id"] == "7"
    assert len(stored["session_id"]) > 20  # the login's session is kept with the account
    assert stored["refresh_token"]
    by_session = connect(api, "colibri", site.url, APP_SESSION)
    assert (by_session["platform_user_id"], by_session["username"]) == ("7", "alice")

    wrong_password = refused(api, "colibri", site.url, {**PASSWORD, "password": "guess"})
    assert "ColibriSM rejected the credentials: ColibriSM refused the username and password" in wrong_password
    assert "Incorrect credentials" in wrong_password
    stale = refused(api, "colibri", site.url, {**APP_SESSION, "session_id": "from-a-logged-out-app"})
    assert "refused the session during session check (Unauthorized Access)" in stale
    unnamed = refused(api, "colibri", site.url, {"session_id": "a-session-without-its-user"})
    assert "{password, username} or {session_id, user_id}" in unnamed


def test_a_thread_with_a_picture_each_is_a_reply_chain(
    api: httpx.Client, site: RunningFake, media_server: MediaServer
) -> None:
    connect(api, "colibri", site.url, PASSWORD)
    pictures = [picture(media_server, f"thread-{n}", n * 40) for n in range(3)]
    post_id = publish(api, "colibri", "ColibriSM, main", **thread_with_pictures(pictures))

    result = published(api, post_id)

    main, first, second = posts(site)
    assert [(p["text"], p["thread_id"]) for p in (main, first, second)] == [
        ("ColibriSM, main", 0),
        ("reply 1", main["id"]),
        ("reply 2", first["id"]),
    ]
    assert [[m["sha256"] for m in p["media"]] for p in (main, first, second)] == [[p.sha256] for p in pictures]
    assert [(s["post_id"], s["post_url"]) for s in result["segments"]] == [
        (str(p["id"]), p["url"]) for p in (main, first, second)
    ]
    assert (result["post_id"], result["post_url"]) == (str(main["id"]), f"{site.url}/thread/{main['id']}")


def test_a_poll_a_reply_policy_and_a_gif(api: httpx.Client, site: RunningFake) -> None:
    connect(api, "colibri", site.url, APP_SESSION)
    poll = {"options": ["Tea", "Coffee", "Neither"], "duration_minutes": 1440}
    voted = publish(api, "colibri", "Tea or coffee?", poll=poll, reply_policy="mentioned")
    gif = {"colibri": {"gif_url": "https://media.example/dance.gif"}}
    animated = publish(api, "colibri", "Friday!", platform_options=gif, reply_policy="followers")

    published(api, voted)
    published(api, animated)

    by_text = {p["text"]: p for p in posts(site)}
    assert (by_text["Tea or coffee?"]["poll"], by_text["Tea or coffee?"]["privacy"]) == (poll["options"], "mentioned")
    assert (by_text["Friday!"]["gif_src"], by_text["Friday!"]["privacy"]) == (gif["colibri"]["gif_url"], "followers")


def test_a_rate_limit_and_the_sites_own_error_are_retried_into_one_post_per_segment(
    api: httpx.Client, site: RunningFake, media_server: MediaServer
) -> None:
    """Seed 110 makes the second publish a 429 (the site's front server, Retry-After: 1) and its next try the
    application's own error (code 500, "try again later": surely not done, so retried at once); every other publish
    goes through. The files uploaded before each refused try are deleted, so each post carries its own once."""
    connect(api, "colibri", site.url, APP_SESSION)
    faults = Conditions(fault_rate=0.5, faults=["429", "500"], fault_paths=["/mobile_api/publish_post"], seed=110)
    site.set_conditions(faults)
    pictures = [picture(media_server, f"retried-{n}", 200 - n * 30) for n in range(3)]
    post_id = publish(api, "colibri", "retried, main", **thread_with_pictures(pictures))

    result = published(api, post_id)

    stats = site.stats()
    assert (stats["fault_429"], stats["fault_500"]) == (1, 1)
    assert [c["text"] for c in site.created()] == ["retried, main", "reply 1", "reply 2"]  # once each
    assert [[m["sha256"] for m in p["media"]] for p in posts(site)] == [[p.sha256] for p in pictures]
    assert len(result["segments"]) == 3


def test_two_posts_with_pictures_on_one_account_keep_them_apart(
    api: httpx.Client, site: RunningFake, media_server: MediaServer
) -> None:
    """The site attaches uploads to the account's one draft: published at once, two posts would merge without the
    account's publish lock."""
    connect(api, "colibri", site.url, APP_SESSION)
    pictures = [picture(media_server, f"apart-{n}", 10 + n) for n in range(2)]
    drafts = [
        api.post(
            "/v1/posts", json={"content": f"post {n}", "platforms": ["colibri"], "media": {"images": [{"url": p.url}]}}
        ).json()["id"]
        for n, p in enumerate(pictures)
    ]
    for post_id in drafts:
        assert api.post(f"/v1/posts/{post_id}/publish").status_code == 200

    for post_id in drafts:
        published(api, post_id)

    media_of = {p["text"]: [m["sha256"] for m in p["media"]] for p in posts(site)}
    assert media_of == {"post 0": [pictures[0].sha256], "post 1": [pictures[1].sha256]}


def test_a_crash_mid_thread_leaves_the_segment_unconfirmed_and_posts_nothing_twice(
    tmp_path: Path, site: RunningFake
) -> None:
    """Segment 2's publish reached the site, the worker died before recording it: ColibriSM cannot be asked
    whether it landed (no idempotency key), so the resumed target reports it unconfirmed and posts nothing more."""
    thread = {"content": "crash 1/3", "segments": [{"content": "crash 2/3"}, {"content": "crash 3/3"}]}

    done = crash_on_second_segment(
        tmp_path,
        "colibri",
        site.url,
        APP_SESSION,
        "publish_post",
        forward=True,
        landed=lambda: len(posts(site)) == 2,
        post=thread,
    )

    result = done["platform_results"]["colibri"]
    assert (done["status"], result["status"]) == ("failed", "unconfirmed")
    assert "not sent again to avoid a duplicate" in result["error"]
    assert len(result["segments"]) == 1  # the main post, delivered before the crash
    assert [(c["text"], c["reply_to"]) for c in site.created()] == [
        ("crash 1/3", None),
        ("crash 2/3", result["segments"][0]["post_id"]),
    ]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        pytest.param({"content": "é" * 601}, "colibri: content is 601 characters; the limit is 600", id="601-chars"),
        pytest.param(
            {"content": "ok", "segments": [{"content": "x" * 601}]},
            "colibri: segments[0] is 601 characters",
            id="601-chars-in-a-reply",
        ),
        pytest.param(
            {"content": "Which?", "poll": {"options": ["a", "b", "c", "d", "e"], "duration_minutes": 60}},
            "poll.options: 5 options; a poll has 2 to 4",  # the API's own rule comes first, for every platform
            id="poll-with-5-options",
        ),
        pytest.param(
            {"content": "Which?", "poll": {"options": ["a" * 101, "b"], "duration_minutes": 60}},
            "colibri: poll option 1 is 101 characters; the limit is 100",
            id="poll-option-too-long",
        ),
        pytest.param(
            {"content": "x", "reply_policy": "following"},
            "colibri: reply_policy 'following' cannot be applied on ColibriSM",
            id="reply-policy-following",
        ),
        pytest.param(
            {"content": "x", "reply_policy": "nobody"},
            "colibri: reply_policy 'nobody' cannot be applied on ColibriSM",
            id="reply-policy-nobody",
        ),
        pytest.param(
            {"content": "x", "platform_options": {"colibri": {"gif_url": 7}}},
            "platform_options.colibri: Expected `str | null`, got `int`",
            id="option-of-the-wrong-type",
        ),
        pytest.param(
            {"content": "x", "platform_options": {"colibri": {"gif": "https://m.example/a.gif"}}},
            "platform_options.colibri: Object contains unknown field `gif`",
            id="unknown-option",
        ),
        pytest.param(
            {
                "content": "x",
                "media": {"images": [{"url": "https://m.example/a.png"}]},
                "platform_options": {"colibri": {"gif_url": "https://m.example/a.gif"}},
            },
            "colibri: platform_options.colibri gif_url cannot go with images or a video",
            id="gif-with-an-image",
        ),
    ],
)
def test_what_the_site_cannot_take_is_refused_when_scheduled(
    api: httpx.Client, site: RunningFake, body: dict[str, Any], problem: str
) -> None:
    connect(api, "colibri", site.url, APP_SESSION)
    assert_refused_when_scheduled(api, site, "colibri", body, problem)
    assert posts(site) == []
