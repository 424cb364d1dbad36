"""The Telegram adapter's failures against the fake: flood limits (the wait in the body), server errors, answers lost
after sending (in doubt: Telegram has no idempotency), a bot that lost its place in the chat, other refusals, a group
upgraded to a supergroup (followed once and stored), and the token, which is in every URL, never in a message."""

from __future__ import annotations

import traceback

import httpx
import pytest

from adapters.base import AdapterError, OutcomeUnknown, RateLimited, ReauthRequired, Rejected, Transient
from adapters.base import PublishedRef as Ref
from adapters.telegram import TelegramAdapter
from tests.adapters.telegram.support import STORED, TOKEN, MakeAdapter, calls, request
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake
from tests.fakes.telegram import (
    BASIC_GROUP_ID,
    KICKED_GROUP_ID,
    MUTED_GROUP_ID,
    OLD_GROUP_ID,
    READ_ONLY_CHANNEL,
    REVOKED_TOKEN,
    UPGRADED_GROUP_ID,
)
from tests.peers.ports import free_port, wait_until


def assert_no_token(error: BaseException) -> None:
    shown = "".join(traceback.format_exception(error))
    assert TOKEN not in shown
    assert TOKEN.split(":")[1] not in shown


async def test_a_flood_limit_says_when_to_come_back(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["429"], retry_after_seconds=7))

    with pytest.raises(RateLimited, match=r"Too Many Requests: retry after 7") as limited:
        await make_adapter(STORED).publish(request("limited"))

    assert limited.value.retry_after == 7.0  # from parameters.retry_after: the fake sends no Retry-After header
    assert fake.created() == []


async def test_a_server_error_is_transient(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["500"]))

    with pytest.raises(Transient, match=r"Telegram sendMessage: Telegram answered 500 \(Internal Server Error\)"):
        await make_adapter(STORED).publish(request("broken"))


@pytest.mark.parametrize("fault", ["reset_after", "slow"])
async def test_an_answer_lost_after_sending_is_in_doubt(
    make_adapter: MakeAdapter, fake: RunningFake, fault: str
) -> None:
    """Posted, and the answer lost (or too late for the client): Telegram cannot be asked, so OutcomeUnknown."""
    fake.set_conditions(Conditions(fault_rate=1.0, faults=[fault], slow_seconds=2.0))

    with pytest.raises(OutcomeUnknown, match="Telegram sendMessage: no answer after the request was sent") as lost:
        await make_adapter(STORED, request_timeout=0.5).publish(request("in doubt"))

    assert_no_token(lost.value)
    wait_until(lambda: len(fake.created()) == 1, timeout=10, what="the late message landing")
    assert [c["text"] for c in fake.created()] == ["in doubt"]


async def test_an_unreachable_server_is_transient_and_hides_the_token(http: httpx.AsyncClient) -> None:
    adapter = TelegramAdapter.build(base_url=f"http://127.0.0.1:{free_port()}", credentials=STORED, http=http)

    with pytest.raises(Transient, match="unreachable") as raised:
        await adapter.publish(request("nowhere"))
    assert_no_token(raised.value)


@pytest.mark.parametrize(
    ("chat_id", "answer"),
    [
        (str(KICKED_GROUP_ID), r"403: Forbidden: bot was kicked from the supergroup chat"),
        (READ_ONLY_CHANNEL, r"400: Bad Request: need administrator rights in the channel chat"),
        (str(MUTED_GROUP_ID), r"400: Bad Request: not enough rights to send text messages to the chat"),
    ],
    ids=["kicked", "channel-admin-without-post-right", "muted-in-group"],
)
async def test_a_bot_that_lost_its_place_needs_the_owner(
    make_adapter: MakeAdapter, fake: RunningFake, chat_id: str, answer: str
) -> None:
    adapter = make_adapter({**STORED, "chat_id": chat_id})

    with pytest.raises(ReauthRequired, match=rf"may not post in the chat \(sendMessage, {answer}\)") as raised:
        await adapter.publish(request("not allowed"))
    assert "administrator allowed to post messages" in raised.value.message
    assert fake.created() == []


async def test_a_revoked_token_at_publish_time(make_adapter: MakeAdapter) -> None:
    with pytest.raises(ReauthRequired, match=r"refused the bot token during sendMessage \(401: Unauthorized\)"):
        await make_adapter({**STORED, "bot_token": REVOKED_TOKEN}).publish(request("revoked"))


async def test_other_refusals_are_rejected_with_telegrams_words(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter(STORED)
    gone = Ref(id="999999", url="https://t.me/octopost_news/999999")

    with pytest.raises(Rejected, match=r"rejected \(400\): Bad Request: message to be replied not found"):
        await adapter.publish(request("a reply to nothing", index=1, root=gone))
    with pytest.raises(Rejected, match=r"\(400\): Bad Request: message is too long"):
        await adapter.publish(request("👍" * 2049))  # 4098 UTF-16 code units
    assert fake.created() == []


async def test_a_message_of_4096_utf16_units_goes_through(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    await make_adapter(STORED).publish(request("👍" * 2048))

    assert len(fake.created()) == 1


async def test_an_upgraded_group_is_followed_once_and_stored(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter({**STORED, "chat_id": str(OLD_GROUP_ID), "chat_username": ""})

    ref = await adapter.publish(request("to the supergroup"))

    assert [c["chat_id"] for c in calls(fake)] == [UPGRADED_GROUP_ID]
    assert ref.url == f"https://t.me/c/1000000004/{ref.id}"
    assert adapter.updated_credentials() == {**STORED, "chat_id": str(UPGRADED_GROUP_ID), "chat_username": ""}
    reply = await adapter.publish(request("and on", index=1, root=ref))  # the rest of the thread goes there directly
    assert [c["reply_to"] for c in fake.created()] == [None, ref.id]
    assert reply.url.startswith("https://t.me/c/1000000004/")


async def test_a_group_upgraded_while_connected(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    """Upgraded after connecting: the first send meets migrate_to_chat_id, the resend lands in the supergroup."""
    adapter = make_adapter({**STORED, "chat_id": str(BASIC_GROUP_ID), "chat_username": ""})
    await adapter.publish(request("before"))
    new_id = fake.control("POST", "upgrade", {"chat_id": BASIC_GROUP_ID})["migrate_to_chat_id"]

    await adapter.publish(request("after"))

    assert [c["chat_id"] for c in calls(fake)] == [BASIC_GROUP_ID, new_id]
    assert (adapter.updated_credentials() or {})["chat_id"] == str(new_id)


async def test_no_error_message_carries_the_token(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    errors: list[AdapterError] = []
    for faults in (["429"], ["500"], ["reset"], ["reset_after"]):
        fake.set_conditions(Conditions(fault_rate=1.0, faults=faults))
        with pytest.raises(AdapterError) as raised:
            await make_adapter(STORED).publish(request("secret-free"))
        errors.append(raised.value)
    for error in errors:
        assert_no_token(error)
    assert len({type(e) for e in errors}) == 3  # RateLimited, Transient, OutcomeUnknown
