"""Bluesky's post features against the real PDS: the options' languages on every record of a thread, each reply
policy as the main post's threadgate (read back with its ``allow``), one gate however often the main post is sent,
a gate put back by ``find_published`` where the post landed without it, and what validation refuses (polls, options
outside the lexicon)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from adapters.base import OutcomeUnknown, Poll, PublishedRef, PublishRequest, ReplyPolicy
from adapters.bluesky import BlueskyAdapter
from adapters.bluesky.options import BlueskyOptions
from adapters.validation import OptionsInvalid, PostShape, SegmentShape, decode_options, validate
from octopost.ids import new_tid
from tests.adapters.bsky.support import POST, adapter_for, rkey_of, text_segment
from tests.peers.bluesky import BskyAccount, BskyPds
from tests.peers.ports import wait_until
from tests.peers.proxy import holding_proxy

GATE = "app.bsky.feed.threadgate"
INFO = BlueskyAdapter.info


def main_post(text: str, policy: ReplyPolicy | None = None, key: str | None = None) -> PublishRequest:
    return PublishRequest(segment=text_segment(text), idempotency_key=key or new_tid(), reply_policy=policy)


def gates(pds: BskyPds, account: BskyAccount) -> dict[str, list[str]]:
    """Each threadgate of the account: its record key → the rules it allows."""
    return {
        record["uri"].rsplit("/", 1)[-1]: [rule["$type"] for rule in record["value"]["allow"]]
        for record in pds.list_records(account.did, GATE)
    }


async def test_the_languages_go_on_every_record_of_a_thread(
    bsky_pds: BskyPds, bsky_account: BskyAccount, http: httpx.AsyncClient
) -> None:
    adapter = adapter_for(bsky_pds, bsky_account.credentials, http)
    options = BlueskyOptions(langs=("fr", "en-CA"))
    main = await adapter.publish(
        PublishRequest(segment=text_segment("Bonjour"), idempotency_key=new_tid(), options=options)
    )
    reply = await adapter.publish(
        PublishRequest(segment=text_segment("hello", 1), idempotency_key=new_tid(), parent=main, options=options)
    )

    for ref in (main, reply):
        record = bsky_pds.get_record(bsky_account.did, POST, rkey_of(ref))
        assert record is not None
        assert record["value"]["langs"] == ["fr", "en-CA"]


@pytest.mark.parametrize(
    ("policy", "allow"),
    [
        (ReplyPolicy.FOLLOWERS, ["app.bsky.feed.threadgate#followerRule"]),
        (ReplyPolicy.FOLLOWING, ["app.bsky.feed.threadgate#followingRule"]),
        (ReplyPolicy.MENTIONED, ["app.bsky.feed.threadgate#mentionRule"]),
        (ReplyPolicy.NOBODY, []),
    ],
)
async def test_each_reply_policy_is_the_main_posts_threadgate(
    bsky_pds: BskyPds, bsky_account: BskyAccount, http: httpx.AsyncClient, policy: ReplyPolicy, allow: list[str]
) -> None:
    adapter = adapter_for(bsky_pds, bsky_account.credentials, http)
    main = await adapter.publish(main_post(f"replies: {policy.value}", policy))
    # The thread goes on under its own gate: the reply carries the policy too, and makes no gate of its own.
    reply = await adapter.publish(
        PublishRequest(
            segment=text_segment("my own reply", 1), idempotency_key=new_tid(), parent=main, reply_policy=policy
        )
    )

    assert gates(bsky_pds, bsky_account) == {rkey_of(main): allow}
    gate = bsky_pds.get_record(bsky_account.did, GATE, rkey_of(main))
    assert gate is not None
    assert gate["value"]["post"] == main.uri
    assert gate["value"]["createdAt"].endswith("Z")
    assert [r["uri"] for r in bsky_pds.list_records(bsky_account.did)] == sorted([main.uri, reply.uri], reverse=True)


async def test_everyone_needs_no_gate(bsky_pds: BskyPds, bsky_account: BskyAccount, http: httpx.AsyncClient) -> None:
    adapter = adapter_for(bsky_pds, bsky_account.credentials, http)
    await adapter.publish(main_post("open to all", ReplyPolicy.EVERYONE))
    await adapter.publish(main_post("no policy at all"))

    assert gates(bsky_pds, bsky_account) == {}
    assert len(bsky_pds.list_records(bsky_account.did)) == 2


async def test_a_main_post_sent_again_leaves_one_post_and_one_gate(
    bsky_pds: BskyPds, bsky_account: BskyAccount, http: httpx.AsyncClient
) -> None:
    request = main_post("sent twice", ReplyPolicy.NOBODY)

    first = await adapter_for(bsky_pds, bsky_account.credentials, http).publish(request)
    again = await adapter_for(bsky_pds, bsky_account.credentials, http).publish(request)  # another worker's retry

    assert again == first
    assert [r["uri"] for r in bsky_pds.list_records(bsky_account.did)] == [first.uri]
    assert gates(bsky_pds, bsky_account) == {rkey_of(first): []}


async def test_find_published_puts_back_the_gate_of_a_post_that_landed_without_it(
    bsky_pds: BskyPds, bsky_account: BskyAccount, http: httpx.AsyncClient
) -> None:
    adapter = adapter_for(bsky_pds, bsky_account.credentials, http)
    key = new_tid()
    landed = await adapter.publish(main_post("the gate got lost", key=key))  # the post, and no gate
    assert gates(bsky_pds, bsky_account) == {}

    found = await adapter_for(bsky_pds, bsky_account.credentials, http).find_published(
        main_post("the gate got lost", ReplyPolicy.FOLLOWING, key=key)
    )

    assert found == landed
    assert gates(bsky_pds, bsky_account) == {key: ["app.bsky.feed.threadgate#followingRule"]}
    assert await adapter.find_published(main_post("never sent", ReplyPolicy.NOBODY)) is None
    assert list(gates(bsky_pds, bsky_account)) == [key]  # no gate for a post that is not there


async def test_a_gated_post_whose_answer_was_lost_is_found_with_one_gate(
    bsky_pds: BskyPds, bsky_account: BskyAccount
) -> None:
    """A proxy holds applyWrites until the client gives up, then delivers it: the post and its gate land unseen."""
    request = main_post("answer lost", ReplyPolicy.MENTIONED)
    hold = lambda method, path, count: path == "/xrpc/com.atproto.repo.applyWrites"  # noqa: E731
    with holding_proxy(bsky_pds.url, hold) as proxy:
        async with httpx.AsyncClient(timeout=httpx.Timeout(10, read=2)) as http:
            adapter = BlueskyAdapter.build(base_url=proxy.url, credentials=bsky_account.credentials, http=http)
            with pytest.raises(OutcomeUnknown, match="ReadTimeout"):
                await adapter.publish(request)
            proxy.release(forward=True)
            landing = lambda: bsky_pds.get_record(bsky_account.did, POST, request.idempotency_key) is not None  # noqa: E731
            await asyncio.to_thread(wait_until, landing, timeout=15, what="the held post landing")

            found = await adapter.find_published(request)

    assert isinstance(found, PublishedRef)
    assert rkey_of(found) == request.idempotency_key
    assert gates(bsky_pds, bsky_account) == {request.idempotency_key: ["app.bsky.feed.threadgate#mentionRule"]}


# ---- what validation refuses, before anything is sent -----------------------------------------------------------


def test_a_poll_is_refused_naming_bluesky() -> None:
    shape = PostShape([SegmentShape("a poll?")], poll=Poll(options=("yes", "no"), duration_minutes=60))
    assert [v.describe() for v in validate(INFO, shape)] == ["bluesky: poll cannot be posted: Bluesky has no polls"]


def test_every_reply_policy_is_declared() -> None:
    assert frozenset(ReplyPolicy) == INFO.reply_policies
    assert INFO.polls is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"langs": ["en", "fr", "de", "es"]}, r"Expected `array` of length <= 3 - at `\$.langs`"),
        ({"langs": ["not a language"]}, r"at `\$.langs\[0\]`"),
        ({"langs": ["en-"]}, r"at `\$.langs\[0\]`"),
        ({"langs": ["en", "English"]}, r"at `\$.langs\[1\]`"),
        ({"langs": ["EN"]}, r"at `\$.langs\[0\]`"),
        ({"langs": ["en_US"]}, r"at `\$.langs\[0\]`"),
        ({"langs": "en"}, r"at `\$.langs`"),
        ({"lang": ["en"]}, r"unknown field `lang`"),
    ],
)
def test_options_outside_the_lexicon_are_refused_naming_the_field(raw: dict[str, object], message: str) -> None:
    with pytest.raises(OptionsInvalid, match=message):
        decode_options(INFO, raw)


def test_well_formed_language_tags_are_taken() -> None:
    tags = ["en", "pt-BR", "zh-Hant-TW"]
    assert decode_options(INFO, {"langs": tags}) == BlueskyOptions(langs=tuple(tags))
    assert decode_options(INFO, {"langs": ["sr-Latn-RS-x-priv"]}) == BlueskyOptions(langs=("sr-Latn-RS-x-priv",))
