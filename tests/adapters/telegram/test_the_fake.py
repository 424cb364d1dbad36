"""The Telegram fake is as strict as the spec it loads (../shared/specs/telegram-bot-api.json): raw calls to it, each
refused the way Telegram words a 400, or answered as Telegram answers."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.adapters.telegram.support import TOKEN
from tests.fakes.running import RunningFake
from tests.fakes.telegram import CHANNEL, CHANNEL_ID
from tests.media import make_png


def call(fake: RunningFake, method: str, token: str = TOKEN, **send: Any) -> tuple[int, dict[str, Any]]:
    answer = httpx.post(f"{fake.url}/bot{token}/{method}", timeout=10, **send)
    return answer.status_code, answer.json()


@pytest.mark.parametrize(
    ("body", "description"),
    [
        ({"chat_id": CHANNEL, "text": "hi", "colour": "red"}, "unknown parameter 'colour' for sendMessage"),
        ({"chat_id": CHANNEL}, "parameter 'text' is required"),
        ({"chat_id": True, "text": "hi"}, "chat_id is not Integer or String"),
        ({"chat_id": CHANNEL, "text": "hi", "reply_parameters": {"message": 1}}, "unknown field 'message'"),
        ({"chat_id": CHANNEL, "text": "hi", "reply_parameters": {"message_id": "1"}}, "must be an Integer"),
        ({"chat_id": CHANNEL, "text": "👍" * 2049}, "message is too long"),
        ({"chat_id": CHANNEL, "text": "hi", "parse_mode": "markdown2"}, "unsupported parse_mode"),
        ({"chat_id": CHANNEL, "text": "   "}, "message text is empty"),
        ({"chat_id": "@nobody", "text": "hi"}, "chat not found"),
    ],
)
def test_send_message_is_checked(telegram_fake: RunningFake, body: dict[str, Any], description: str) -> None:
    status, answer = call(telegram_fake, "sendMessage", json=body)

    assert (status, answer["ok"], answer["error_code"]) == (400, False, 400)
    assert answer["description"].startswith("Bad Request: ")
    assert description in answer["description"]


@pytest.mark.parametrize(
    ("fields", "description"),
    [
        ({"options": [{"text": o} for o in "abcdefghijklm"]}, "options must have 1-12 items, not 13"),
        ({"options": [{"text": "x" * 101}, {"text": "y"}]}, "options[0].text must be 1-100 characters"),
        ({"question": ""}, "question must be 1-300 characters"),
        ({"type": "survey"}, "type must be one of ['quiz', 'regular']"),
        ({"open_period": 4}, "open_period must be 5-2628000"),
        ({"is_anonymous": False}, "non-anonymous polls can't be sent to channel chats"),
    ],
)
def test_send_poll_is_checked(telegram_fake: RunningFake, fields: dict[str, Any], description: str) -> None:
    body = {"chat_id": CHANNEL_ID, "question": "Q?", "options": [{"text": "a"}, {"text": "b"}], **fields}

    status, answer = call(telegram_fake, "sendPoll", json=body)

    assert status == 400
    assert description in answer["description"], answer


def test_multipart_values_are_text_and_files_must_be_referred_to(telegram_fake: RunningFake) -> None:
    photo = ("p.png", make_png(), "image/png")
    media = [{"type": "photo", "media": "attach://a"}, {"type": "video", "media": "attach://b"}]

    status, answer = call(
        telegram_fake,
        "sendMediaGroup",
        data={"chat_id": str(CHANNEL_ID), "media": json.dumps(media)},
        files=[("a", photo), ("b", ("v.mp4", b"\x00" * 32, "video/mp4"))],
    )
    assert status == 200, answer
    assert [m["media_group_id"] for m in answer["result"]] == [answer["result"][0]["media_group_id"]] * 2

    _, unused = call(telegram_fake, "sendPhoto", data={"chat_id": CHANNEL}, files=[("photo", photo), ("x", photo)])
    assert "file part 'x' is not referred to" in unused["description"]
    _, missing = call(
        telegram_fake, "sendMediaGroup", data={"chat_id": CHANNEL, "media": json.dumps(media)}, files=[("a", photo)]
    )
    assert "refers to 'attach://b', but no file part is called 'b'" in missing["description"]
    _, not_json = call(telegram_fake, "sendMediaGroup", data={"chat_id": CHANNEL, "media": "photo"})
    assert "media must be JSON-serialized" in not_json["description"]
    _, not_image = call(telegram_fake, "sendPhoto", data={"chat_id": CHANNEL}, files=[("photo", ("p", b"GIF89a"))])
    assert not_image["description"] == "Bad Request: IMAGE_PROCESS_FAILED"


def test_methods_tokens_and_answers(telegram_fake: RunningFake) -> None:
    assert call(telegram_fake, "GETME")[1]["result"]["is_bot"] is True  # method names are case-insensitive
    assert call(telegram_fake, "sendTelepathy") == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
    assert call(telegram_fake, "getMe", token="123:short")[0] == 404
    status, answer = call(telegram_fake, "getMe", token="42:" + "x" * 35)
    assert (status, answer["ok"]) == (200, True)
    assert answer["result"]["id"] == 42
