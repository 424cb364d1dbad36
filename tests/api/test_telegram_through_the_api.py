"""Telegram end to end through `octopost serve`: connect a bot and a channel over /v1/accounts (its username learned
and stored), publish a 3-segment thread with a poll and an image as three messages replying in a chain, ride out a
429 and a 500 to exactly one message per segment, follow a group Telegram upgraded to a supergroup (the account
updated), and have Telegram's limits refused at schedule time with nothing sent. The peer is the Telegram fake
(tests/fakes/telegram/), which checks every call against ../shared/specs/telegram-bot-api.json."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from octopost.crypto import CredentialCipher
from tests.api.support import assert_refused_when_scheduled
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake, running_fake
from tests.fakes.telegram import BASIC_GROUP_ID, CHANNEL, CHANNEL_ID, SPEC_NAME, token_for
from tests.media import make_png
from tests.peers.app import OctopostProcess
from tests.peers.databases import fetch
from tests.peers.media_server import MediaServer
from tests.peers.prism import shared_spec
from tests.scheduler.flows import connect, publish, wait_for, wait_for_status

TOKEN = token_for(7000000042)
CREDENTIALS = {"bot_token": TOKEN, "chat_id": CHANNEL}


@pytest.fixture(scope="module")
def telegram_fake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningFake]:
    shared_spec(SPEC_NAME)  # the fake checks every call against it: skip, saying so, where it is absent
    with running_fake("telegram", tmp_path_factory.mktemp("fake-telegram")) as fake:
        yield fake


@pytest.fixture
def telegram(telegram_fake: RunningFake) -> Iterator[RunningFake]:
    telegram_fake.set_conditions(Conditions())
    telegram_fake.reset()
    yield telegram_fake
    telegram_fake.set_conditions(Conditions())


def stored_credentials(service: OctopostProcess, account_id: str) -> dict[str, str]:
    (encrypted,) = fetch(
        service.database_url, "SELECT credentials_encrypted FROM account WHERE id = :id", id=account_id
    )[0]
    return dict(CredentialCipher(service.env["OCTOPOST_SECRET_KEY"]).decrypt(encrypted))


def sends(telegram: RunningFake) -> list[dict]:
    return list(telegram.control("GET", "messages"))


def published(api: httpx.Client, post_id: str) -> dict:
    done = wait_for_status(api, post_id, "published", "failed", timeout=60)
    result = done["platform_results"]["telegram"]
    assert done["status"] == "published", result
    return dict(result)


def test_a_thread_with_a_poll_and_an_image_replies_in_a_chain(
    api: httpx.Client, octopost: OctopostProcess, telegram: RunningFake, media_server: MediaServer
) -> None:
    account = connect(api, "telegram", telegram.url, CREDENTIALS)
    assert (account["username"], account["display_name"]) == ("fake_7000000042_bot", "Octopost News")
    assert stored_credentials(octopost, account["id"]) == {**CREDENTIALS, "chat_username": "octopost_news"}
    image = make_png(8, 6)
    url = media_server.add("/telegram/thread.png", image, "image/png")
    texts = ["Lunch on Friday?\nVote below", "The menu, as a *photo*", "Thanks <all>!"]

    post_id = publish(
        api,
        "telegram",
        texts[0],
        poll={"options": ["Pizza", "Sushi"], "duration_minutes": 60},
        segments=[{"content": texts[1], "media_urls": [url]}, {"content": texts[2]}],
    )
    result = published(api, post_id)

    main, photo, last = (s["post_id"] for s in result["segments"])
    assert [s["post_url"] for s in result["segments"]] == [
        f"https://t.me/octopost_news/{i}" for i in (main, photo, last)
    ]
    assert [(c["id"], c["text"], c["reply_to"]) for c in telegram.created()] == [
        (main, "Lunch on Friday?", None),  # a poll's row shows its question
        (photo, texts[1], main),
        (last, texts[2], photo),
    ]
    poll, picture, text = sends(telegram)
    assert (poll["method"], picture["method"], text["method"]) == ("sendPoll", "sendPhoto", "sendMessage")
    assert all(s["chat_id"] == CHANNEL_ID for s in (poll, picture, text))
    assert poll["params"]["open_period"] == 3600
    assert poll["params"]["description"] == texts[0]
    assert picture["params"]["caption"] == texts[1]
    assert picture["params"]["photo"]["size"] == len(image)
    assert text["params"] == {
        "chat_id": "@octopost_news",
        "text": texts[2],
        "reply_parameters": {"message_id": int(photo)},
    }
    assert TOKEN not in octopost.log_text()


def test_a_429_and_a_500_are_retried_to_one_message_per_segment(api: httpx.Client, telegram: RunningFake) -> None:
    connect(api, "telegram", telegram.url, CREDENTIALS)
    telegram.set_conditions(Conditions(fault_rate=1.0, faults=["429"], retry_after_seconds=1))
    texts = ["retried main", "retried reply one", "retried reply two"]

    post_id = publish(api, "telegram", texts[0], segments=[{"content": t} for t in texts[1:]])

    wait_for(lambda: telegram.stats().get("fault_429", 0) >= 1, timeout=30, what="the main message's 429")
    telegram.set_conditions(Conditions(fault_rate=1.0, faults=["500"]))
    wait_for(lambda: telegram.stats().get("fault_500", 0) >= 1, timeout=30, what="a 500")
    telegram.set_conditions(Conditions())
    result = published(api, post_id)
    created = telegram.created()
    assert [c["text"] for c in created] == texts
    assert [c["id"] for c in created] == [s["post_id"] for s in result["segments"]]
    assert [c["reply_to"] for c in created] == [None, created[0]["id"], created[1]["id"]]


def test_a_group_upgraded_to_a_supergroup_is_followed_and_the_account_updated(
    tmp_path: Path, api: httpx.Client, octopost: OctopostProcess
) -> None:
    shared_spec(SPEC_NAME)
    with running_fake("telegram", tmp_path) as telegram:  # its own fake: the upgrade changes it for good
        account = connect(api, "telegram", telegram.url, {"bot_token": TOKEN, "chat_id": str(BASIC_GROUP_ID)})
        new_id = telegram.control("POST", "upgrade", {"chat_id": BASIC_GROUP_ID})["migrate_to_chat_id"]

        result = published(api, publish(api, "telegram", "After the upgrade"))

        assert [s["chat_id"] for s in sends(telegram)] == [new_id]
        assert result["post_url"] == f"https://t.me/c/{str(new_id).removeprefix('-100')}/{result['post_id']}"
        assert stored_credentials(octopost, account["id"])["chat_id"] == str(new_id)


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        pytest.param(
            {"content": "👍" * 2048 + "!"},
            "telegram: content is 4097 characters; the limit is 4096 (utf16)",
            id="4097-utf16-units",
        ),
        pytest.param(
            {"segments": [{"content": "é" * 1025, "media_urls": ["https://m.example/a.png"]}]},
            "telegram: segments[0] is 1025 characters; the limit is 1024 (utf16) as the caption of its media",
            id="caption-1025",
        ),
        pytest.param(
            {"content": "a" * 1025, "poll": {"options": ["Yes", "No"], "duration_minutes": 60}},
            "telegram: content is 1025 characters; the limit is 1024 (utf16) as the text of its poll",
            id="poll-text-1025",
        ),
        pytest.param(
            {
                "poll": {"options": ["Yes", "No"], "duration_minutes": 60},
                "media": {"images": [{"url": "https://m.example/a.png"}]},
            },
            "telegram: poll cannot go with media on Telegram",
            id="poll-with-media",
        ),
    ],
)
def test_telegrams_limits_are_refused_when_scheduled(
    api: httpx.Client, telegram: RunningFake, fields: dict, problem: str
) -> None:
    connect(api, "telegram", telegram.url, CREDENTIALS)

    assert_refused_when_scheduled(api, telegram, "telegram", fields, problem)


def test_a_bot_that_may_not_post_is_refused_when_connecting(api: httpx.Client, telegram: RunningFake) -> None:
    answer = api.post(
        "/v1/accounts",
        json={
            "platform": "telegram",
            "base_url": telegram.url,
            "credentials": {"bot_token": TOKEN, "chat_id": "@octopost_readonly"},
        },
    )

    assert answer.status_code == 422, answer.text
    assert "Telegram rejected the credentials" in answer.text
    assert "without the right to post messages" in answer.text
    assert TOKEN not in answer.text
