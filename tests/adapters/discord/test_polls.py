"""Discord polls: what validation refuses from Discord's declared limits, the poll message against Discord's own spec
(Prism), and the poll as Discord keeps it (the Discord fake: read back with ``GET /channels/{id}/messages/{id}``),
its question taken from ``poll.question`` or the post's first line, and a thread started from the poll message.
"""

from __future__ import annotations

import time
from datetime import datetime

import httpx
import pytest

from adapters.base import Poll, Rejected, ReplyPolicy
from adapters.discord import DiscordAdapter
from adapters.validation import PostShape, SegmentShape, validate
from tests.adapters.discord.support import (
    PRISM_WITH_GUILD,
    MakeAdapter,
    Sent,
    assert_payload_passes_the_spec,
    request,
)
from tests.fakes.discord import CHANNEL_ID
from tests.fakes.running import RunningFake
from tests.media import png
from tests.peers.prism import PrismPeer

LUNCH = Poll(options=("Pizza", "Sushi", "Salad"), duration_minutes=3 * 60)
BOT = {"Authorization": "Bot fake-bot-token"}


def problems(shape: PostShape) -> list[str]:
    return [v.describe() for v in validate(DiscordAdapter.info, shape)]


def message(fake: RunningFake, channel: str, message_id: str) -> dict:
    answer = httpx.get(f"{fake.url}/channels/{channel}/messages/{message_id}", headers=BOT, timeout=10)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


# ---- Discord's limits, as validation applies them ----------------------------------------------------------------


def test_discord_takes_answers_of_55_for_1_to_768_whole_hours() -> None:
    fits = PostShape([SegmentShape("Lunch?")], poll=Poll(("a" * 55, "b"), 60, question="q" * 300))
    longest = PostShape([SegmentShape("Lunch?")], poll=Poll(("a", "b"), 768 * 60))
    assert problems(fits) == []
    assert problems(longest) == []

    too_much = PostShape([SegmentShape("Lunch?")], poll=Poll(("a" * 56, "b"), 769 * 60, question="q" * 301))
    assert problems(too_much) == [
        "discord: poll option 1 is 56 characters; the limit is 55",
        "discord: poll lasts 46140 minutes; Discord takes 60 to 46080",
        "discord: poll question is 301 characters; the limit is 300",
    ]


@pytest.mark.parametrize(
    ("minutes", "refusals"),
    [
        (90, ["discord: poll lasts 90 minutes; Discord takes whole multiples of 60"]),
        (
            30,
            [
                "discord: poll lasts 30 minutes; Discord takes 60 to 46080",
                "discord: poll lasts 30 minutes; Discord takes whole multiples of 60",
            ],
        ),
    ],
)
def test_a_duration_is_whole_hours(minutes: int, refusals: list[str]) -> None:
    assert problems(PostShape([SegmentShape("Lunch?")], poll=Poll(("a", "b"), minutes))) == refusals


def test_a_poll_goes_with_attachments_and_only_everyone_may_be_asked_to_reply() -> None:
    assert problems(PostShape([SegmentShape("Which one?", images=2)], poll=LUNCH)) == []
    assert problems(PostShape([SegmentShape("hi")], reply_policy=ReplyPolicy.EVERYONE)) == []
    assert problems(PostShape([SegmentShape("hi")], reply_policy=ReplyPolicy.MENTIONED)) == [
        "discord: reply_policy 'mentioned' cannot be applied on Discord (it supports: everyone)"
    ]


# ---- Discord's own spec (Prism) ----------------------------------------------------------------------------------


async def test_a_poll_message_passes_the_spec(make_adapter: MakeAdapter, prism_discord: PrismPeer, sent: Sent) -> None:
    since = prism_discord.log_offset()
    adapter = make_adapter(PRISM_WITH_GUILD)

    await adapter.publish(request("Lunch on Friday?\nVote by Thursday", poll=LUNCH))

    (sent_message,) = sent.requests
    assert sent_message.json["content"] == "Lunch on Friday?\nVote by Thursday"
    assert sent_message.json["poll"] == {
        "question": {"text": "Lunch on Friday?"},  # the post's first line
        "answers": [{"poll_media": {"text": t}} for t in ("Pizza", "Sushi", "Salad")],
        "duration": 3,  # hours
        "allow_multiselect": False,
    }
    assert prism_discord.request_violations(since) == []


async def test_a_poll_with_an_image_passes_the_spec(
    make_adapter: MakeAdapter, prism_discord: PrismPeer, sent: Sent, http: httpx.AsyncClient
) -> None:
    since = prism_discord.log_offset()
    adapter = make_adapter(PRISM_WITH_GUILD)
    asked = Poll(LUNCH.options, 60, question="Which of these?")

    await adapter.publish(request("The menu", media=(png("the menu"),), poll=asked))

    (upload,) = sent.requests
    assert [part.name for part in upload.parts] == ["payload_json", "files[0]"]
    assert upload.json["poll"]["question"] == {"text": "Which of these?"}
    assert prism_discord.request_violations(since) == []
    await assert_payload_passes_the_spec(http, prism_discord, upload.json)


async def test_the_answers_go_to_discord_as_poll_media(make_adapter: MakeAdapter, prism_discord: PrismPeer) -> None:
    """An answer past the spec's 300 characters (and validation's 55) breaks ``poll.answers[].poll_media.text``:
    Prism's 422 shows where the options are sent, and it surfaces as Rejected."""
    since = prism_discord.log_offset()
    adapter = make_adapter(PRISM_WITH_GUILD)

    with pytest.raises(Rejected, match=r"Discord post was rejected \(422\)"):
        await adapter.publish(request("Too long", poll=Poll(("x" * 301, "y"), 60)))

    prism_discord.wait_for_violation("poll.answers.0.poll_media.text must NOT have more than 300", since=since)


# ---- the poll as Discord keeps it (the fake) -------------------------------------------------------------------


async def test_a_poll_thread_starts_from_the_poll_message(make_fake_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_fake_adapter()
    before = time.time()

    main = await adapter.publish(request("Lunch on Friday?\nVote by Thursday", poll=LUNCH))
    reply = await adapter.publish(request("Menus in the thread", index=1, root=main))

    kept = message(fake, CHANNEL_ID, main.id)
    assert kept["content"] == "Lunch on Friday?\nVote by Thursday"
    poll = kept["poll"]
    assert poll["question"] == {"text": "Lunch on Friday?"}
    assert [(a["answer_id"], a["poll_media"]["text"]) for a in poll["answers"]] == [
        (1, "Pizza"),
        (2, "Sushi"),
        (3, "Salad"),
    ]
    assert poll["allow_multiselect"] is False
    expiry = datetime.fromisoformat(poll["expiry"]).timestamp()
    assert before + 3 * 3600 - 5 <= expiry <= time.time() + 3 * 3600 + 5
    assert reply.url.endswith(f"/{main.id}/{reply.id}")  # in the thread started from the poll message
    assert "poll" not in message(fake, main.id, reply.id)


async def test_a_long_first_line_is_cut_to_the_questions_300(make_fake_adapter: MakeAdapter, fake: RunningFake) -> None:
    text = "word " * 100 + "\nsecond line"

    ref = await make_fake_adapter().publish(request(text, poll=LUNCH))

    question = message(fake, CHANNEL_ID, ref.id)["poll"]["question"]["text"]
    assert len(question) == 300
    assert question.endswith("…")
    assert question.startswith("word word")


@pytest.mark.parametrize(
    ("poll", "refusal"),
    [
        pytest.param(
            Poll(("a" * 56, "b"), 60), r"poll\.answers\.0\.poll_media\.text: Must be between 1 and 55", id="56"
        ),
        pytest.param(Poll(("a", "b"), 769 * 60), r"poll\.duration: int value should be 1 to 768", id="769-hours"),
        pytest.param(Poll(tuple("abcdefghijk"), 60), r"poll\.answers: Must be between 1 and 10", id="11-answers"),
        pytest.param(Poll(("a", "b"), 60, "q" * 301), r"poll\.question\.text: Must be between 1 and 300", id="301"),
    ],
)
async def test_the_fake_refuses_what_discord_refuses(
    make_fake_adapter: MakeAdapter, fake: RunningFake, poll: Poll, refusal: str
) -> None:
    """Past validation, Discord's own refusal comes back readable, and nothing is posted."""
    with pytest.raises(Rejected, match=rf"\(400\): Invalid Form Body \({refusal}"):
        await make_fake_adapter().publish(request("Lunch?", poll=poll))

    assert fake.created() == []


async def test_a_poll_with_an_image_is_one_message(make_fake_adapter: MakeAdapter, fake: RunningFake) -> None:
    ref = await make_fake_adapter().publish(request("The menu", media=(png("menu"),), poll=LUNCH))

    kept = message(fake, CHANNEL_ID, ref.id)
    assert [a["description"] for a in kept["attachments"]] == ["menu"]
    assert kept["poll"]["question"] == {"text": "The menu"}
