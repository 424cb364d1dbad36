"""Discord threads and message URLs against the Discord fake (tests/fakes/discord/): the order and ids of a
thread, a retry that meets the thread it started before (160004), the thread's name, and the guild id that is
learned once and stored rather than looked up before every message."""

from __future__ import annotations

import httpx
import pytest

from adapters.base import Rejected
from tests.adapters.discord.support import (
    FAKE_CREDENTIALS,
    MakeAdapter,
    Sent,
    message_url,
    publish_thread,
    request,
)
from tests.fakes.discord import CHANNEL_ID, DM_CHANNEL_ID, GUILD_ID
from tests.fakes.running import RunningFake
from tests.media import png

BOT = {"Authorization": "Bot fake-bot-token"}


def fetch(fake: RunningFake, path: str) -> dict:
    response = httpx.get(f"{fake.url}{path}", headers=BOT, timeout=10)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_a_thread_is_the_main_message_then_its_replies_in_order_in_the_thread(
    make_fake_adapter: MakeAdapter, fake: RunningFake
) -> None:
    adapter = make_fake_adapter({**FAKE_CREDENTIALS, "guild_id": GUILD_ID})
    texts = ["Launch day!\nEverything we shipped", "part two", "part three"]

    main, second, third = await publish_thread(adapter, texts)

    assert main.url == message_url(GUILD_ID, CHANNEL_ID, main.id)
    assert second.url == message_url(GUILD_ID, main.id, second.id)
    assert third.url == message_url(GUILD_ID, main.id, third.id)
    assert fake.stats()["requests"] == 4  # three messages and one thread start; no lookups
    created = fake.created()
    assert [(c["id"], c["text"], c["reply_to"]) for c in created] == [
        (main.id, texts[0], None),
        (second.id, texts[1], main.id),  # the first message of the thread follows its starter message
        (third.id, texts[2], second.id),
    ]
    assert int(main.id) < int(second.id) < int(third.id)  # snowflakes grow: posted in this order
    thread = fetch(fake, f"/channels/{main.id}")
    assert (thread["type"], thread["parent_id"], thread["name"]) == (11, CHANNEL_ID, "Launch day!")
    assert fetch(fake, f"/channels/{CHANNEL_ID}/messages/{main.id}")["channel_id"] == CHANNEL_ID
    assert fetch(fake, f"/channels/{main.id}/messages/{third.id}")["channel_id"] == main.id


async def test_a_retried_first_reply_posts_into_the_thread_it_started_before(
    make_fake_adapter: MakeAdapter, fake: RunningFake, sent: Sent
) -> None:
    """A worker died after starting the thread and posting the reply, before recording it: the next worker's adapter
    meets 160004 on the thread start, carries on, and the reply's nonce answers the message already there."""
    first = make_fake_adapter()
    main = await first.publish(request("main text"))
    reply = request("the reply", index=1, root=main)
    posted = await first.publish(reply)
    sent.clear()

    again = await make_fake_adapter().publish(reply)  # a new adapter: nothing remembered but the ledger's refs

    assert again == posted
    assert [c["text"] for c in fake.created()] == ["main text", "the reply"]
    assert sent.steps() == [
        ("GET", f"/channels/{CHANNEL_ID}"),  # this adapter's credentials carry no guild id yet
        ("GET", f"/channels/{CHANNEL_ID}/messages/{main.id}"),  # the main text, to name the thread if it is new
        ("POST", f"/channels/{CHANNEL_ID}/messages/{main.id}/threads"),  # 400 160004: it exists
        ("POST", f"/channels/{main.id}/messages"),
    ]


async def test_a_thread_started_before_a_crash_gets_its_first_reply(
    make_fake_adapter: MakeAdapter, fake: RunningFake, http: httpx.AsyncClient
) -> None:
    adapter = make_fake_adapter()
    main = await adapter.publish(request("main text"))
    started = await http.post(
        f"{fake.url}/channels/{CHANNEL_ID}/messages/{main.id}/threads", json={"name": "started"}, headers=BOT
    )
    assert started.status_code == 201

    reply = await make_fake_adapter().publish(request("first reply", index=1, root=main))

    assert reply.url == message_url(GUILD_ID, main.id, reply.id)
    assert fake.created()[-1]["reply_to"] == main.id


@pytest.mark.parametrize(
    ("main_text", "reply_text", "expected"),
    [
        pytest.param("  \n  Big   news\tfor everyone \nmore", "r", "Big news for everyone", id="first-line"),
        pytest.param("x" * 150, "r", "x" * 99 + "…", id="cut-to-100"),
        pytest.param("   ", "the reply names it", "the reply names it", id="blank-main"),
    ],
)
async def test_the_thread_is_named_after_the_main_text(
    make_fake_adapter: MakeAdapter, fake: RunningFake, main_text: str, reply_text: str, expected: str
) -> None:
    adapter = make_fake_adapter()
    main = await adapter.publish(request(main_text, media=(png(),)))  # with an image, a blank text is a message too

    await adapter.publish(request(reply_text, index=1, root=main))

    assert fetch(fake, f"/channels/{main.id}")["name"] == expected
    assert len(expected) <= 100


async def test_the_guild_is_learned_in_verify_and_a_dm_has_none(make_fake_adapter: MakeAdapter) -> None:
    adapter = make_fake_adapter()
    await adapter.verify()
    assert adapter.updated_credentials() == {**FAKE_CREDENTIALS, "guild_id": GUILD_ID}

    dm = make_fake_adapter({**FAKE_CREDENTIALS, "channel_id": DM_CHANNEL_ID})
    await dm.verify()
    ref = await dm.publish(request("hello in a DM"))
    assert dm.updated_credentials() == {**FAKE_CREDENTIALS, "channel_id": DM_CHANNEL_ID, "guild_id": "@me"}
    assert ref.url == message_url("@me", DM_CHANNEL_ID, ref.id)
    with pytest.raises(Rejected, match=r"\(400\): Cannot execute action on this channel type"):
        await dm.publish(request("no threads in DMs", index=1, root=ref))
