"""Connecting a Telegram bot and a chat (verify) against the fake: the token (getMe), the chat (getChat) and the bot's
right to post there (getChatMember), what is stored with the account, and each refusal with what to do about it."""

from __future__ import annotations

import pytest

from adapters.base import ReauthRequired, Rejected
from tests.adapters.discord.support import Sent
from tests.adapters.telegram.support import BOT_ID, CREDENTIALS, TOKEN, MakeAdapter
from tests.fakes.telegram import (
    GROUP,
    KICKED_GROUP_ID,
    MUTED_GROUP_ID,
    OLD_GROUP_ID,
    PRIVATE_CHANNEL_ID,
    READ_ONLY_CHANNEL,
    REVOKED_TOKEN,
    UPGRADED_GROUP_ID,
)


async def test_a_bot_that_may_post_in_a_public_channel(make_adapter: MakeAdapter, sent: Sent) -> None:
    adapter = make_adapter()

    profile = await adapter.verify()

    assert (profile.platform_user_id, profile.username, profile.display_name) == (
        str(BOT_ID),
        f"fake_{BOT_ID}_bot",
        "Octopost News",
    )
    assert [r.path.rsplit("/", 1)[1] for r in sent.requests] == ["getMe", "getChat", "getChatMember"]
    assert adapter.updated_credentials() == {**CREDENTIALS, "chat_username": "octopost_news"}


@pytest.mark.parametrize(
    ("chat_id", "username"),
    [(str(PRIVATE_CHANNEL_ID), ""), (GROUP, "octopost_chat")],
    ids=["private-channel-by-id", "supergroup-member"],
)
async def test_a_chat_without_a_username_is_stored_as_such(
    make_adapter: MakeAdapter, chat_id: str, username: str
) -> None:
    adapter = make_adapter({**CREDENTIALS, "chat_id": chat_id})

    await adapter.verify()

    assert adapter.updated_credentials() == {**CREDENTIALS, "chat_id": chat_id, "chat_username": username}


async def test_an_upgraded_group_is_followed_and_its_new_id_stored(make_adapter: MakeAdapter) -> None:
    adapter = make_adapter({**CREDENTIALS, "chat_id": str(OLD_GROUP_ID)})

    await adapter.verify()

    assert adapter.updated_credentials() == {**CREDENTIALS, "chat_id": str(UPGRADED_GROUP_ID), "chat_username": ""}


async def test_a_revoked_token_needs_a_new_one(make_adapter: MakeAdapter) -> None:
    with pytest.raises(ReauthRequired, match=r"refused the bot token during credentials check \(401: Unauthorized\)"):
        await make_adapter({**CREDENTIALS, "bot_token": REVOKED_TOKEN}).verify()


async def test_a_token_of_the_wrong_shape_is_explained(make_adapter: MakeAdapter) -> None:
    with pytest.raises(ReauthRequired, match=r"does not know this bot token .*404.*Not Found.*@BotFather") as raised:
        await make_adapter({**CREDENTIALS, "bot_token": "not-a-token"}).verify()
    assert "not-a-token" not in str(raised.value)


async def test_an_unknown_chat_is_rejected_by_name(make_adapter: MakeAdapter) -> None:
    with pytest.raises(Rejected, match=r"cannot find chat '@nobody_here' \(.*400\): Bad Request: chat not found\)"):
        await make_adapter({**CREDENTIALS, "chat_id": "@nobody_here"}).verify()


@pytest.mark.parametrize(
    ("chat_id", "problem"),
    [
        (READ_ONLY_CHANNEL, "an administrator of the channel without the right to post messages"),
        (str(MUTED_GROUP_ID), "restricted from sending messages in the group"),
        (str(KICKED_GROUP_ID), r"403: Forbidden: bot was kicked from the supergroup chat"),
    ],
    ids=["admin-without-post-right", "restricted-in-group", "kicked"],
)
async def test_a_bot_that_may_not_post_is_refused(make_adapter: MakeAdapter, chat_id: str, problem: str) -> None:
    with pytest.raises(ReauthRequired, match=problem) as raised:
        await make_adapter({**CREDENTIALS, "chat_id": chat_id}).verify()
    assert TOKEN not in str(raised.value)
