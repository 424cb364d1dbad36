"""Discord end to end through `octopost serve`: connect a bot and a channel over /v1/accounts, publish a 3-segment
thread (a channel message, then a thread started from it holding the replies), read back platform_results, and
compare with what the Discord fake (tests/fakes/discord/) received; a poll published as Discord's own. Discord's
2000-character limit and a poll Discord cannot hold are refused by the API before anything reaches Discord."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from octopost.crypto import CredentialCipher
from tests.fakes.discord import CHANNEL_ID, GUILD_ID, HIDDEN_CHANNEL_ID
from tests.fakes.running import RunningFake, running_fake
from tests.peers.app import OctopostProcess
from tests.peers.databases import fetch
from tests.scheduler.flows import connect, in_seconds, publish, wait_for_status

TOKEN = "e2e-bot-token"


@pytest.fixture
def discord(tmp_path: Path) -> Iterator[RunningFake]:
    with running_fake("discord", tmp_path) as fake:
        yield fake


def stored_credentials(service: OctopostProcess, account_id: str) -> dict[str, str]:
    sql = "SELECT credentials_encrypted FROM account WHERE id = :id"
    (encrypted,) = fetch(service.database_url, sql, id=account_id)[0]
    return dict(CredentialCipher(service.env["OCTOPOST_SECRET_KEY"]).decrypt(encrypted))


def test_a_discord_thread_through_the_api(api: httpx.Client, octopost: OctopostProcess, discord: RunningFake) -> None:
    account = connect(api, "discord", discord.url, {"bot_token": TOKEN, "channel_id": CHANNEL_ID})
    assert account["platform"] == "discord"
    assert account["username"].startswith("fakebot")
    assert account["avatar_url"].startswith(f"https://cdn.discordapp.com/avatars/{account['platform_user_id']}/")
    assert TOKEN not in str(account)  # never the credentials
    # The channel's server was learned while connecting and stored with the account.
    assert stored_credentials(octopost, account["id"]) == {
        "bot_token": TOKEN,
        "channel_id": CHANNEL_ID,
        "guild_id": GUILD_ID,
    }
    requests_to_connect = discord.stats()["requests"]
    texts = ["Discord, main\nwith a second line", "Discord, reply one", "Discord, reply two"]
    post_id = publish(api, "discord", texts[0], segments=[{"content": t} for t in texts[1:]])

    done = wait_for_status(api, post_id, "published", "failed", timeout=60)

    result = done["platform_results"]["discord"]
    assert done["status"] == "published", result
    assert result["success"] is True
    main, first, second = (s["post_id"] for s in result["segments"])
    assert result["post_id"] == main
    assert [s["post_url"] for s in result["segments"]] == [
        f"https://discord.com/channels/{GUILD_ID}/{CHANNEL_ID}/{main}",
        f"https://discord.com/channels/{GUILD_ID}/{main}/{first}",  # the thread's id is the main message's
        f"https://discord.com/channels/{GUILD_ID}/{main}/{second}",
    ]
    assert result["post_url"] == result["segments"][0]["post_url"]
    created = discord.created()
    assert [(c["id"], c["text"], c["reply_to"]) for c in created] == [
        (main, texts[0], None),
        (first, texts[1], main),
        (second, texts[2], first),
    ]
    assert {c["account"] for c in created} == {account["platform_user_id"]}
    nonces = [c["idempotency_key"] for c in created]
    assert len(set(nonces)) == 3
    assert all(len(nonce) == 13 for nonce in nonces)  # each segment's ledger TID
    # Three messages and one thread start: no channel lookup per message.
    assert discord.stats()["requests"] - requests_to_connect == 4
    thread = httpx.get(f"{discord.url}/channels/{main}", headers={"Authorization": f"Bot {TOKEN}"}).json()
    assert (thread["type"], thread["parent_id"], thread["name"]) == (11, CHANNEL_ID, "Discord, main")


def test_text_over_discords_limit_is_refused_before_it_reaches_discord(api: httpx.Client, discord: RunningFake) -> None:
    connect(api, "discord", discord.url, {"bot_token": TOKEN, "channel_id": CHANNEL_ID})
    draft = api.post(  # a draft is not held to any platform's limits yet
        "/v1/posts", json={"content": "fits", "platforms": ["discord"], "segments": [{"content": "é" * 2001}]}
    )
    assert draft.status_code == 201, draft.text

    answer = api.post(f"/v1/posts/{draft.json()['id']}/publish")

    assert answer.status_code == 422, answer.text
    assert "discord: segments[0] is 2001 characters; the limit is 2000 (codepoints)" in answer.text
    scheduled = api.post(
        "/v1/posts",
        json={"content": "x" * 2001, "platforms": ["discord"], "scheduled_for": in_seconds(3600)},
    )
    assert scheduled.status_code == 422, scheduled.text
    assert "discord: content is 2001 characters" in scheduled.text
    assert discord.created() == []


def test_a_channel_the_bot_cannot_see_is_refused_when_connecting(api: httpx.Client, discord: RunningFake) -> None:
    answer = api.post(
        "/v1/accounts",
        json={
            "platform": "discord",
            "base_url": discord.url,
            "credentials": {"bot_token": TOKEN, "channel_id": HIDDEN_CHANNEL_ID},
        },
    )

    assert answer.status_code == 422, answer.text
    assert f"the bot cannot use channel '{HIDDEN_CHANNEL_ID}'" in answer.text
    assert "Missing Access" in answer.text
    missing = api.post("/v1/accounts", json={"platform": "discord", "credentials": {"bot_token": TOKEN}})
    assert missing.status_code == 422
    assert "{bot_token, channel_id}" in missing.text


def test_a_discord_poll_through_the_api(api: httpx.Client, discord: RunningFake) -> None:
    connect(api, "discord", discord.url, {"bot_token": TOKEN, "channel_id": CHANNEL_ID})
    poll = {"options": ["Pizza", "Sushi"], "duration_minutes": 120}

    post_id = publish(api, "discord", "Lunch on Friday?\nVote by Thursday", poll=poll)

    done = wait_for_status(api, post_id, "published", "failed", timeout=60)
    result = done["platform_results"]["discord"]
    assert done["status"] == "published", result
    message = httpx.get(
        f"{discord.url}/channels/{CHANNEL_ID}/messages/{result['post_id']}", headers={"Authorization": f"Bot {TOKEN}"}
    ).json()
    assert message["content"] == "Lunch on Friday?\nVote by Thursday"
    assert message["poll"]["question"] == {"text": "Lunch on Friday?"}
    assert [a["poll_media"]["text"] for a in message["poll"]["answers"]] == ["Pizza", "Sushi"]
    assert message["poll"]["allow_multiselect"] is False


def test_a_poll_of_90_minutes_is_refused_when_scheduled(api: httpx.Client, discord: RunningFake) -> None:
    connect(api, "discord", discord.url, {"bot_token": TOKEN, "channel_id": CHANNEL_ID})

    answer = api.post(
        "/v1/posts",
        json={
            "content": "Lunch?",
            "platforms": ["discord"],
            "scheduled_for": in_seconds(3600),
            "poll": {"options": ["Pizza", "Sushi"], "duration_minutes": 90},
        },
    )

    assert answer.status_code == 422, answer.text
    assert "discord: poll lasts 90 minutes; Discord takes whole multiples of 60" in answer.json()["details"]["errors"]
    assert api.get("/v1/posts").json()["total"] == 0
    assert discord.created() == []
