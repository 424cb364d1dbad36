"""Ziik end to end through `octopost serve`: connect an account (a password or a token) over /v1/accounts, publish a
3-segment thread with an image each as ONE content item, a scheduled poll with comments closed and the options,
ride out a 429 and a 500, renew a token Ziik stopped taking, survive a worker killed mid-publish without posting
twice, and have every Ziik refusal answered 422 at schedule time without anything reaching Ziik (the fake,
tests/fakes/ziik/)."""

from __future__ import annotations

import hashlib
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from octopost.crypto import CredentialCipher
from tests.api.support import assert_refused_when_scheduled
from tests.fakes.running import RunningFake, fake_per_module
from tests.fakes.ziik import GROUP_ID, PASSWORD, USER_ID, USERNAME
from tests.media import make_png
from tests.peers.app import OctopostProcess, make_octopost
from tests.peers.databases import fetch
from tests.peers.media_server import MediaServer
from tests.peers.proxy import Proxy, holding_proxy
from tests.scheduler.flows import (
    connect,
    finish_with_another_worker,
    in_seconds,
    ledger,
    publish,
    wait_for,
    wait_for_status,
)

LOGIN = {"username": USERNAME, "password": PASSWORD}


ziik_fake = fake_per_module("ziik")


@pytest.fixture
def ziik(ziik_fake: RunningFake) -> RunningFake:
    ziik_fake.reset()
    return ziik_fake


def api_url(ziik: RunningFake) -> str:
    return f"{ziik.url}/api"


def stored_credentials(service: OctopostProcess, account_id: str) -> dict[str, str]:
    (encrypted,) = fetch(
        service.database_url, "SELECT credentials_encrypted FROM account WHERE id = :id", id=account_id
    )[0]
    return dict(CredentialCipher(service.env["OCTOPOST_SECRET_KEY"]).decrypt(encrypted))


def contents(ziik: RunningFake) -> list[dict[str, Any]]:
    return list(ziik.control("GET", "contents"))


def ziik_result(done: dict[str, Any]) -> dict[str, Any]:
    return dict(done["platform_results"]["ziik"])


# ---- connecting --------------------------------------------------------------------------------------------


def test_connecting_with_a_password_or_a_token(api: httpx.Client, octopost: OctopostProcess, ziik: RunningFake) -> None:
    account = connect(api, "ziik", api_url(ziik), LOGIN)

    assert (account["platform"], account["username"], account["platform_user_id"]) == ("ziik", USERNAME, str(USER_ID))
    assert account["display_name"] == "Erna Langworth"
    assert PASSWORD not in str(account)
    stored = stored_credentials(octopost, account["id"])
    assert set(stored) == {"username", "password", "token"}  # the JWT from the login, kept for the next publish
    assert stored["token"].count(".") == 2

    by_token = connect(api, "ziik", api_url(ziik), {"token": stored["token"]})
    assert by_token["platform_user_id"] == str(USER_ID)
    assert ziik.stats()["logins"] == 1


@pytest.mark.parametrize(
    ("credentials", "message"),
    [
        (
            {"username": USERNAME, "password": "wrong"},
            f"Ziik rejected the credentials: Ziik refused the username or password of '{USERNAME}' (422: The "
            "username or password is incorrect [invalid_credentials]); check them and connect the account again",
        ),
        ({"token": "aaaa.bbbb.cccc"}, "Ziik rejected the credentials: Ziik refused the token"),
        ({"username": USERNAME}, "credentials for ziik must contain {password, username} or {token}"),
    ],
)
def test_refused_credentials_are_a_422(
    api: httpx.Client, ziik: RunningFake, credentials: dict[str, str], message: str
) -> None:
    answer = api.post("/v1/accounts", json={"platform": "ziik", "base_url": api_url(ziik), "credentials": credentials})

    assert answer.status_code == 422, answer.text
    assert message in answer.text
    assert "wrong" not in answer.text
    assert api.get("/v1/accounts").json()["accounts"] == []


# ---- publishing --------------------------------------------------------------------------------------------


def test_a_thread_with_an_image_each_is_one_content_item(
    api: httpx.Client, ziik: RunningFake, media_server: MediaServer
) -> None:
    connect(api, "ziik", api_url(ziik), LOGIN)
    images = [make_png(4 + n, 3, (n * 40, 10, 10)) for n in range(3)]
    urls = [media_server.add(f"/ziik/thread-{n}.png", data, "image/png") for n, data in enumerate(images)]
    texts = ["Ziik, the news\nin two lines", "Second: a & b", "Third <and last>"]

    post_id = publish(
        api,
        "ziik",
        texts[0],
        media={"images": [{"url": urls[0], "alt_text": "first"}]},
        segments=[{"content": texts[1], "media_urls": [urls[1]]}, {"content": texts[2], "media_urls": [urls[2]]}],
    )
    done = wait_for_status(api, post_id, "published", "failed", timeout=60)

    result = ziik_result(done)
    assert done["status"] == "published", result
    (item,) = contents(ziik)
    assert result["post_id"] == item["id"]
    assert result["post_url"] == f"{api_url(ziik)}/content/{item['id']}"
    assert [s["post_id"] for s in result["segments"]] == [item["id"]]  # one item for the whole thread
    assert item["request"]["title"] == "Ziik, the news"
    assert item["request"]["body"] == (
        "<p>Ziik, the news<br>in two lines</p><p>Second: a &amp; b</p><p>Third &lt;and last&gt;</p>"
    )
    assert item["request"]["fileCount"] == 3
    assert [f["sha256"] for f in item["files"]] == [hashlib.sha256(data).hexdigest() for data in images]
    assert (item["published"], item["deleted"]) == (True, False)
    assert len(ziik.created()) == 1


def test_a_scheduled_poll_with_comments_closed_and_the_options(api: httpx.Client, ziik: RunningFake) -> None:
    connect(api, "ziik", api_url(ziik), LOGIN)
    pin_until = (datetime.now().astimezone() + timedelta(days=3)).replace(microsecond=0)
    created = api.post(
        "/v1/posts",
        json={
            "content": "Where do we meet?\nVote below",
            "platforms": ["ziik"],
            "scheduled_for": in_seconds(1),
            "poll": {"options": ["Office", "Online"], "duration_minutes": 120, "question": "Meeting place?"},
            "reply_policy": "nobody",
            "platform_options": {
                "ziik": {
                    "title": "Team meeting",
                    "group": GROUP_ID,
                    "important": True,
                    "pinned_until": pin_until.isoformat(),
                    "show_in_feed": True,
                    "require_confirmation": True,
                }
            },
        },
    )
    assert created.status_code == 201, created.text

    done = wait_for_status(api, created.json()["id"], "published", "failed", timeout=60)

    assert done["status"] == "published", ziik_result(done)
    (item,) = contents(ziik)
    sent = item["request"]
    due = int(datetime.fromisoformat(done["scheduled_for"]).timestamp())
    assert sent["publish"] == {"status": True, "publish_on": due}  # when the post was due, in Unix seconds
    poll = sent.pop("poll")
    assert poll["question"] == "Meeting place?"
    assert poll["choices"] == [{"title": "Office"}, {"title": "Online"}]
    assert due + 120 * 60 <= poll["close_at"] <= int(time.time()) + 120 * 60
    assert {k: v for k, v in sent.items() if k not in {"body", "publish"}} == {
        "title": "Team meeting",
        "group": GROUP_ID,
        "important": True,
        "pinned": {"until": int(pin_until.timestamp())},
        "show_in_feed": True,
        "confirm": {"enabled": True},
        "comments": {"enabled": False},  # reply_policy nobody
    }


def test_a_429_and_a_500_are_retried_to_exactly_one_item(api: httpx.Client, ziik: RunningFake) -> None:
    connect(api, "ziik", api_url(ziik), LOGIN)
    for status in (429, 500):
        ziik.control("POST", "fail_next", {"method": "POST", "path": "/api/content", "status": status})

    post_id = publish(api, "ziik", "Try, try again")
    done = wait_for_status(api, post_id, "published", "failed", timeout=60)

    assert done["status"] == "published", ziik_result(done)
    stats = ziik.stats()
    assert (stats["injected_429"], stats["injected_500"]) == (1, 1)
    assert [c["text"] for c in ziik.created()] == ["<p>Try, try again</p>"]


def test_a_token_ziik_stopped_taking_is_renewed_by_logging_in_again(
    api: httpx.Client, octopost: OctopostProcess, ziik: RunningFake
) -> None:
    account = connect(api, "ziik", api_url(ziik), LOGIN)
    first_token = stored_credentials(octopost, account["id"])["token"]
    ziik.control("POST", "tokens/revoke")  # e.g. an administrator reset the user's sessions

    post_id = publish(api, "ziik", "Still here")
    done = wait_for_status(api, post_id, "published", "failed", timeout=60)

    assert done["status"] == "published", ziik_result(done)
    renewed = stored_credentials(octopost, account["id"])["token"]
    assert renewed != first_token
    assert ziik.stats()["logins"] == 2  # the connect, then once after the 401
    assert len(ziik.created()) == 1


def test_a_token_about_to_expire_is_renewed_and_stored(
    api: httpx.Client, octopost: OctopostProcess, ziik: RunningFake
) -> None:
    ziik.control("PUT", "tokens", {"lifetime_seconds": 120})  # within the adapter's renewal margin
    account = connect(api, "ziik", api_url(ziik), LOGIN)
    connected_token = stored_credentials(octopost, account["id"])["token"]

    post_id = publish(api, "ziik", "Renewed on the way")
    done = wait_for_status(api, post_id, "published", "failed", timeout=60)

    assert done["status"] == "published", ziik_result(done)
    assert (ziik.stats()["logins"], ziik.stats()["renewals"]) == (1, 1)  # renewed, not logged in again
    assert stored_credentials(octopost, account["id"])["token"] != connected_token


# ---- a worker killed mid-publish -------------------------------------------------------------------------------


def _kill_while_held(tmp_path: Path, proxy: Proxy, media_url: str | None) -> tuple[str, OctopostProcess, str]:
    """Publish through the proxy; once it holds the request, SIGKILL the worker. Returns (post id, worker, key)."""
    first = make_octopost(tmp_path / "first", OCTOPOST_LEASE_SECONDS="2").start()
    key = first.new_key()
    api = first.client(key)
    connect(api, "ziik", f"{proxy.url}/api", LOGIN)
    media = {"images": [{"url": media_url}]} if media_url else None
    post_id = publish(api, "ziik", "Crash-safe news", media=media)
    wait_for(proxy.held.is_set, timeout=60, what="the publish reaching Ziik")
    assert [(row[1], row[2]) for row in ledger(first.data_dir / "octopost.db", post_id)] == [(0, "sending")]
    first.kill()
    return post_id, first, key


@pytest.mark.parametrize(
    ("held", "forward"),
    [("/api/content", True), ("/api/upload", False)],
    ids=["created-before-the-crash", "crashed-before-the-uploads"],
)
def test_a_crash_mid_publish_is_unconfirmed_never_posted_twice(
    tmp_path: Path, ziik: RunningFake, media_server: MediaServer, held: str, forward: bool
) -> None:
    """The create was held and then applied (the worker died before it heard), or the item was created and the
    worker died before its file went up. Ziik has no idempotency key: the next worker reports the target
    unconfirmed instead of creating a second item. An item still waiting for its files stays unpublished."""
    media_url = media_server.add("/ziik/crash.png", make_png(), "image/png") if held == "/api/upload" else None
    with holding_proxy(ziik.url, lambda m, p, n: m == "POST" and p == held and n == 1) as proxy:
        post_id, first, key = _kill_while_held(tmp_path, proxy, media_url)
        proxy.release(forward=forward)
        if forward:
            wait_for(lambda: len(ziik.created()) == 1, timeout=30, what="the held create landing")
        done = finish_with_another_worker(first, key, post_id)

    result = ziik_result(done)
    assert (done["status"], result["success"], result["status"]) == ("failed", False, "unconfirmed"), result
    assert "not sent again to avoid a duplicate" in result["error"]
    (item,) = contents(ziik)  # one item, never a second
    assert len(ziik.created()) == 1
    assert item["published"] is (held == "/api/content")  # without its file, Ziik keeps it unpublished


# ---- refusals at schedule time ---------------------------------------------------------------------------------

FOLDED = {"content": "a" * 5000, "segments": [{"content": "b" * 5000}, {"content": "c" * 5000}]}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            FOLDED,
            "ziik: content is 15004 characters; the limit is 13105 (codepoints) (the thread folded into one post)",
        ),
        (
            {"platform_options": {"ziik": {"title": "t" * 256}}},
            "platform_options.ziik: Expected `str` of length <= 255",
        ),
        (
            {"platform_options": {"ziik": {"group": GROUP_ID, "owner_unit": 1}}},
            "ziik: platform_options.ziik group and owner_unit cannot both be given",
        ),
        (
            {"reply_policy": "followers"},
            "ziik: reply_policy 'followers' cannot be applied on Ziik (it supports: everyone",
        ),
        (
            {"platform_options": {"ziik": {"group": "543", "important": "yes"}}},
            "platform_options.ziik: Expected `int | null`, got `str` - at `$.group`",
        ),
        (
            {"platform_options": {"ziik": {"comments_enabled": True}}, "reply_policy": "nobody"},
            "ziik: platform_options.ziik comments_enabled is true but reply_policy 'nobody' closes the post's comments",
        ),
    ],
    ids=[
        "folded-thread-over-the-limit",
        "title-over-255",
        "group-and-owner-unit",
        "reply-policy",
        "option-types",
        "comments-against-the-policy",
    ],
)
def test_what_ziik_refuses_is_a_422_at_schedule_time(
    api: httpx.Client, ziik: RunningFake, fields: dict[str, Any], message: str
) -> None:
    connect(api, "ziik", api_url(ziik), LOGIN)
    assert_refused_when_scheduled(api, ziik, "ziik", fields, message)
