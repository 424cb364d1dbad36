"""Deleting what the Telegram adapter posted (DeletesPost: ``deleteMessage``), against the Telegram fake checking
each call against the Bot API spec: a thread's reply and main message gone, a repeat a success ("message to delete
not found"), the 48-hour limit and another bot's message refused with a clear message, a flood limit with its wait,
and the token never in a message."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from adapters.base import DeletesPost, PublishedRef, RateLimited, Rejected, Transient
from tests.adapters.telegram.support import CREDENTIALS, TOKEN, MakeAdapter, publish_thread, request
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake
from tests.fakes.telegram import GROUP, token_for


def reply_to(fake: RunningFake, ref: PublishedRef, chat: str = CREDENTIALS["chat_id"]) -> dict[str, Any]:
    """Telegram's answer to a reply to ``ref`` (sent by hand): a message there is still there to answer."""
    body = {"chat_id": chat, "text": "still there?", "reply_parameters": {"message_id": int(ref.id)}}
    return dict(httpx.post(f"{fake.url}/bot{TOKEN}/sendMessage", json=body, timeout=10).json())


async def test_a_thread_is_deleted_and_a_repeat_is_a_success(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter()
    assert isinstance(adapter, DeletesPost)
    main, reply = await publish_thread(adapter, ["main message", "its reply"])

    await adapter.delete(reply)
    await adapter.delete(main)

    for gone in (reply, main):
        assert reply_to(fake, gone)["description"] == "Bad Request: message to be replied not found"
    await adapter.delete(reply)  # "message to delete not found": an unpublish resumed after a crash
    await adapter.delete(main)


async def test_a_message_older_than_48_hours_is_refused_saying_why(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    adapter = make_adapter()
    posted = await adapter.publish(request("old news"))
    fake.control("POST", "age", {"hours": 48})

    with pytest.raises(Rejected, match="within 48 hours") as refused:
        await adapter.delete(posted)

    assert "message can't be deleted" in refused.value.message
    assert reply_to(fake, posted)["ok"] is True
    assert TOKEN not in refused.value.message


async def test_another_bots_message_in_a_group_is_refused(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    """In a group where the bot is a member, not an administrator, only its own messages are its to delete."""
    other_bot = {"bot_token": token_for(7000000002), "chat_id": GROUP}
    theirs = await make_adapter(other_bot).publish(request("someone else's"))

    with pytest.raises(Rejected, match="message can't be deleted"):
        await make_adapter({**CREDENTIALS, "chat_id": GROUP}).delete(theirs)

    assert reply_to(fake, theirs, GROUP)["ok"] is True


async def test_a_flood_limit_says_when_to_try_again(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter()
    posted = await adapter.publish(request("soon gone"))
    fake.set_conditions(
        Conditions(fault_rate=1.0, faults=["429"], retry_after_seconds=7, fault_paths=["/bot/deleteMessage"])
    )

    with pytest.raises(RateLimited) as limited:
        await adapter.delete(posted)

    assert limited.value.retry_after == 7
    assert TOKEN not in limited.value.message
    fake.set_conditions(Conditions())
    assert reply_to(fake, posted)["ok"] is True


async def test_the_token_never_shows_in_a_failed_delete(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter()
    posted = await adapter.publish(request("soon gone"))
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["reset"], fault_paths=["/bot/deleteMessage"]))

    with pytest.raises(Transient) as failed:  # never sent: deleting again is safe
        await adapter.delete(posted)

    assert TOKEN not in str(failed.value)
    assert TOKEN.split(":")[1] not in repr(failed.value)
