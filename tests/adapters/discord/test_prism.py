"""The Discord adapter over real HTTP against Prism serving Discord's own v10 OpenAPI spec: every request must pass
the vendor's schema (a 422 is a spec violation; the log is checked for none). Prism's answers are random but
schema-shaped, so these tests assert statuses, shapes and what we sent, not values.

Prism does not look inside a multipart body's ``payload_json`` part (it is not a declared form field): the media
test therefore also posts that part's JSON on its own, where Prism checks it against MessageCreateRequest.
"""

from __future__ import annotations

import httpx
import pytest

from adapters.base import PublishedRef, Rejected
from adapters.discord.api import USER_AGENT
from tests.adapters.discord.support import (
    GUILD,
    PRISM_CHANNEL,
    PRISM_CREDENTIALS,
    PRISM_WITH_GUILD,
    SNOWFLAKE,
    MakeAdapter,
    Sent,
    assert_payload_passes_the_spec,
    message_url,
    publish_thread,
    request,
)
from tests.media import png
from tests.peers.prism import PrismPeer


def assert_message(ref: PublishedRef, channel: str, guild: str = GUILD) -> None:
    assert SNOWFLAKE.fullmatch(ref.id), ref
    assert ref.url == message_url(guild, channel, ref.id)


async def test_verify_reads_the_bot_and_proves_it_sees_the_channel(
    make_adapter: MakeAdapter, prism_discord: PrismPeer, sent: Sent
) -> None:
    since = prism_discord.log_offset()
    adapter = make_adapter()

    profile = await adapter.verify()

    assert SNOWFLAKE.fullmatch(profile.platform_user_id)
    assert isinstance(profile.username, str)
    assert profile.username
    if profile.avatar_url is not None:  # Prism's avatar hash is a random string, or null
        assert profile.avatar_url.startswith(f"https://cdn.discordapp.com/avatars/{profile.platform_user_id}/")
        assert profile.avatar_url.endswith(".png")
    assert sent.steps() == [("GET", "/users/@me"), ("GET", f"/channels/{PRISM_CHANNEL}")]
    assert {r.headers["authorization"] for r in sent.requests} == {"Bot prism-bot-token"}
    assert {r.headers["user-agent"] for r in sent.requests} == {USER_AGENT}
    stored = adapter.updated_credentials()  # the channel's guild, to be kept with the account
    assert stored is not None
    assert stored["guild_id"] == "@me" or SNOWFLAKE.fullmatch(stored["guild_id"])
    assert {k: v for k, v in stored.items() if k != "guild_id"} == PRISM_CREDENTIALS
    assert prism_discord.request_violations(since) == []


async def test_a_message_carries_its_nonce_and_passes_the_spec(
    make_adapter: MakeAdapter, prism_discord: PrismPeer, sent: Sent
) -> None:
    since = prism_discord.log_offset()
    adapter = make_adapter(PRISM_WITH_GUILD)
    main = request("Hello from Octopost @everyone")

    ref = await adapter.publish(main)

    assert_message(ref, PRISM_CHANNEL)
    assert sent.steps() == [("POST", f"/channels/{PRISM_CHANNEL}/messages")]  # the stored guild: no lookup
    assert sent.requests[0].json == {
        "content": "Hello from Octopost @everyone",
        "nonce": main.idempotency_key,
        "enforce_nonce": True,
        "allowed_mentions": {"parse": []},  # cross-posted text pings no one
    }
    assert adapter.updated_credentials() is None
    assert prism_discord.request_violations(since) == []


async def test_without_a_stored_guild_the_channel_is_looked_up_once(make_adapter: MakeAdapter, sent: Sent) -> None:
    adapter = make_adapter()

    first = await adapter.publish(request("one"))
    second = await adapter.publish(request("two"))

    assert sent.steps() == [
        ("GET", f"/channels/{PRISM_CHANNEL}"),
        ("POST", f"/channels/{PRISM_CHANNEL}/messages"),
        ("POST", f"/channels/{PRISM_CHANNEL}/messages"),
    ]
    stored = adapter.updated_credentials()
    assert stored is not None  # persisted after the publish, so the next one skips the lookup
    assert first.url.startswith(f"https://discord.com/channels/{stored['guild_id']}/{PRISM_CHANNEL}/")
    assert second.url.startswith(f"https://discord.com/channels/{stored['guild_id']}/{PRISM_CHANNEL}/")


async def test_a_thread_is_started_from_the_main_message_and_replies_go_into_it(
    make_adapter: MakeAdapter, prism_discord: PrismPeer, sent: Sent
) -> None:
    since = prism_discord.log_offset()
    adapter = make_adapter(PRISM_WITH_GUILD)

    main, second, third = await publish_thread(adapter, ["Release notes\nall of them", "second", "third"])

    thread = main.id  # a thread started from a message has the message's id
    assert sent.steps() == [
        ("POST", f"/channels/{PRISM_CHANNEL}/messages"),
        ("POST", f"/channels/{PRISM_CHANNEL}/messages/{thread}/threads"),
        ("POST", f"/channels/{thread}/messages"),
        ("POST", f"/channels/{thread}/messages"),
    ]
    assert sent.requests[1].json == {"name": "Release notes"}
    assert [r.json["content"] for r in sent.requests if r.path.endswith("/messages")] == ["Release notes\nall of them",
                                                                                         "second", "third"]
    assert_message(main, PRISM_CHANNEL)
    assert_message(second, thread)
    assert_message(third, thread)
    assert prism_discord.request_violations(since) == []


async def test_media_goes_as_files_with_a_payload_json_and_passes_the_spec(
    make_adapter: MakeAdapter, prism_discord: PrismPeer, sent: Sent, http: httpx.AsyncClient
) -> None:
    since = prism_discord.log_offset()
    images = (png("a red square", (200, 0, 0)), png(None, (0, 0, 200)))
    adapter = make_adapter(PRISM_WITH_GUILD)

    ref = await adapter.publish(request("two pictures", media=images))

    assert_message(ref, PRISM_CHANNEL)
    (upload,) = sent.requests
    assert upload.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert [(p.name, p.filename, p.content_type) for p in upload.parts] == [
        ("payload_json", None, "application/json"),
        ("files[0]", "image-1.png", "image/png"),
        ("files[1]", "image-2.png", "image/png"),
    ]
    assert [p.data for p in upload.parts[1:]] == [image.data for image in images]
    payload = upload.json
    assert payload["content"] == "two pictures"
    assert payload["attachments"] == [
        {"id": "0", "filename": "image-1.png", "description": "a red square"},  # alt text → description
        {"id": "1", "filename": "image-2.png"},
    ]
    assert prism_discord.request_violations(since) == []
    await assert_payload_passes_the_spec(http, prism_discord, payload)


async def test_a_channel_id_that_is_not_a_snowflake_breaks_the_spec_and_is_rejected(
    make_adapter: MakeAdapter, prism_discord: PrismPeer
) -> None:
    since = prism_discord.log_offset()
    adapter = make_adapter({**PRISM_CREDENTIALS, "channel_id": "general"})

    with pytest.raises(Rejected, match=r"cannot use channel 'general' \(Discord channel lookup was rejected \(422\)"):
        await adapter.verify()

    prism_discord.wait_for_violation("channel_id must match pattern", since=since)


async def test_a_reply_to_something_that_is_not_a_discord_message_is_rejected(
    make_adapter: MakeAdapter, prism_discord: PrismPeer
) -> None:
    """The main message's id goes into the thread-start path: a Bluesky URI there breaks the spec's pattern."""
    since = prism_discord.log_offset()
    elsewhere = PublishedRef(id="at://did:plc:abc/app.bsky.feed.post/3k", url="https://bsky.app/x")

    adapter = make_adapter(PRISM_WITH_GUILD)

    with pytest.raises(Rejected, match=r"Discord thread start was rejected \(422\)"):
        await adapter.publish(request("a reply", index=1, root=elsewhere))

    prism_discord.wait_for_violation("message_id must match pattern", since=since)
