"""Deleting what the Slack adapter posted (DeletesPost: ``chat.delete``): against the Slack fake (strict to Slack's
method description), a thread's reply and main message gone, a repeat a success (``message_not_found``), another
bot's message refused (``cant_delete_message``), a rate limit with its wait, the token never in a message; and the call
valid against Slack's OpenAPI document (Prism)."""

from __future__ import annotations

import pytest

from adapters.base import DeletesPost, PublishedRef, RateLimited, Rejected
from tests.adapters.slack.support import (
    FAKE_CREDENTIALS,
    FAKE_TOKEN,
    PRISM_CHANNEL,
    MakeAdapter,
    Sent,
    messages,
    publish_thread,
    request,
)
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake
from tests.peers.prism import PrismPeer


def standing(fake: RunningFake) -> list[str]:
    return [message["ts"] for message in messages(fake)]


async def test_a_thread_is_deleted_and_a_repeat_is_a_success(
    make_fake_adapter: MakeAdapter, fake: RunningFake, sent: Sent
) -> None:
    adapter = make_fake_adapter()
    assert isinstance(adapter, DeletesPost)
    main, reply = await publish_thread(adapter, ["main message", "its reply"])
    assert standing(fake) == [main.id, reply.id]

    await adapter.delete(reply)
    await adapter.delete(main)

    assert standing(fake) == []
    assert sent.calls("chat.delete") == [
        {"channel": FAKE_CREDENTIALS["channel_id"], "ts": ref.id} for ref in (reply, main)
    ]
    await adapter.delete(reply)  # message_not_found: an unpublish resumed after a crash repeats its last delete
    await adapter.delete(main)


async def test_another_bots_message_is_refused(make_fake_adapter: MakeAdapter, fake: RunningFake) -> None:
    theirs = await make_fake_adapter({**FAKE_CREDENTIALS, "bot_token": "xoxb-another-bot"}).publish(request("theirs"))

    with pytest.raises(Rejected, match="cant_delete_message") as refused:
        await make_fake_adapter().delete(theirs)

    assert standing(fake) == [theirs.id]
    assert FAKE_TOKEN not in refused.value.message


async def test_a_rate_limited_delete_says_when_to_try_again(make_fake_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_fake_adapter()
    posted = await adapter.publish(request("soon gone"))
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["429"], retry_after_seconds=7, fault_paths=["/chat.delete"]))

    with pytest.raises(RateLimited) as limited:
        await adapter.delete(posted)

    assert limited.value.retry_after == 7
    assert FAKE_TOKEN not in limited.value.message
    assert standing(fake) == [posted.id]


async def test_the_delete_call_passes_the_spec(make_adapter: MakeAdapter, prism_slack: PrismPeer, sent: Sent) -> None:
    since = prism_slack.log_offset()

    await make_adapter().delete(PublishedRef(id="1700000000.000100", url="https://example.slack.com/archives/x"))

    assert sent.calls("chat.delete") == [{"channel": PRISM_CHANNEL, "ts": "1700000000.000100"}]
    assert prism_slack.request_violations(since) == []
