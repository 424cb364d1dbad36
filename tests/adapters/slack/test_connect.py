"""Connecting a Slack bot against the Slack fake: auth.test and the channel check (exists, not archived, the bot a
member), each refusal with a message that says what to do, and the workspace URL handed back to be stored."""

from __future__ import annotations

import pytest

from adapters.base import ReauthRequired, Rejected
from tests.adapters.slack.support import FAKE_CREDENTIALS, FAKE_TOKEN, MakeAdapter, Sent
from tests.fakes.slack import ARCHIVED_CHANNEL_ID, OUTSIDE_CHANNEL_ID, REVOKED_TOKEN, TEAM_URL


async def test_verify_checks_the_token_and_the_channel(make_fake_adapter: MakeAdapter, sent: Sent) -> None:
    adapter = make_fake_adapter()

    profile = await adapter.verify()

    assert profile.platform_user_id.startswith("U0")
    assert profile.username.startswith("octobot-")
    assert profile.display_name == f"{profile.username} (Octopost Fake)"
    assert sent.steps() == ["auth.test", "conversations.info"]
    assert {r.method for r in sent.requests} == {"GET"}
    assert {r.headers["authorization"] for r in sent.requests} == {f"Bearer {FAKE_TOKEN}"}
    assert all("token" not in r.arguments for r in sent.requests)  # never in a query string
    assert adapter.updated_credentials() == {**FAKE_CREDENTIALS, "team_url": TEAM_URL}


async def test_a_token_pasted_with_bearer_in_front_still_works(make_fake_adapter: MakeAdapter, sent: Sent) -> None:
    await make_fake_adapter({**FAKE_CREDENTIALS, "bot_token": f" Bearer {FAKE_TOKEN} "}).verify()

    assert {r.headers["authorization"] for r in sent.requests} == {f"Bearer {FAKE_TOKEN}"}


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        pytest.param(REVOKED_TOKEN, r"token_revoked: the token was revoked", id="revoked"),
        pytest.param("xoxp-a-user-token", "not a bot token; use the app's Bot User OAuth Token", id="user-token"),
    ],
)
async def test_a_refused_token_needs_reconnecting(
    make_fake_adapter: MakeAdapter, sent: Sent, token: str, expected: str
) -> None:
    with pytest.raises(ReauthRequired, match=expected) as refused:
        await make_fake_adapter({**FAKE_CREDENTIALS, "bot_token": token}).verify()

    assert token not in refused.value.message
    assert len(sent.requests) == (0 if token.startswith("xoxp") else 1)


@pytest.mark.parametrize(
    ("channel", "expected"),
    [
        pytest.param("C0NOSUCH001", r"cannot use channel 'C0NOSUCH001' \(.*channel_not_found", id="unknown"),
        pytest.param("general", r"cannot use channel 'general' .*Give the channel's ID", id="a-name"),
        pytest.param(OUTSIDE_CHANNEL_ID, r"the bot is not a member of #random; invite it there", id="not-member"),
        pytest.param(ARCHIVED_CHANNEL_ID, r"channel #old is archived", id="archived"),
    ],
)
async def test_a_channel_the_bot_cannot_post_in_is_rejected(
    make_fake_adapter: MakeAdapter, channel: str, expected: str
) -> None:
    with pytest.raises(Rejected, match=expected):
        await make_fake_adapter({**FAKE_CREDENTIALS, "channel_id": channel}).verify()
