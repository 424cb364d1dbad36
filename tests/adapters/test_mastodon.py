"""The Mastodon adapter over real HTTP: Mastodon.py runs for real against mastodon_mock (an independent mock)
and, for media processing, against recordings of a real Mastodon 4.6.4. Nothing of the SDK or adapter is mocked.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import vcr
from mastodon.errors import MastodonRatelimitError

from adapters.base import (
    DiscoversTextRules,
    MediaItem,
    PublishedRef,
    PublishRequest,
    RateLimited,
    ReauthRequired,
    Rejected,
    Segment,
    TextCounting,
    TextRules,
    Transient,
)
from adapters.mastodon import MastodonAdapter, TtlCache, clear_text_rules_cache, translate_error
from tests.media import make_png
from tests.peers.mastodon import MastodonAccount, MastodonPeer
from tests.peers.ports import wait_until
from tests.peers.proxy import holding_proxy

REPO_ROOT = Path(__file__).resolve().parents[2]
RECORDINGS = REPO_ROOT.parent / "shared" / "recordings" / "mastodon"

MakeAdapter = Callable[..., MastodonAdapter]


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
async def make_adapter(
    mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount, http: httpx.AsyncClient
) -> AsyncIterator[MakeAdapter]:
    """Adapters for the test's fresh account (or another token), closed at the end."""
    made: list[MastodonAdapter] = []

    def make(token: str | None = None, **options: Any) -> MastodonAdapter:
        adapter = MastodonAdapter(
            base_url=mastodon_peer.url,
            credentials={"access_token": token or mastodon_account.token},
            http=http,
            **options,
        )
        made.append(adapter)
        return adapter

    yield make
    for adapter in made:
        await adapter.aclose()


def png(alt: str, rgb: tuple[int, int, int] = (10, 20, 30)) -> MediaItem:
    return MediaItem(data=make_png(6, 4, rgb), content_type="image/png", kind="image", alt_text=alt, width=6, height=4)


def request(
    text: str,
    key: str,
    *,
    index: int = 0,
    media: tuple[MediaItem, ...] = (),
    root: PublishedRef | None = None,
    parent: PublishedRef | None = None,
) -> PublishRequest:
    return PublishRequest(segment=Segment(index, text, media), idempotency_key=key, root=root, parent=parent)


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


# ---- errors ---------------------------------------------------------------------------------------------


async def test_too_long_text_is_rejected_with_the_servers_message(
    make_adapter: MakeAdapter, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    with pytest.raises(Rejected) as rejected:
        await make_adapter().publish(request("x" * 501, "too-long"))
    assert "Text is too long (maximum is 500 characters)" in rejected.value.message
    assert "422" in rejected.value.message
    assert mastodon_peer.statuses(mastodon_account.token) == []


async def test_too_many_media_are_rejected_with_the_servers_message(
    make_adapter: MakeAdapter, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    five = tuple(png(f"picture {n}") for n in range(5))
    with pytest.raises(Rejected) as rejected:
        await make_adapter().publish(request("five pictures", "too-many", media=five))
    assert "Media attachments count is too high (maximum is 4)" in rejected.value.message
    assert mastodon_peer.statuses(mastodon_account.token) == []


async def test_a_rate_limit_raises_with_the_time_to_wait(
    make_adapter: MakeAdapter, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    mastodon_peer.inject_fault({"type": "ratelimit"}, methods=["POST"], path="/api/v1/statuses")
    started = time.monotonic()

    with pytest.raises(RateLimited) as limited:
        await make_adapter().publish(request("not now", "rate-limited"))

    assert time.monotonic() - started < 30  # raised, did not sleep until the reset
    assert limited.value.retry_after is not None
    assert 290 <= limited.value.retry_after <= 300  # the mock's Retry-After: 300
    assert mastodon_peer.statuses(mastodon_account.token) == []


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_errors_are_transient(
    make_adapter: MakeAdapter, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount, status: int
) -> None:
    mastodon_peer.inject_fault({"type": "status", "status": status}, methods=["POST"], path="/api/v1/statuses")
    with pytest.raises(Transient) as failed:
        await make_adapter().publish(request("try again", f"server-{status}"))
    assert str(status) in failed.value.message
    assert mastodon_peer.statuses(mastodon_account.token) == []


@pytest.mark.parametrize(
    ("method", "path", "status", "message", "category"),
    [
        ("GET", "/api/v1/accounts/verify_credentials", 403, "Your login is currently disabled", ReauthRequired),
        ("POST", "/api/v1/statuses", 403, "This action is not allowed", Rejected),
        ("POST", "/api/v1/statuses", 404, "Record not found", Rejected),  # real Mastodon: the parent was deleted
        ("POST", "/api/v1/statuses", 422, "Cannot attach files that have not finished processing.", Transient),
    ],
)
async def test_other_refusals_are_classified(
    make_adapter: MakeAdapter,
    mastodon_peer: MastodonPeer,
    method: str,
    path: str,
    status: int,
    message: str,
    category: type[Exception],
) -> None:
    mastodon_peer.inject_fault(
        {"type": "status", "status": status, "body": {"error": message}}, methods=[method], path=path
    )
    adapter = make_adapter()
    with pytest.raises(category) as refused:
        await (adapter.verify() if method == "GET" else adapter.publish(request("refused", f"refused-{status}")))
    assert message in str(refused.value)


async def test_a_malformed_answer_is_transient(make_adapter: MakeAdapter, mastodon_peer: MastodonPeer) -> None:
    mastodon_peer.inject_fault({"type": "malformed"}, methods=["GET"], path="/api/v1/accounts/verify_credentials")
    with pytest.raises(Transient, match="unreadable answer"):
        await make_adapter().verify()


async def test_a_timeout_after_sending_is_transient_and_the_resend_posts_once(
    make_adapter: MakeAdapter, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    # The mock holds the request (≥ 30 s) and then processes it: the post may land after we gave up.
    mastodon_peer.inject_fault({"type": "timeout"}, methods=["POST"], path="/api/v1/statuses")
    adapter = make_adapter(request_timeout=0.5)
    segment = request("sent into the void", "timeout-key")

    with pytest.raises(Transient) as timed_out:
        await adapter.publish(segment)
    assert "Idempotency-Key" in timed_out.value.message

    ref = await adapter.publish(segment)  # what the publisher does with Transient: the same request again
    assert [status["id"] for status in mastodon_peer.statuses(mastodon_account.token)] == [ref.id]


async def test_a_post_applied_after_the_client_timed_out_is_not_duplicated_by_the_resend(
    mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount, http: httpx.AsyncClient
) -> None:
    # mastodon_mock drops a request whose client went away, so a proxy plays the slow network: it holds
    # the first POST until we have given up, then delivers it, and the instance creates the status.
    def first_post(method: str, path: str, count: int) -> bool:
        return (method, path, count) == ("POST", "/api/v1/statuses", 1)

    segment = request("late but there", "late-key")
    with holding_proxy(mastodon_peer.url, first_post) as proxy:
        adapter = MastodonAdapter(
            base_url=proxy.url, credentials=mastodon_account.credentials, http=http, request_timeout=0.5
        )
        try:
            with pytest.raises(Transient) as timed_out:
                await adapter.publish(segment)
            assert "Idempotency-Key" in timed_out.value.message
            proxy.release(forward=True)
            await asyncio.to_thread(
                wait_until,
                lambda: bool(mastodon_peer.statuses(mastodon_account.token)),
                timeout=15,
                what="the held post to land",
            )
            [landed] = mastodon_peer.statuses(mastodon_account.token)

            ref = await adapter.publish(segment)
        finally:
            await adapter.aclose()

    assert ref.id == landed["id"]
    assert len(mastodon_peer.statuses(mastodon_account.token)) == 1


def test_rate_limit_reset_is_read_against_the_servers_clock() -> None:
    """Real Mastodon sends X-RateLimit-Reset as ISO 8601 (no Retry-After on most limits) plus a Date."""
    server_now = datetime(2026, 8, 1, 13, 51, 0, tzinfo=UTC)
    headers = {
        "Date": format_datetime(server_now, usegmt=True),
        "X-RateLimit-Reset": (server_now + timedelta(seconds=540)).isoformat().replace("+00:00", "Z"),
    }
    local_clock_is_off = server_now.timestamp() + 7200
    error = translate_error(
        MastodonRatelimitError("Hit rate limit."), action="post", rate_limit_headers=headers, now=local_clock_is_off
    )
    assert isinstance(error, RateLimited)
    assert error.retry_after == 540


# ---- media processing (real Mastodon 4.6.4, recorded) -------------------------------------------------------


async def test_media_that_answers_202_is_awaited_before_posting(http: httpx.AsyncClient) -> None:
    cassette_path = RECORDINGS / "test_media_post[True].yaml"
    if not cassette_path.exists():
        pytest.skip(f"the Mastodon recordings live in ../shared ({cassette_path}), which is absent here")
    # Method + path only: Mastodon.py sends a sensitive=0 the recording lacks, and a different upload body.
    replay = vcr.VCR(record_mode="none", match_on=["method", "path"])
    video = MediaItem(
        data=b"\x00\x00\x00\x18ftypmp42" + bytes(64), content_type="video/mp4", kind="video", alt_text="me when a cat"
    )
    with replay.use_cassette(str(cassette_path)) as cassette:
        adapter = MastodonAdapter(base_url="http://localhost:3000", credentials={"access_token": "recorded"}, http=http)
        try:
            ref = await adapter.publish(request("LOL check this out", "recorded-key", media=(video,)))
        finally:
            await adapter.aclose()
        played = [(cassette.requests[i].method, cassette.requests[i].path) for i in sorted(cassette.play_counts)]

    assert played == [
        ("POST", "/api/v2/media"),  # 202, url null
        ("GET", "/api/v1/media/117020575776246986"),  # 200, url set: only then the status
        ("POST", "/api/v1/statuses"),
    ]
    assert ref == PublishedRef(id="117020576440066974", url="http://localhost:3000/@mastodonpy_test/117020576440066974")
