"""Publishing to Telegram against the fake: plain text (never markup), a photo with its caption, an album, a video,
a poll, a thread whose messages reply in a chain, and the links of messages in public and private chats."""

from __future__ import annotations

from adapters.base import MediaItem, Poll
from tests.adapters.discord.support import Sent
from tests.adapters.telegram.support import STORED, MakeAdapter, calls, fields_of, publish_thread, request
from tests.fakes.running import RunningFake
from tests.fakes.telegram import CHANNEL_ID, PRIVATE_CHANNEL_ID
from tests.media import make_png, png

VIDEO = MediaItem(
    data=b"\x00\x00\x00\x18ftypmp42" + bytes(64), content_type="video/mp4", kind="video", width=640, height=360
)


async def test_text_is_sent_as_typed_never_as_markup(make_adapter: MakeAdapter, fake: RunningFake, sent: Sent) -> None:
    text = "*not bold* _nor italic_ <b>nor html</b> [a](https://example.com) 👍"

    ref = await make_adapter(STORED).publish(request(text))

    assert ref.url == f"https://t.me/octopost_news/{ref.id}"
    (call,) = calls(fake)
    assert (call["method"], call["chat_id"], call["params"]) == (
        "sendMessage",
        CHANNEL_ID,
        {"chat_id": "@octopost_news", "text": text},
    )
    assert [r.path.rsplit("/", 1)[1] for r in sent.requests] == ["sendMessage"]  # no lookup: the username is stored
    assert all("parse_mode" not in (r.json or {}) for r in sent.requests)


async def test_a_chat_without_a_username_links_as_a_private_chat(make_adapter: MakeAdapter) -> None:
    adapter = make_adapter({**STORED, "chat_id": str(PRIVATE_CHANNEL_ID), "chat_username": ""})

    ref = await adapter.publish(request("members only"))

    assert ref.url == f"https://t.me/c/1000000002/{ref.id}"  # the chat's id without its -100


async def test_the_username_is_learned_once_when_not_stored(make_adapter: MakeAdapter, sent: Sent) -> None:
    adapter = make_adapter({"bot_token": STORED["bot_token"], "chat_id": str(CHANNEL_ID)})

    refs = await publish_thread(adapter, ["one", "two"])

    assert [r.path.rsplit("/", 1)[1] for r in sent.requests] == ["getChat", "sendMessage", "sendMessage"]
    assert [ref.url for ref in refs] == [f"https://t.me/octopost_news/{ref.id}" for ref in refs]
    assert adapter.updated_credentials() == {
        "bot_token": STORED["bot_token"],
        "chat_id": str(CHANNEL_ID),
        "chat_username": "octopost_news",
    }


async def test_a_photo_carries_the_text_as_its_caption(
    make_adapter: MakeAdapter, fake: RunningFake, sent: Sent
) -> None:
    image = png("alt text Telegram has no place for")

    ref = await make_adapter(STORED).publish(request("a caption", media=(image,)))

    (call,) = calls(fake)
    assert call["method"] == "sendPhoto"
    assert call["params"]["caption"] == "a caption"
    assert call["params"]["photo"] == {"file": "photo", "size": len(image.data)}
    (upload,) = sent.requests
    assert [(p.name, p.content_type) for p in upload.parts if p.filename] == [("photo", "image/png")]
    assert fake.created()[0]["id"] == ref.id


async def test_images_go_as_one_album_with_the_caption_on_the_first(
    make_adapter: MakeAdapter, fake: RunningFake, sent: Sent
) -> None:
    images = tuple(png(rgb=(n * 20, 0, 0)) for n in range(3))

    ref = await make_adapter(STORED).publish(request("three at once", media=images))

    (call,) = calls(fake)
    assert call["method"] == "sendMediaGroup"
    assert call["params"]["media"] == [
        {"type": "photo", "media": "attach://file0", "caption": "three at once"},
        {"type": "photo", "media": "attach://file1"},
        {"type": "photo", "media": "attach://file2"},
    ]
    assert ref.id == str(call["message_ids"][0])  # the album's first message, the one with the caption
    assert len(call["message_ids"]) == 3
    assert [c["id"] for c in fake.created()] == [ref.id]  # one send
    (upload,) = sent.requests
    assert [p.name for p in upload.parts if p.filename] == ["file0", "file1", "file2"]


async def test_a_video_with_its_caption(make_adapter: MakeAdapter, fake: RunningFake, sent: Sent) -> None:
    await make_adapter(STORED).publish(request("moving", media=(VIDEO,)))

    (call,) = calls(fake)
    assert call["method"] == "sendVideo"
    assert {k: call["params"][k] for k in ("caption", "supports_streaming", "width", "height")} == {
        "caption": "moving",
        "supports_streaming": True,
        "width": 640,
        "height": 360,
    }
    assert fields_of(sent.requests[0].parts)["supports_streaming"] == "true"


async def test_a_poll_asks_its_question_with_the_text_as_its_description(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    poll = Poll(options=("Pizza", "Sushi"), duration_minutes=90)

    ref = await make_adapter(STORED).publish(request("Lunch on Friday?\nVote by Thursday", poll=poll))

    (call,) = calls(fake)
    assert call["method"] == "sendPoll"
    assert call["params"] == {
        "chat_id": "@octopost_news",
        "question": "Lunch on Friday?",
        "options": [{"text": "Pizza"}, {"text": "Sushi"}],
        "open_period": 90 * 60,
        "description": "Lunch on Friday?\nVote by Thursday",
    }
    assert fake.created()[0]["id"] == ref.id


async def test_a_poll_whose_text_is_its_question_has_no_description(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    await make_adapter(STORED).publish(request("Tea?", poll=Poll(("Yes", "No"), 5, question=None)))

    (call,) = calls(fake)
    assert "description" not in call["params"]
    assert call["params"]["question"] == "Tea?"


async def test_a_thread_replies_in_a_chain(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    texts = ["main", "first reply", "second reply"]

    refs = await publish_thread(make_adapter(STORED), texts, media={1: (png(),), 2: (VIDEO,)})

    created = fake.created()
    assert [(c["id"], c["text"], c["reply_to"]) for c in created] == [
        (refs[0].id, "main", None),
        (refs[1].id, "first reply", refs[0].id),
        (refs[2].id, "second reply", refs[1].id),
    ]
    assert [c["params"].get("reply_parameters") for c in calls(fake)] == [
        None,
        {"message_id": int(refs[0].id)},
        {"message_id": int(refs[1].id)},
    ]
    assert [int(r.id) for r in refs] == sorted(int(r.id) for r in refs)


async def test_a_photo_without_text_has_no_caption(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    big = MediaItem(data=make_png(400, 300), content_type="image/png", kind="image", width=400, height=300)

    await make_adapter(STORED).publish(request("", media=(big,)))

    (call,) = calls(fake)
    assert "caption" not in call["params"]
    assert call["params"]["photo"]["size"] == len(big.data)
