"""Deleting what the X adapter posted (DeletesPost): against the X fake, a thread's reply and main post gone, a
repeat a success, another account's post refused, a rate limit with its wait, the token never in a message; against
Prism serving X's spec, the call is valid (both auths); and X's real answer to a delete (tweepy's cassette) read."""

from __future__ import annotations

import httpx
import pytest
import vcr

from adapters.base import DeletesPost, PublishedRef, RateLimited, Rejected
from adapters.twitter import TwitterAdapter
from tests.adapters.x.support import AUTHS, BEARER, OAUTH1, OAUTH2, MakeAdapter, request
from tests.adapters.x.test_failures import DecompressedCassettes, cassette
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake, calm
from tests.peers.prism import PrismPeer


def status_of(x_fake: RunningFake, ref: PublishedRef) -> tuple[int, bool]:
    """The lookup's status and whether it found the post (X answers an unknown one 200 with only errors)."""
    response = httpx.get(f"{x_fake.url}/2/tweets/{ref.id}", headers=BEARER, timeout=10)
    return response.status_code, "data" in response.json()


async def test_a_thread_is_deleted_and_a_repeat_is_a_success(
    make_fake_adapter: MakeAdapter, x_fake: RunningFake
) -> None:
    adapter = make_fake_adapter()
    assert isinstance(adapter, DeletesPost)
    main = await adapter.publish(request("main post"))
    reply = await adapter.publish(request("its reply", parent=main))
    assert status_of(x_fake, reply) == status_of(x_fake, main) == (200, True)

    await adapter.delete(reply)
    await adapter.delete(main)

    assert status_of(x_fake, reply) == status_of(x_fake, main) == (200, False)
    await adapter.delete(reply)  # already gone (404): an unpublish resumed after a crash repeats its last delete
    await adapter.delete(main)


async def test_another_accounts_post_is_refused(make_fake_adapter: MakeAdapter, x_fake: RunningFake) -> None:
    theirs = await make_fake_adapter({"access_token": "someone-else"}).publish(request("not yours"))

    with pytest.raises(Rejected, match="not allowed to delete") as refused:
        await make_fake_adapter().delete(theirs)

    assert status_of(x_fake, theirs) == (200, True)
    assert OAUTH2["access_token"] not in refused.value.message


async def test_a_rate_limited_delete_says_when_to_try_again(
    make_fake_adapter: MakeAdapter, x_fake: RunningFake
) -> None:
    adapter = make_fake_adapter()
    posted = await adapter.publish(request("soon gone"))
    with calm(x_fake):
        x_fake.set_conditions(Conditions(fault_rate=1.0, faults=["429"], retry_after_seconds=7))
        with pytest.raises(RateLimited) as limited:
            await adapter.delete(posted)

    assert limited.value.retry_after == 7
    assert OAUTH2["access_token"] not in limited.value.message
    assert status_of(x_fake, posted) == (200, True)


@AUTHS
async def test_the_delete_call_passes_xs_spec(
    make_adapter: MakeAdapter, prism_x: PrismPeer, credentials: dict[str, str]
) -> None:
    since = prism_x.log_offset()
    ref = PublishedRef(id="1456012973835788293", url="https://x.com/i/status/1456012973835788293")

    refused: Rejected | None = None
    try:
        await make_adapter(credentials).delete(ref)
    except Rejected as exc:  # Prism's answer is random but schema-shaped: "deleted" may come back false
        refused = exc
    assert refused is None or "was not deleted" in refused.message

    assert prism_x.request_violations(since) == []


async def test_xs_real_answer_to_a_delete_is_read(http: httpx.AsyncClient) -> None:
    replay = vcr.VCR(record_mode="none", match_on=["method", "scheme", "host", "path"])
    replay.register_persister(DecompressedCassettes)
    adapter = TwitterAdapter.build(base_url="https://api.twitter.com", credentials=OAUTH1, http=http)
    try:
        with replay.use_cassette(cassette("test_client_create_and_delete_tweet.yaml")) as played:
            await adapter.delete(PublishedRef(id="1456012973835788293", url="https://x.com/i/status/1"))
            assert played.play_count == 1
    finally:
        await adapter.aclose()
