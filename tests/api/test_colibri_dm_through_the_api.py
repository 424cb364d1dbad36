"""Direct messages on a ColibriSM site end to end through `octopost serve`: connect (with a default recipient),
send a 3-segment post as three messages in order with an image each, to the recipient the post names or the
account's default; a recipient who blocked the account; a rate limit and the site's own error ridden out; a crash
mid-conversation that sends nothing twice; refusals at schedule time. Against the fake site
(tests/fakes/colibri/: BOB takes messages, CAROL blocked the account)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.adapters.colibri.flows import crash_on_second_segment, picture, refused
from tests.adapters.colibri.support import APP_SESSION, PASSWORD, messages
from tests.api.support import assert_refused_when_scheduled
from tests.fakes.colibri import BOB, CAROL
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake, calm, fake_per_module
from tests.peers.media_server import MediaServer
from tests.scheduler.flows import connect, publish, wait_for_status

TO_BOB = {"colibri_dm": {"recipient_id": BOB.id}}


colibri_site = fake_per_module("colibri")


@pytest.fixture
def site(colibri_site: RunningFake) -> Iterator[RunningFake]:
    with calm(colibri_site) as fake:
        yield fake


def finished(api: httpx.Client, post_id: str) -> tuple[str, dict[str, Any]]:
    done = wait_for_status(api, post_id, "published", "failed", timeout=60)
    return done["status"], dict(done["platform_results"]["colibri_dm"])


def test_connecting_checks_the_default_recipient(api: httpx.Client, site: RunningFake) -> None:
    account = connect(api, "colibri_dm", site.url, {**PASSWORD, "recipient_id": str(BOB.id)})
    assert (account["platform"], account["username"]) == ("colibri_dm", "alice")
    assert connect(api, "colibri_dm", site.url, APP_SESSION)["platform_user_id"] == "7"

    nobody = refused(api, "colibri_dm", site.url, {**APP_SESSION, "recipient_id": "4040"})
    assert "ColibriSM has no user '4040'" in nobody
    wrong_password = refused(api, "colibri_dm", site.url, {**PASSWORD, "password": "guess"})
    assert "refused the username and password" in wrong_password


def test_three_segments_are_three_messages_in_order_each_with_its_image(
    api: httpx.Client, site: RunningFake, media_server: MediaServer
) -> None:
    connect(api, "colibri_dm", site.url, APP_SESSION)
    pictures = [picture(media_server, f"dm-{n}", 60 + n * 50) for n in range(3)]
    post_id = publish(
        api,
        "colibri_dm",
        "Hello Bob",
        media={"images": [{"url": pictures[0].url}]},
        segments=[{"content": f"part {n}", "media_urls": [p.url]} for n, p in enumerate(pictures[1:], 2)],
        platform_options=TO_BOB,
    )

    status, result = finished(api, post_id)

    assert status == "published", result
    sent = messages(site)
    assert [(m["sent_to"], m["message"], m["sha256"]) for m in sent] == [
        (BOB.id, text, p.sha256) for text, p in zip(["Hello Bob", "part 2", "part 3"], pictures, strict=True)
    ]
    assert [(s["post_id"], s["post_url"]) for s in result["segments"]] == [
        (str(m["id"]), f"{site.url}/conversation/@bob#message-{m['id']}") for m in sent
    ]


def test_a_recipient_who_blocked_the_account_fails_the_target_with_the_sites_words(
    api: httpx.Client, site: RunningFake
) -> None:
    connect(api, "colibri_dm", site.url, {**APP_SESSION, "recipient_id": str(BOB.id)})
    to_carol = {"colibri_dm": {"recipient_id": str(CAROL.id)}}  # the post's recipient, over the default
    post_id = publish(api, "colibri_dm", "Hi Carol", platform_options=to_carol)

    status, result = finished(api, post_id)

    assert (status, result["success"], result["error_category"]) == ("failed", False, "rejected")
    assert "Your account has been blocked by this account" in result["error"]
    assert messages(site) == []
    to_default = publish(api, "colibri_dm", "Hi Bob")
    assert finished(api, to_default)[0] == "published"
    assert [(m["sent_to"], m["message"]) for m in messages(site)] == [(BOB.id, "Hi Bob")]


def test_a_rate_limit_and_the_sites_own_error_are_retried_into_one_message_per_segment(
    api: httpx.Client, site: RunningFake
) -> None:
    """Seed 110: the second message meets a 429 (Retry-After: 1), its next try the site's code 500 ("try again
    later": not sent, so retried); the rest go through."""
    connect(api, "colibri_dm", site.url, APP_SESSION)
    faults = Conditions(fault_rate=0.5, faults=["429", "500"], fault_paths=["/mobile_api/send_message"], seed=110)
    site.set_conditions(faults)
    segments = [{"content": "two"}, {"content": "three"}]
    post_id = publish(api, "colibri_dm", "one", segments=segments, platform_options=TO_BOB)

    status, result = finished(api, post_id)

    assert status == "published", result
    assert (site.stats()["fault_429"], site.stats()["fault_500"]) == (1, 1)
    assert [m["message"] for m in messages(site)] == ["one", "two", "three"]


def test_a_crash_mid_conversation_sends_nothing_twice(tmp_path: Path, site: RunningFake) -> None:
    """The worker dies while message 2 is on its way and it never arrives: still, ColibriSM cannot be asked, so the
    segment is reported unconfirmed and neither it nor message 3 is sent."""
    post = {"content": "first", "segments": [{"content": "second"}, {"content": "third"}], "platform_options": TO_BOB}

    done = crash_on_second_segment(
        tmp_path, "colibri_dm", site.url, APP_SESSION, "send_message", forward=False, landed=lambda: True, post=post
    )

    result = done["platform_results"]["colibri_dm"]
    assert (done["status"], result["status"]) == ("failed", "unconfirmed")
    assert "not sent again to avoid a duplicate" in result["error"]
    assert [m["message"] for m in messages(site)] == ["first"]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        pytest.param({"content": "é" * 3001}, "colibri_dm: content is 3001 characters; the limit is 3000", id="3001"),
        pytest.param(
            {"content": "x", "segments": [{"content": "two", "media_urls": ["https://m.example/a.png"] * 2}]},
            "colibri_dm: segments[0] has 2 images; the limit is 1",
            id="two-images-in-a-message",
        ),
        pytest.param(
            {"content": "x", "media": {"video": {"url": "https://m.example/a.mp4"}}},
            "colibri_dm: content has 1 videos; the limit is 0",
            id="a-video",
        ),
        pytest.param(
            {"content": "x", "platform_options": {"colibri_dm": {"recipient_id": ["8"]}}},
            "platform_options.colibri_dm: Expected `int | str | null`, got `array`",
            id="option-of-the-wrong-type",
        ),
        pytest.param(
            {"content": "x", "platform_options": {"colibri_dm": {"recipient_id": "bob"}}},
            "colibri_dm: platform_options.colibri_dm recipient_id must be a ColibriSM user id",
            id="recipient-not-an-id",
        ),
        pytest.param(
            {"content": "x", "reply_policy": "followers"},
            "colibri_dm: reply_policy 'followers' cannot be applied on ColibriSM messages",
            id="reply-policy",
        ),
        pytest.param(
            {"content": "x", "poll": {"options": ["a", "b"], "duration_minutes": 60}},
            "colibri_dm: poll cannot be posted: ColibriSM messages has no polls",
            id="poll",
        ),
    ],
)
def test_what_a_message_cannot_be_is_refused_when_scheduled(
    api: httpx.Client, site: RunningFake, body: dict[str, Any], problem: str
) -> None:
    connect(api, "colibri_dm", site.url, APP_SESSION)
    assert_refused_when_scheduled(api, site, "colibri_dm", body, problem)
