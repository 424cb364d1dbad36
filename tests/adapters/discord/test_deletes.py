"""Deleting what the Discord adapter posted (DeletesPost), against the Discord fake: a thread's reply and main message
gone, a repeat of either a success, another bot's message refused, a rate limit with its wait, and the token never in
a message; and the delete call checked against Discord's own spec (Prism)."""

from __future__ import annotations

import httpx
import pytest

from adapters.base import DeletesPost, PublishedRef, RateLimited, Rejected
from tests.adapters.discord.support import (
    FAKE_CREDENTIALS,
    GUILD,
    PRISM_CHANNEL,
    PRISM_WITH_GUILD,
    MakeAdapter,
    Sent,
    message_url,
    publish_thread,
    request,
)
from tests.fakes.core import Conditions
from tests.fakes.discord import GUILD_ID
from tests.fakes.running import RunningFake
from tests.peers.prism import PrismPeer

BOT = {"Authorization": f"Bot {FAKE_CREDENTIALS['bot_token']}"}


def status_of(fake: RunningFake, ref: PublishedRef) -> int:
    """What reading the message back answers (200, or 404 once it is gone)."""
    channel = ref.url.split("/")[-2]
    return httpx.get(f"{fake.url}/channels/{channel}/messages/{ref.id}", headers=BOT, timeout=10).status_code


async def test_a_thread_is_deleted_reply_first_and_a_repeat_is_a_success(
    make_fake_adapter: MakeAdapter, fake: RunningFake, sent: Sent
) -> None:
    adapter = make_fake_adapter({**FAKE_CREDENTIALS, "guild_id": GUILD_ID})
    assert isinstance(adapter, DeletesPost)
    main, reply = await publish_thread(adapter, ["main message", "its reply"])
    assert status_of(fake, main) == status_of(fake, reply) == 200
    sent.clear()

    await adapter.delete(reply)
    await adapter.delete(main)

    assert status_of(fake, reply) == status_of(fake, main) == 404
    assert sent.steps() == [
        ("DELETE", f"/channels/{main.id}/messages/{reply.id}"),  # the reply lives in the thread started from main
        ("DELETE", f"/channels/{main.url.split('/')[-2]}/messages/{main.id}"),
    ]
    await adapter.delete(reply)  # already gone (10008 Unknown Message): an unpublish resumed after a crash
    await adapter.delete(main)


async def test_a_message_in_a_thread_that_is_gone_counts_as_deleted(make_fake_adapter: MakeAdapter) -> None:
    adapter = make_fake_adapter()
    missing_thread = "1100000000000000099"  # 10003 Unknown Channel

    await adapter.delete(PublishedRef(id="1", url=message_url(GUILD_ID, missing_thread, "1")))


async def test_another_bots_message_is_refused(make_fake_adapter: MakeAdapter, fake: RunningFake) -> None:
    theirs = await make_fake_adapter({**FAKE_CREDENTIALS, "bot_token": "another-bot"}).publish(request("not yours"))

    with pytest.raises(Rejected, match="Missing Permissions") as refused:
        await make_fake_adapter().delete(theirs)

    assert status_of(fake, theirs) == 200
    assert FAKE_CREDENTIALS["bot_token"] not in refused.value.message


async def test_a_rate_limited_delete_says_when_to_try_again(make_fake_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_fake_adapter()
    posted = await adapter.publish(request("soon gone"))
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["429"], retry_after_seconds=7))

    with pytest.raises(RateLimited) as limited:
        await adapter.delete(posted)

    assert limited.value.retry_after == 7
    assert FAKE_CREDENTIALS["bot_token"] not in limited.value.message
    fake.set_conditions(Conditions())
    assert status_of(fake, posted) == 200


async def test_the_delete_call_passes_discords_spec(make_adapter: MakeAdapter, prism_discord: PrismPeer) -> None:
    since = prism_discord.log_offset()
    ref = PublishedRef(id="223456789012345678", url=message_url(GUILD, PRISM_CHANNEL, "223456789012345678"))

    await make_adapter(PRISM_WITH_GUILD).delete(ref)

    assert prism_discord.request_violations(since) == []
