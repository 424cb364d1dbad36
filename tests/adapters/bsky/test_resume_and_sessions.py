"""The Bluesky adapter against the real PDS: record keys chosen before the call (idempotency, crash resume, lost
answers), rate limits, and sessions (saved, refused, refreshed, rotated)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from atproto_client.client.session import Session

from adapters.base import (
    FindsDelivery,
    OutcomeUnknown,
    PersistsSession,
    PublishRequest,
    RateLimited,
    ReauthRequired,
    RefreshesSession,
)
from adapters.bluesky import BlueskyAdapter
from octopost.ids import new_tid
from tests.adapters.bsky.support import POST, adapter_for, rkey_of, text_segment, unsigned_jwt
from tests.peers.bluesky import BskyAccount, BskyPds, running_pds
from tests.peers.ports import wait_until
from tests.peers.proxy import holding_proxy

# ---- idempotency and crash resume -----------------------------------------------------------------------


async def test_find_published_looks_the_record_up_by_its_key(
    bsky_pds: BskyPds, bsky_account: BskyAccount, http
) -> None:
    adapter = adapter_for(bsky_pds, bsky_account.credentials, http)
    assert isinstance(adapter, FindsDelivery)
    request = PublishRequest(segment=text_segment("resume me"), idempotency_key=new_tid())

    assert await adapter.find_published(request) is None
    published = await adapter.publish(request)
    # A fresh adapter, as after a worker crash: same key, same answer.
    found = await adapter_for(bsky_pds, bsky_account.credentials, http).find_published(request)

    assert found == published
    unused = PublishRequest(segment=text_segment("never sent"), idempotency_key=new_tid())
    assert await adapter.find_published(unused) is None


async def test_publishing_the_same_key_twice_creates_one_record(
    bsky_pds: BskyPds, bsky_account: BskyAccount, http
) -> None:
    adapter = adapter_for(bsky_pds, bsky_account.credentials, http)
    request = PublishRequest(segment=text_segment("only once"), idempotency_key=new_tid())

    first = await adapter.publish(request)
    # The PDS answers a taken record key with 500 InternalServerError; classified as Transient that would be
    # retried forever. The adapter looks the key up instead: the record is there, so that is the delivery.
    again = await adapter.publish(request)

    assert again == first
    assert [r["uri"] for r in bsky_pds.list_records(bsky_account.did)] == [first.uri]


@pytest.mark.parametrize("landed", [True, False], ids=["answer-lost", "request-dropped"])
async def test_no_answer_after_sending_is_outcome_unknown_and_find_published_settles_it(
    bsky_pds: BskyPds, bsky_account: BskyAccount, landed: bool
) -> None:
    """A proxy at base_url holds createRecord: the post may or may not land, so never a plain failure."""
    paths: list[str] = []

    def hold(method: str, path: str, count: int) -> bool:
        paths.append(path)
        return path == "/xrpc/com.atproto.repo.createRecord"

    request = PublishRequest(segment=text_segment("lost answer"), idempotency_key=new_tid())
    with holding_proxy(bsky_pds.url, hold) as proxy:
        async with httpx.AsyncClient(timeout=httpx.Timeout(10, read=2 if landed else 30)) as http:
            adapter = BlueskyAdapter.build(base_url=proxy.url, credentials=bsky_account.credentials, http=http)
            publishing = asyncio.ensure_future(adapter.publish(request))
            if not landed:
                assert await asyncio.to_thread(proxy.held.wait, 15)
                proxy.release(forward=False)  # the connection closes without an answer

            with pytest.raises(OutcomeUnknown, match="ReadTimeout" if landed else "RemoteProtocolError"):
                await publishing
            if landed:
                proxy.release(forward=True)  # it reaches the PDS after the client gave up
                landing = lambda: bsky_pds.get_record(bsky_account.did, POST, request.idempotency_key) is not None  # noqa: E731
                await asyncio.to_thread(wait_until, landing, timeout=15, what="the held post landing")

            found = await adapter.find_published(request)

    if landed:
        assert found is not None
        assert found.uri == f"at://{bsky_account.did}/{POST}/{request.idempotency_key}"
    else:
        assert found is None
        assert bsky_pds.list_records(bsky_account.did) == []
    # Every call went to the configured base URL, although the DID document names the PDS itself.
    assert paths == [
        "/xrpc/com.atproto.server.createSession",
        "/xrpc/com.atproto.repo.createRecord",
        "/xrpc/com.atproto.repo.getRecord",
    ]


async def test_rate_limit_answers_become_rate_limited_with_retry_after(tmp_path: Path, http: httpx.AsyncClient) -> None:
    """The PDS with its real rate limits on: createSession allows 30 attempts per identifier per 5 minutes."""
    with running_pds(tmp_path, {"PDS_RATE_LIMITS_ENABLED": "true"}) as pds:
        credentials = {"identifier": "hammered.test", "password": "wrong"}
        # Concurrently: the PDS slows each failed login down (~0.4 s), not the throughput.
        answers = await asyncio.gather(
            *(http.post(f"{pds.url}/xrpc/com.atproto.server.createSession", json=credentials) for _ in range(30))
        )
        assert {answer.status_code for answer in answers} == {401}
        adapter = BlueskyAdapter.build(base_url=pds.url, credentials=credentials, http=http)

        with pytest.raises(RateLimited) as caught:
            await adapter.verify()

    assert caught.value.retry_after is not None
    assert 0 < caught.value.retry_after <= 300  # from ratelimit-reset: the 5-minute window


# ---- sessions -------------------------------------------------------------------------------------------


async def test_a_saved_session_publishes_without_a_password_login(
    bsky_pds: BskyPds, bsky_account: BskyAccount, http
) -> None:
    first = adapter_for(bsky_pds, bsky_account.credentials, http)
    assert isinstance(first, PersistsSession)
    assert first.updated_credentials() is None  # nothing happened yet
    await first.verify()
    saved = first.updated_credentials()
    assert saved is not None
    assert saved["identifier"] == bsky_account.handle
    assert saved["session"].split(":::")[1] == bsky_account.did

    # A wrong password proves no login happens: the stored session alone carries the request.
    resumed = adapter_for(bsky_pds, {**saved, "password": "wrong"}, http)
    ref = await resumed.publish(PublishRequest(segment=text_segment("from a saved session"), idempotency_key=new_tid()))

    assert ref.uri is not None
    assert ref.uri.startswith(f"at://{bsky_account.did}/")
    assert resumed.updated_credentials() is None  # the session did not change: nothing new to persist


async def test_a_refused_session_falls_back_to_the_password(bsky_pds: BskyPds, bsky_account: BskyAccount, http) -> None:
    forged = Session(
        handle=bsky_account.handle,
        did=bsky_account.did,
        access_jwt=unsigned_jwt(bsky_account.did, "com.atproto.access"),
        refresh_jwt=unsigned_jwt(bsky_account.did, "com.atproto.refresh"),
        pds_endpoint=bsky_pds.url,
    ).encode()
    adapter = adapter_for(bsky_pds, {**bsky_account.credentials, "session": forged}, http)

    ref = await adapter.publish(PublishRequest(segment=text_segment("after a fallback"), idempotency_key=new_tid()))

    assert bsky_pds.get_record(bsky_account.did, POST, rkey_of(ref)) is not None
    renewed = adapter.updated_credentials()
    assert renewed is not None
    assert renewed["session"] != forged

    with_bad_password = adapter_for(bsky_pds, {**bsky_account.credentials, "session": forged, "password": "no"}, http)
    with pytest.raises(ReauthRequired):
        await with_bad_password.verify()


async def test_an_expired_access_token_is_refreshed_without_the_password(
    bsky_pds: BskyPds, bsky_account: BskyAccount, http
) -> None:
    adapter = adapter_for(bsky_pds, bsky_account.credentials, http)
    await adapter.verify()
    saved = adapter.updated_credentials()
    assert saved is not None
    session = Session.decode(saved["session"])
    session.access_jwt = unsigned_jwt(bsky_account.did, "com.atproto.access", expires_in=-60)
    stale = {**saved, "session": session.encode(), "password": "wrong"}

    resumed = adapter_for(bsky_pds, stale, http)
    await resumed.publish(PublishRequest(segment=text_segment("after a refresh"), idempotency_key=new_tid()))

    renewed = resumed.updated_credentials()
    assert renewed is not None
    assert Session.decode(renewed["session"]).refresh_jwt != session.refresh_jwt  # the refresh token rotated


async def test_refresh_rotates_the_tokens(bsky_pds: BskyPds, bsky_account: BskyAccount, http) -> None:
    adapter = adapter_for(bsky_pds, bsky_account.credentials, http)
    assert isinstance(adapter, RefreshesSession)
    await adapter.verify()
    before = adapter.updated_credentials()
    assert before is not None

    resumed = adapter_for(bsky_pds, {**before, "password": "wrong"}, http)  # refresh must not need the password
    after = await resumed.refresh()

    assert after is not None
    old, new = Session.decode(before["session"]), Session.decode(after["session"])
    assert (new.did, new.handle) == (old.did, old.handle)
    assert new.refresh_jwt != old.refresh_jwt  # rotated (the access token may match within the same second)
    ref = await resumed.publish(PublishRequest(segment=text_segment("refreshed"), idempotency_key=new_tid()))
    assert bsky_pds.get_record(bsky_account.did, POST, rkey_of(ref)) is not None
