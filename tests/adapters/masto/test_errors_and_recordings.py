"""The Mastodon adapter's failures classified (mastodon_mock's fault injection, 401, 422, rate limits), and real
Mastodon 4.6.4 answers replayed (media that is still processing)."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
import vcr
from mastodon.errors import MastodonRatelimitError

from adapters.base import (
    MediaItem,
    Pending,
    PublishedRef,
    RateLimited,
    ReauthRequired,
    Rejected,
    Transient,
)
from adapters.mastodon import MastodonAdapter
from adapters.mastodon.errors import translate_error
from tests.adapters.masto.support import RECORDINGS, MakeAdapter, request
from tests.media import png
from tests.peers.mastodon import MastodonAccount, MastodonPeer
from tests.peers.ports import wait_until
from tests.peers.proxy import holding_proxy

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
        adapter = MastodonAdapter.build(
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


async def test_media_that_answers_202_is_waited_for_before_posting(http: httpx.AsyncClient) -> None:
    """The upload answers 202: the adapter answers Pending (the engine comes back later, no worker sleeps), and the
    call made with that handle finds the media processed and posts the status."""
    cassette_path = RECORDINGS / "test_media_post[True].yaml"
    if not cassette_path.exists():
        pytest.skip(f"the Mastodon recordings live in ../shared ({cassette_path}), which is absent here")
    # Method + path only: Mastodon.py sends a sensitive=0 the recording lacks, and a different upload body.
    replay = vcr.VCR(record_mode="none", match_on=["method", "path"])
    video = MediaItem(
        data=b"\x00\x00\x00\x18ftypmp42" + bytes(64), content_type="video/mp4", kind="video", alt_text="me when a cat"
    )
    with replay.use_cassette(str(cassette_path)) as cassette:
        adapter = MastodonAdapter.build(
            base_url="http://localhost:3000", credentials={"access_token": "recorded"}, http=http
        )
        asked = request("LOL check this out", "recorded-key", media=(video,))
        try:
            pending = await adapter.publish(asked)
            assert isinstance(pending, Pending)
            assert json.loads(pending.handle)["waiting"] == ["117020575776246986"]
            ref = await adapter.publish(replace(asked, pending=pending.handle))
        finally:
            await adapter.aclose()
        played = [(cassette.requests[i].method, cassette.requests[i].path) for i in sorted(cassette.play_counts)]

    assert played == [
        ("POST", "/api/v2/media"),  # 202, url null
        ("GET", "/api/v1/media/117020575776246986"),  # 200, url set: only then the status
        ("POST", "/api/v1/statuses"),
    ]
    assert ref == PublishedRef(id="117020576440066974", url="http://localhost:3000/@mastodonpy_test/117020576440066974")
