"""The Mastodon adapter (Mastodon.py, for real) against mastodon_mock: verifying, threads with media and alt text, the
Idempotency-Key, and the text rules read from the instance."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.base import (
    DiscoversTextRules,
    PublishedRef,
    ReauthRequired,
    TextCounting,
    TextRules,
)
from adapters.mastodon import clear_text_rules_cache
from adapters.mastodon.instance import TtlCache
from tests.adapters.masto.support import MakeAdapter, request
from tests.media import png
from tests.peers.mastodon import MastodonAccount, MastodonPeer

# ---- verify -------------------------------------------------------------------------------------------


async def test_verify_returns_the_accounts_profile(
    make_adapter: MakeAdapter, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    profile = await make_adapter().verify()

    server_view = mastodon_peer.account(mastodon_account.token)
    assert profile.platform_user_id == mastodon_account.id == str(server_view["id"])
    assert profile.username == mastodon_account.username == server_view["acct"]
    assert profile.display_name == server_view["display_name"]
    assert profile.avatar_url == server_view["avatar"]
    assert profile.avatar_url


async def test_a_bad_token_needs_reauth_with_a_clear_message(make_adapter: MakeAdapter) -> None:
    adapter = make_adapter(token="revoked-token")

    with pytest.raises(ReauthRequired) as refused:
        await adapter.verify()
    assert "access token" in refused.value.message
    assert "reconnect the account" in refused.value.message
    assert "revoked-token" not in refused.value.message  # never the secret

    with pytest.raises(ReauthRequired):
        await adapter.publish(request("hello", "k-bad-token"))


# ---- publish --------------------------------------------------------------------------------------------


async def test_a_three_segment_thread_with_media_lands_as_a_reply_chain(
    make_adapter: MakeAdapter, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    adapter = make_adapter()
    segments = [
        ("1/ the main post", (png("a red square", (200, 0, 0)), png("a blue square", (0, 0, 200)))),
        ("2/ a reply with one picture", (png("a green square", (0, 200, 0)),)),
        ("3/ and a plain ending", ()),
    ]

    refs: list[PublishedRef] = []
    for index, (text, media) in enumerate(segments):
        root = refs[0] if refs else None
        parent = refs[-1] if refs else None
        refs.append(
            await adapter.publish(request(text, f"thread-{index}", index=index, media=media, root=root, parent=parent))
        )

    posted = {status["id"]: status for status in mastodon_peer.statuses(mastodon_account.token)}
    assert set(posted) == {ref.id for ref in refs}
    chain = [posted[ref.id] for ref in refs]
    assert [status["in_reply_to_id"] for status in chain] == [None, refs[0].id, refs[1].id]
    assert [status["url"] for status in chain] == [ref.url for ref in refs]
    assert [[m["description"] for m in status["media_attachments"]] for status in chain] == [
        ["a red square", "a blue square"],
        ["a green square"],
        [],
    ]
    assert all(m["url"] for status in chain for m in status["media_attachments"])
    assert "the main post" in chain[0]["content"]
    descendants = mastodon_peer.context(refs[0].id, mastodon_account.token)["descendants"]
    assert [status["id"] for status in descendants] == [refs[1].id, refs[2].id]


async def test_the_same_idempotency_key_yields_the_same_status_once(
    make_adapter: MakeAdapter, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    adapter = make_adapter()
    again = request("said once, sent twice", "01JSEGMENT0KEY")

    first = await adapter.publish(again)
    second = await make_adapter().publish(again)  # a retry from another worker: a new adapter, same key

    assert second == first
    assert [status["id"] for status in mastodon_peer.statuses(mastodon_account.token)] == [first.id]

    other = await adapter.publish(request("said once, sent twice", "01JSEGMENT1KEY"))
    assert other.id != first.id


# ---- instance text rules -----------------------------------------------------------------------------------


def _instance(statuses: dict[str, Any]) -> dict[str, Any]:
    return {"uri": "big.example", "version": "4.6.0", "configuration": {"statuses": statuses}}


async def test_text_rules_are_the_instances_and_fetched_once(
    make_adapter: MakeAdapter, mastodon_peer: MastodonPeer
) -> None:
    clear_text_rules_cache()
    try:
        assert await make_adapter().text_rules() == TextRules(500, TextCounting.MASTODON, url_length=23)
        assert mastodon_peer.instance()["configuration"]["statuses"]["max_characters"] == 500

        # The mock's limit is fixed at 500 (also our default), so serve a bigger instance's answer once
        # more than needed: the rule's leftover budget shows how many lookups reached the server.
        clear_text_rules_cache()
        big = _instance({"max_characters": 5000, "characters_reserved_per_url": 30})
        rule = mastodon_peer.inject_fault(
            {"type": "status", "status": 200, "body": big}, count=2, methods=["GET"], path_regex=r"^/api/v2/instance/?$"
        )

        first = make_adapter()
        assert isinstance(first, DiscoversTextRules)
        rules = await first.text_rules()
        assert rules == TextRules(5000, TextCounting.MASTODON, url_length=30)
        assert await first.text_rules() == rules
        assert await make_adapter().text_rules() == rules  # cached per instance, not per adapter
        assert [r["remaining"] for r in mastodon_peer.faults() if r["id"] == rule] == [1]
    finally:
        clear_text_rules_cache()


@pytest.mark.parametrize(
    ("v1_body", "expected"),
    [
        pytest.param(
            _instance({"max_characters": 1000, "characters_reserved_per_url": 25}),
            TextRules(1000, TextCounting.MASTODON, url_length=25),
            id="mastodon-v1",
        ),
        pytest.param(
            {"uri": "pleroma.example", "max_toot_chars": 5000},
            TextRules(5000, TextCounting.MASTODON, url_length=23),
            id="pleroma-max_toot_chars",
        ),
        pytest.param({"uri": "bare.example"}, TextRules(500, TextCounting.MASTODON, url_length=23), id="absent"),
    ],
)
async def test_text_rules_fall_back_to_the_v1_instance_then_500(
    make_adapter: MakeAdapter, mastodon_peer: MastodonPeer, v1_body: dict[str, Any], expected: TextRules
) -> None:
    clear_text_rules_cache()
    try:
        mastodon_peer.inject_fault(
            {"type": "status", "status": 404, "body": {"error": "Record not found"}},
            methods=["GET"],
            path_regex=r"^/api/v2/instance/?$",
        )
        mastodon_peer.inject_fault(
            {"type": "status", "status": 200, "body": v1_body}, methods=["GET"], path_regex=r"^/api/v1/instance/?$"
        )
        assert await make_adapter().text_rules() == expected
        assert mastodon_peer.faults() == []  # both lookups reached the server
    finally:
        clear_text_rules_cache()


def test_the_ttl_cache_expires_on_its_clock() -> None:
    now = [1000.0]
    cache: TtlCache[int] = TtlCache(ttl=3600, clock=lambda: now[0])
    cache.put("https://a.example", 11000)
    now[0] += 3599
    assert cache.get("https://a.example") == 11000
    assert cache.get("https://b.example") is None
    now[0] += 1
    assert cache.get("https://a.example") is None
