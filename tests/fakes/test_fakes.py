"""The platform fakes speak enough of each API for the REAL adapters: verified with the adapters themselves
over real HTTP (the fakes are only useful if the code under test cannot tell them from the platform)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.base import (
    MediaItem,
    OutcomeUnknown,
    PublishedRef,
    PublishRequest,
    RateLimited,
    ReauthRequired,
    Rejected,
    Segment,
    Transient,
)
from adapters.bluesky import BlueskyAdapter
from adapters.discord import DiscordAdapter
from adapters.mastodon import MastodonAdapter
from adapters.twitter import TwitterAdapter
from octopost.ids import new_tid
from tests.fakes.core import Conditions
from tests.fakes.discord import CHANNEL_ID, GUILD_ID
from tests.fakes.running import RunningFake, fake_per_module
from tests.media import make_png

fake_mastodon = fake_per_module("mastodon")


fake_bluesky = fake_per_module("bluesky")


fake_twitter = fake_per_module("twitter")


fake_discord = fake_per_module("discord")


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


def _request(text: str, parent: PublishedRef | None = None, root: PublishedRef | None = None) -> PublishRequest:
    return PublishRequest(segment=Segment(index=0, text=text), idempotency_key=new_tid(), root=root, parent=parent)


async def test_mastodon_adapter_publishes_a_thread_and_a_repeated_key_posts_once(
    fake_mastodon: RunningFake, http: httpx.AsyncClient
) -> None:
    fake_mastodon.reset()
    adapter = MastodonAdapter.build(base_url=fake_mastodon.url, credentials={"access_token": "tok-a"}, http=http)
    try:
        profile = await adapter.verify()
        assert profile.username.startswith("fake")
        assert (await adapter.text_rules()).max_chars == 500
        first = _request("hello fake")
        root = await adapter.publish(first)
        again = await adapter.publish(first)  # the same Idempotency-Key: the first status, not a second one
        reply = await adapter.publish(_request("second", parent=root, root=root))
    finally:
        await adapter.aclose()
    assert again.id == root.id
    created = fake_mastodon.created()
    assert [(c["text"], c["reply_to"]) for c in created] == [("hello fake", None), ("second", root.id)]
    assert reply.id == created[1]["id"]
    assert fake_mastodon.duplicates() == 0


async def test_bluesky_adapter_logs_in_publishes_a_thread_and_finds_a_record_by_its_key(
    fake_bluesky: RunningFake, http: httpx.AsyncClient
) -> None:
    fake_bluesky.reset()
    credentials = {"identifier": "alice.fake.test", "password": "pw"}
    adapter = BlueskyAdapter.build(base_url=fake_bluesky.url, credentials=credentials, http=http)
    try:
        profile = await adapter.verify()
        assert profile.username == "alice.fake.test"
        assert profile.platform_user_id.startswith("did:plc:")
        first = _request("hello sky")
        root = await adapter.publish(first)
        assert await adapter.find_published(first) == root
        assert await adapter.find_published(_request("never sent")) is None
        again = await adapter.publish(first)  # a taken record key: the PDS fails, the adapter finds the record
        reply = await adapter.publish(_request("second", parent=root, root=root))
        session = adapter.updated_credentials()
    finally:
        await adapter.aclose()
    assert again == root
    assert root.uri is not None
    assert root.cid is not None
    assert root.uri.endswith(first.idempotency_key)
    created = fake_bluesky.created()
    assert [(c["text"], c["reply_to"]) for c in created] == [("hello sky", None), ("second", root.uri)]
    assert reply.uri == created[1]["id"]
    # A later adapter resumes the stored session without logging in again.
    assert session is not None
    resumed = BlueskyAdapter.build(base_url=fake_bluesky.url, credentials=session, http=http)
    try:
        await resumed.publish(_request("third"))
    finally:
        await resumed.aclose()
    wrong = BlueskyAdapter.build(base_url=fake_bluesky.url, credentials={**credentials, "password": "nope"}, http=http)
    try:
        with pytest.raises(Exception, match="refused the login"):
            await wrong.verify()
    finally:
        await wrong.aclose()


async def test_faults_reach_the_adapters_as_their_typed_errors(
    fake_mastodon: RunningFake, fake_bluesky: RunningFake, http: httpx.AsyncClient
) -> None:
    mastodon = MastodonAdapter.build(base_url=fake_mastodon.url, credentials={"access_token": "tok-f"}, http=http)
    bluesky = BlueskyAdapter.build(
        base_url=fake_bluesky.url, credentials={"identifier": "f", "password": "p"}, http=http
    )
    try:
        await bluesky.verify()  # log in before faults start (they hit writes only)
        for fake in (fake_mastodon, fake_bluesky):
            fake.set_conditions(Conditions(fault_rate=1.0, faults=["429"], retry_after_seconds=7))
        with pytest.raises(RateLimited) as limited:
            await mastodon.publish(_request("limited"))
        assert limited.value.retry_after == 7
        with pytest.raises(RateLimited):
            await bluesky.publish(_request("limited"))
        for fake in (fake_mastodon, fake_bluesky):
            fake.set_conditions(Conditions(fault_rate=1.0, faults=["500"]))
        with pytest.raises(Transient):
            await mastodon.publish(_request("broken"))
        stats = fake_mastodon.stats()
        assert stats["fault_429"] >= 1
        assert stats["fault_500"] >= 1
    finally:
        for fake in (fake_mastodon, fake_bluesky):
            fake.set_conditions(Conditions())
        await mastodon.aclose()
        await bluesky.aclose()


async def test_twitter_adapter_publishes_a_reply_chain_with_an_image(
    fake_twitter: RunningFake, http: httpx.AsyncClient
) -> None:
    fake_twitter.reset()
    adapter = TwitterAdapter.build(base_url=fake_twitter.url, credentials={"access_token": "tok-x"}, http=http)
    image = MediaItem(data=make_png(), content_type="image/png", kind="image", alt_text="a small square")
    try:
        profile = await adapter.verify()
        root = await adapter.publish(_request("hello x"))
        middle = await adapter.publish(_request("second", parent=root, root=root))
        with_image = PublishRequest(
            segment=Segment(index=2, text="third", media=(image,)), idempotency_key=new_tid(), root=root, parent=middle
        )
        last = await adapter.publish(with_image)
    finally:
        await adapter.aclose()
    assert profile.username.startswith("fake")
    assert root.url == f"https://x.com/{profile.username}/status/{root.id}"
    created = fake_twitter.created()
    assert [(c["text"], c["reply_to"]) for c in created] == [
        ("hello x", None),
        ("second", root.id),
        ("third", middle.id),
    ]
    assert [c["id"] for c in created] == [root.id, middle.id, last.id]
    assert {c["account"] for c in created} == {profile.platform_user_id}
    assert all(c["idempotency_key"] is None for c in created)
    assert fake_twitter.duplicates() == 0


async def test_twitter_fake_refuses_what_x_refuses(fake_twitter: RunningFake, http: httpx.AsyncClient) -> None:
    no_token = TwitterAdapter.build(base_url=fake_twitter.url, credentials={"access_token": ""}, http=http)
    ghost = PublishedRef(id="1234567890123456789", url="https://x.com/i/status/1234567890123456789")
    adapter = TwitterAdapter.build(base_url=fake_twitter.url, credentials={"access_token": "tok-y"}, http=http)
    try:
        with pytest.raises(ReauthRequired):
            await no_token.verify()  # no bearer: 401
        with pytest.raises(Rejected, match="deleted or not visible"):
            await adapter.publish(_request("reply to nothing", parent=ghost, root=ghost))
        fake_twitter.set_conditions(Conditions(fault_rate=1.0, faults=["reset_after"]))
        with pytest.raises(OutcomeUnknown):  # applied, answer lost: X has no key, so never resent
            await adapter.publish(_request("lost answer"))
    finally:
        fake_twitter.set_conditions(Conditions())
        await no_token.aclose()
        await adapter.aclose()
    raw = await http.post(
        f"{fake_twitter.url}/2/tweets", json={"text": "x", "txt": "typo"}, headers={"Authorization": "Bearer t"}
    )
    assert raw.status_code == 400
    assert "unknown fields: txt" in raw.json()["detail"]


async def test_discord_adapter_publishes_a_thread_with_an_image_and_a_repeated_nonce_posts_once(
    fake_discord: RunningFake, http: httpx.AsyncClient
) -> None:
    fake_discord.reset()
    credentials = {"bot_token": "tok-d", "channel_id": CHANNEL_ID}
    adapter = DiscordAdapter.build(base_url=fake_discord.url, credentials=credentials, http=http)
    image = MediaItem(data=make_png(), content_type="image/png", kind="image", alt_text="a small square")
    try:
        profile = await adapter.verify()
        first = _request("hello discord")
        root = await adapter.publish(first)
        again = await adapter.publish(first)  # the same nonce with enforce_nonce: the first message again
        with_image = PublishRequest(
            segment=Segment(index=1, text="second", media=(image,)), idempotency_key=new_tid(), root=root, parent=root
        )
        middle = await adapter.publish(with_image)
        third = PublishRequest(segment=Segment(2, "third"), idempotency_key=new_tid(), root=root, parent=middle)
        last = await adapter.publish(third)
    finally:
        await adapter.aclose()
    assert again == root
    assert profile.display_name is not None
    assert profile.display_name.startswith("Fake Bot")
    assert root.url == f"https://discord.com/channels/{GUILD_ID}/{CHANNEL_ID}/{root.id}"
    assert last.url == f"https://discord.com/channels/{GUILD_ID}/{root.id}/{last.id}"  # in the thread
    created = fake_discord.created()
    assert [(c["id"], c["text"], c["reply_to"]) for c in created] == [
        (root.id, "hello discord", None),
        (middle.id, "second", root.id),
        (last.id, "third", middle.id),
    ]
    assert created[0]["idempotency_key"] == first.idempotency_key
    assert {c["account"] for c in created} == {profile.platform_user_id}
    assert fake_discord.duplicates() == 0


async def test_discord_fake_refuses_what_discord_refuses(fake_discord: RunningFake, http: httpx.AsyncClient) -> None:
    bot = {"Authorization": "Bot tok-r"}
    messages = f"{fake_discord.url}/channels/{CHANNEL_ID}/messages"

    async def post(url: str, headers: dict[str, str] = bot, **body: Any) -> tuple[int, dict]:
        response = await http.post(url, headers=headers, **body)
        return response.status_code, response.json()

    assert (await post(messages, {"Authorization": "Bearer tok-r"}, json={"content": "x"}))[0] == 401
    status, body = await post(messages, json={"content": "x" * 2001})
    assert (status, body["code"]) == (400, 50035)
    assert body["errors"]["content"]["_errors"][0]["message"] == "Must be 2000 or fewer in length."
    assert (await post(messages, json={"content": "x", "nonce": "n" * 26}))[1]["errors"]["nonce"]
    assert (await post(messages, json={"contnet": "typo"}))[1]["code"] == 50035
    assert (await post(messages, json={"content": " "}))[1]["code"] == 50006
    status, body = await post(f"{fake_discord.url}/channels/1100000000000000999/messages", json={"content": "x"})
    assert (status, body["code"]) == (404, 10003)
    files = {"files[0]": ("big.png", bytes(10 * 1024 * 1024 + 1), "image/png")}
    assert (await post(messages, files=files))[0] == 413
    wrong_id = {
        "payload_json": (None, '{"attachments": [{"id": "1"}]}', "application/json"),
        "files[0]": ("a.png", make_png(), "image/png"),
    }
    assert (await post(messages, files=wrong_id))[1]["errors"]["attachments"]["0"]["_errors"][0]["code"] == (
        "ATTACHMENT_NOT_FOUND"
    )
    status, message = await post(messages, json={"content": "starter"})
    threads = f"{messages}/{message['id']}/threads"
    assert (await post(threads, json={"name": ""}))[0] == 400
    first, thread = await post(threads, json={"name": "a thread"})
    assert (first, thread["id"], thread["parent_id"]) == (201, message["id"], CHANNEL_ID)
    assert await post(threads, json={"name": "again"}) == (
        400,
        {"code": 160004, "message": "A thread has already been created for this message"},
    )


def test_conditions_reject_unknown_fields(fake_mastodon: RunningFake, tmp_path: Path) -> None:
    response = httpx.put(f"{fake_mastodon.url}/_fake/conditions", json={"latency": 5}, timeout=10)
    assert response.status_code == 400
    assert "unknown conditions" in response.json()["error"]
