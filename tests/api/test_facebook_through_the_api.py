"""Facebook Pages end to end through `octopost serve` (SQLite): connected through the OAuth screen (the OAuth peer as
Meta's authorization server: the secret in the form, no refresh token), the short-lived user token traded for a
long-lived one and the Page chosen at connect (named by ``fields.page_id``, the only one, or refused naming several),
only the Page's token kept; a thread with uploaded photos as a Page post and its comments; a video that waits in
processing resumed after a SIGKILL without a second upload; a lost answer whose retry Graph calls a duplicate (506)
settled as the first post; Graph's rate codes rescheduled, a blocked Page (368) failed with Meta's message, a dead
token (190) asking to reconnect; the limits refused at schedule time. The peer is the strict Graph fake
(tests/fakes/facebook/)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.api.oauth_support import (
    authorize,
    connect_through_oauth,
    follow,
    octopost_for,
    peer_like,
    start_connect,
    stored_credentials,
)
from tests.api.support import assert_refused_when_scheduled
from tests.api.support import settled_through_processing as settled
from tests.api.support import upload_media as upload
from tests.fakes.facebook import (
    CAFE_PAGE_ID,
    CAFE_PAGE_NAME,
    CAFE_PAGE_TOKEN,
    PAGE_ID,
    PAGE_NAME,
    TWO_PAGES_USER_TOKEN,
    VERSION_PREFIX,
)
from tests.fakes.running import RunningFake, calm, fake_per_module
from tests.media import make_mp4, make_png
from tests.peers.app import OctopostProcess
from tests.peers.oauth_server import OAuthPeer, running_oauth_peer
from tests.scheduler.flows import ledger, make_all_due, publish, wait_for, wait_for_status
from tests.webhooks.flows import database_bytes

graph_fake = fake_per_module("facebook")


@pytest.fixture(scope="module")
def peer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OAuthPeer]:
    settings = {**peer_like("facebook"), "refresh_tokens": False}  # Meta issues no refresh token
    with running_oauth_peer(**settings, work_dir=tmp_path_factory.mktemp("oauth-facebook")) as running:
        yield running


@pytest.fixture(scope="module")
def service(peer: OAuthPeer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OctopostProcess]:
    running = octopost_for(peer, tmp_path_factory.mktemp("octopost-facebook"), "facebook").start()
    yield running
    running.stop()


@pytest.fixture
def fake(graph_fake: RunningFake, peer: OAuthPeer) -> Iterator[RunningFake]:
    graph_fake.trust_authorization_server(peer.issuer, peer.client_id)
    with calm(graph_fake) as calmed:
        yield calmed


@pytest.fixture
def api(service: OctopostProcess, request: pytest.FixtureRequest) -> httpx.Client:
    return service.client(workspace=f"ws-{request.node.name}"[:180])


@pytest.fixture
def page(api: httpx.Client, peer: OAuthPeer, fake: RunningFake) -> dict[str, Any]:
    """The test's workspace connected to the user's one postable Page through the OAuth screen."""
    return connect_through_oauth(api, peer, graph_url(fake), "facebook")


def graph_url(fake: RunningFake) -> str:
    return fake.url + VERSION_PREFIX


def target_row(service: OctopostProcess, post_id: str) -> tuple[str, str | None, str | None, str | None]:
    """(status, lease owner, error category, next attempt) of the post's one target."""
    path = service.database_url.removeprefix("sqlite+aiosqlite:///")
    with sqlite3.connect(path, timeout=30) as conn:
        row = conn.execute(
            "SELECT status, lease_owner, error_category, next_attempt_at FROM target WHERE post_id = ?", (post_id,)
        ).fetchone()
    return (row[0], row[1], row[2], row[3]) if row else ("", None, None, None)


def items(fake: RunningFake) -> list[dict[str, Any]]:
    return list(fake.control("GET", "items"))


# ---- connecting ---------------------------------------------------------------------------------------


def test_connecting_with_a_page_id_keeps_that_pages_token_and_no_user_token(
    api: httpx.Client, service: OctopostProcess, peer: OAuthPeer, fake: RunningFake
) -> None:
    fake.control("PUT", "settings", {"exchange_token": TWO_PAGES_USER_TOKEN})
    codes = peer.grant_count("authorization_code")
    started = start_connect(api, graph_url(fake), "facebook", fields={"page_id": CAFE_PAGE_ID})
    assert "scope=pages_show_list%2Cpages_manage_posts%2Cpages_read_engagement" in started["authorize_url"]
    page = follow(authorize(peer, started))
    assert page.status_code == 200, page.text

    [account] = api.get("/v1/accounts").json()["accounts"]
    assert (account["platform"], account["username"], account["is_active"]) == ("facebook", CAFE_PAGE_NAME, True)
    assert account["platform_user_id"] == CAFE_PAGE_ID
    assert peer.grant_count("authorization_code") == codes + 1
    assert fake.stats()["token_exchanges"] == 1  # the client secret and the peer's token were what Graph wanted
    stored = stored_credentials(service, account["id"])
    assert (stored["page_id"], stored["page_access_token"], stored["page_name"]) == (
        CAFE_PAGE_ID,
        CAFE_PAGE_TOKEN,
        CAFE_PAGE_NAME,
    )
    assert not stored.get("access_token")  # neither the short-lived user token nor the long-lived one
    assert not stored.get("expires_at")  # a Page token from a long-lived user token does not expire
    assert "refresh_token" not in stored
    database, log = database_bytes(service), service.log_text()
    for secret in (TWO_PAGES_USER_TOKEN, CAFE_PAGE_TOKEN, str(peer.client_secret)):
        assert secret not in log
    assert TWO_PAGES_USER_TOKEN.encode() not in database


def test_a_user_with_one_postable_page_connects_to_it(page: dict[str, Any], fake: RunningFake) -> None:
    assert (page["username"], page["platform_user_id"]) == (PAGE_NAME, PAGE_ID)


def test_several_pages_without_a_page_id_connect_nothing_and_say_which(
    api: httpx.Client, peer: OAuthPeer, fake: RunningFake
) -> None:
    fake.control("PUT", "settings", {"exchange_token": TWO_PAGES_USER_TOKEN})

    answer = follow(authorize(peer, start_connect(api, graph_url(fake), "facebook")))

    assert answer.status_code == 400, answer.text
    for label in (f"{PAGE_NAME} ({PAGE_ID})", f"{CAFE_PAGE_NAME} ({CAFE_PAGE_ID})"):
        assert label in answer.text
    assert "page_id" in answer.text
    assert api.get("/v1/accounts").json()["accounts"] == []


# ---- publishing ---------------------------------------------------------------------------------------


def test_a_thread_is_a_page_post_with_uploaded_photos_then_comments(
    api: httpx.Client, service: OctopostProcess, page: dict[str, Any], fake: RunningFake
) -> None:
    photos = [make_png(8, 6), make_png(6, 8, rgb=(10, 120, 30))]
    urls = [upload(api, data, "image/png") for data in photos]
    texts = ["Fresh bread at 8", "Rye and spelt today", "Thanks for coming!"]

    post_id = publish(
        api,
        "facebook",
        texts[0],
        media={"images": [{"url": urls[0], "alt_text": "A rye loaf"}, {"url": urls[1]}]},
        segments=[{"content": t} for t in texts[1:]],
    )
    done = settled(service, api, post_id)

    result = done["platform_results"]["facebook"]
    assert done["status"] == "published", result
    main, first, second = items(fake)
    assert [(i["message"], i["parent"]) for i in (main, first, second)] == [
        (texts[0], None),
        (texts[1], main["id"]),
        (texts[2], main["id"]),  # comment_on_main: every comment under the Page post
    ]
    assert [s["post_url"] for s in result["segments"]] == [i["permalink_url"] for i in (main, first, second)]
    uploaded = fake.control("GET", "photos")
    assert [(p["size"], p["alt_text"], p["published"], p["attached_to"]) for p in uploaded] == [
        (len(photos[0]), "A rye loaf", False, main["id"]),
        (len(photos[1]), None, False, main["id"]),
    ]
    assert main["photos"] == [p["id"] for p in uploaded]


def test_a_video_processing_when_the_worker_is_killed_is_resumed_without_a_second_upload(
    api: httpx.Client, service: OctopostProcess, page: dict[str, Any], fake: RunningFake
) -> None:
    clip = make_mp4()
    post_id = publish(api, "facebook", "Our oven, in motion", media={"video": {"url": upload(api, clip, "video/mp4")}})
    db = service.data_dir / "octopost.db"
    wait_for(lambda: [r[2] for r in ledger(db, post_id)] == ["pending"], timeout=30, what="the video pending")
    wait_for(lambda: target_row(service, post_id)[:2] == ("pending", None), timeout=30, what="the target released")
    [video] = fake.control("GET", "videos")
    assert video["status_reads"] == 0  # killed before the first status check

    service.kill()
    service.start()  # the same worker back (the module's service): it resumes from the ledger's handle
    done = settled(service, api, post_id)

    assert done["status"] == "published", done["platform_results"]
    [after] = fake.control("GET", "videos")  # one upload: resumed from {"video": id}, not uploaded again
    assert after["id"] == video["id"]
    assert after["size"] == len(clip)
    assert (after["state"], after["status_reads"] >= 2) == ("ready", True)  # processing, then ready
    assert done["platform_results"]["facebook"]["post_id"] == video["id"]
    assert [c["text"] for c in fake.created()] == ["Our oven, in motion"]


def test_a_lost_answer_whose_retry_is_a_duplicate_settles_as_the_first_post(
    api: httpx.Client, service: OctopostProcess, page: dict[str, Any], fake: RunningFake
) -> None:
    # The post lands but its answer is lost; Graph's feed does not show it yet, so the engine's lookup misses it and
    # the retry is refused as a duplicate (506): the adapter reads the feed again and takes the first post.
    fake.control("PUT", "settings", {"feed_lag_reads": 1})
    fake.control("PUT", "next_error", {"edge": "feed", "lose_answer": True})

    done = settled(service, api, publish(api, "facebook", "Exactly once"))

    assert done["status"] == "published", done["platform_results"]
    [post] = items(fake)
    assert done["platform_results"]["facebook"]["post_id"] == post["id"]
    stats = fake.stats()
    assert (stats["answers_lost"], stats["duplicates_refused"]) == (1, 1)  # the path above, as it happened
    assert fake.duplicates() == 0
    assert len(fake.created()) == 1


@pytest.mark.parametrize("code", [4, 17, 32, 613])
def test_graphs_rate_limit_codes_reschedule_the_post(
    api: httpx.Client, service: OctopostProcess, page: dict[str, Any], fake: RunningFake, code: int
) -> None:
    fake.control("PUT", "next_error", {"edge": "feed", "code": code})

    post_id = publish(api, "facebook", f"After the limit ({code})")
    wait_for(lambda: target_row(service, post_id)[2] == "rate_limited", timeout=30, what="the reschedule")
    status, _owner, _category, next_attempt = target_row(service, post_id)
    assert status == "pending"
    # Meta's x-business-use-case-usage says 7 minutes to regain access: that is when it comes back.
    wait = datetime.fromisoformat(str(next_attempt)).replace(tzinfo=UTC) - datetime.now(UTC)
    assert timedelta(minutes=6) < wait <= timedelta(minutes=7)
    assert items(fake) == []

    make_all_due(service.database_url)
    done = settled(service, api, post_id)
    assert done["status"] == "published", done["platform_results"]
    assert [i["message"] for i in items(fake)] == [f"After the limit ({code})"]


def test_a_page_blocked_from_posting_fails_with_metas_message(
    api: httpx.Client, page: dict[str, Any], fake: RunningFake
) -> None:
    fake.control("PUT", "next_error", {"edge": "feed", "code": 368})

    done = wait_for_status(api, publish(api, "facebook", "Blocked"), "published", "failed")

    result = done["platform_results"]["facebook"]
    assert done["status"] == "failed", result
    assert "temporarily blocked from posting to this Page" in result["error"]
    assert api.get(f"/v1/accounts/{page['id']}").json()["is_active"] is True  # the Page, not the token


def test_a_dead_token_fails_the_post_and_asks_to_reconnect(
    api: httpx.Client, page: dict[str, Any], fake: RunningFake
) -> None:
    message = "Error validating access token: The user has not authorized application 1234."
    fake.control("PUT", "next_error", {"edge": "feed", "code": 190, "message": message})

    done = wait_for_status(api, publish(api, "facebook", "On a revoked token"), "published", "failed")

    result = done["platform_results"]["facebook"]
    assert done["status"] == "failed", result
    assert "reconnect" in result["error"]
    assert api.get(f"/v1/accounts/{page['id']}").json()["is_active"] is False
    assert items(fake) == []


# ---- limits -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        pytest.param({"content": "b" * 63207}, "facebook: content is 63207 characters; the limit is 63206", id="text"),
        pytest.param(
            {"segments": [{"content": "a comment", "media_urls": ["https://m.example/c.png"]}]},
            "facebook: segments[0] cannot carry media: Facebook Pages takes media on the main post",
            id="media-in-a-comment",
        ),
    ],
)
def test_facebooks_limits_are_refused_when_scheduled(
    api: httpx.Client, page: dict[str, Any], fake: RunningFake, fields: dict, problem: str
) -> None:
    assert_refused_when_scheduled(api, fake, "facebook", fields, problem)
