"""The Bluesky adapter against the real PDS (tests/peers/bluesky.py), the atproto SDK running for real; and the
pure facet extraction without a server."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from atproto_client.client.session import Session
from atproto_client.exceptions import RequestErrorBase
from atproto_client.request import _handle_response

from adapters.base import (
    AdapterError,
    AuthExpired,
    FindsDelivery,
    MediaItem,
    OutcomeUnknown,
    PersistsSession,
    PublishedRef,
    PublishRequest,
    RateLimited,
    ReauthRequired,
    RefreshesSession,
    Rejected,
    Segment,
    Transient,
)
from adapters.bluesky import BlueskyAdapter
from adapters.bluesky.errors import classify
from adapters.bluesky.facets import build_facets, mention_handles
from octopost.ids import new_tid
from tests.media import make_png
from tests.peers.bluesky import BskyAccount, BskyPds, running_pds
from tests.peers.ports import free_port, wait_until
from tests.peers.proxy import holding_proxy

POST = "app.bsky.feed.post"
_MP4_HEADER = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"  # an ISO-BMFF ftyp box: sniffed as video/mp4


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=15) as client:
        yield client


def adapter_for(pds: BskyPds, credentials: dict[str, str], http: httpx.AsyncClient) -> BlueskyAdapter:
    return BlueskyAdapter(base_url=pds.url, credentials=credentials, http=http)


def rkey_of(ref: PublishedRef) -> str:
    assert ref.uri is not None
    return ref.uri.rsplit("/", 1)[-1]


def text_segment(text: str, index: int = 0, media: tuple[MediaItem, ...] = ()) -> Segment:
    return Segment(index=index, text=text, media=media)


def facet_texts(text: str, facets: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """Each facet's covered text, cut from the UTF-8 bytes as any Bluesky client does, with its feature."""
    raw = text.encode("utf-8")
    return [(raw[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode("utf-8"), f["features"][0]) for f in facets]


# ---- facets, pure ---------------------------------------------------------------------------------------


def sdk_facets_as_json(text: str, dids: dict[str, str | None]) -> list[dict[str, Any]]:
    return [facet.model_dump(by_alias=True, exclude_none=True) for facet in build_facets(text, dids)]


def test_facet_byte_ranges_follow_utf8_not_characters() -> None:
    text = "Café ☕ 🇫🇷 — lire https://example.com/a?b=1. Salut @Bob.test, #octopost! et #日本語"
    facets = sdk_facets_as_json(text, {"bob.test": "did:plc:bob"})

    assert facet_texts(text, facets) == [
        ("https://example.com/a?b=1", {"$type": "app.bsky.richtext.facet#link", "uri": "https://example.com/a?b=1"}),
        ("@Bob.test", {"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:bob"}),
        ("#octopost", {"$type": "app.bsky.richtext.facet#tag", "tag": "octopost"}),
        ("#日本語", {"$type": "app.bsky.richtext.facet#tag", "tag": "日本語"}),
    ]
    # The non-ASCII prefix makes byte and character offsets differ: a char-offset bug cannot pass the slices above.
    assert facets[0]["index"]["byteStart"] != text.index("https://")


def test_unresolved_mentions_get_no_facet_and_handles_are_deduplicated() -> None:
    text = "@ghost.test and @Known.test and @known.test again, mail me at someone@example.com"
    assert mention_handles(text) == ["ghost.test", "known.test"]

    facets = sdk_facets_as_json(text, {"ghost.test": None, "known.test": "did:plc:known"})

    assert [covered for covered, _ in facet_texts(text, facets)] == ["@Known.test", "@known.test"]


def test_bare_domains_become_https_links_and_plain_text_has_no_facets() -> None:
    assert sdk_facets_as_json("nothing to see here, 100% plain", {}) == []
    facets = sdk_facets_as_json("✨ docs at atproto.com/specs", {})
    assert facet_texts("✨ docs at atproto.com/specs", facets) == [
        ("atproto.com/specs", {"$type": "app.bsky.richtext.facet#link", "uri": "https://atproto.com/specs"})
    ]


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (400, {"error": "ExpiredToken", "message": "Token has expired"}, AuthExpired),
        (401, {"error": "AuthenticationRequired", "message": "Authentication Required"}, AuthExpired),
        (400, {"error": "InvalidToken", "message": "Token could not be verified"}, ReauthRequired),
        (400, {"error": "AccountTakedown", "message": "Account has been taken down"}, ReauthRequired),
        (400, {"error": "InvalidRequest", "message": "Invalid app.bsky.feed.post record"}, Rejected),
        (413, {"error": "PayloadTooLarge", "message": "request entity too large"}, Rejected),
        (500, {"error": "InternalServerError", "message": "Internal Server Error"}, Transient),
        (502, {"error": "UpstreamFailure", "message": "Upstream Failure"}, Transient),
    ],
)
def test_error_answers_map_to_the_taxonomy(status: int, body: dict[str, str], expected: type[AdapterError]) -> None:
    """Answers the PDS gives (ExpiredToken, 5xx: hard to provoke on a healthy peer), raised as the SDK raises them."""
    answer = httpx.Response(status, json=body, request=httpx.Request("POST", "http://pds.invalid/xrpc/x"))
    with pytest.raises(RequestErrorBase) as raised:
        _handle_response(answer)  # the SDK's own response → exception step (private in atproto 0.0.73, pinned)

    error = classify(raised.value)

    assert type(error) is expected
    assert body["message"] in error.message


# ---- verify ---------------------------------------------------------------------------------------------


async def test_verify_returns_did_and_handle(bsky_pds: BskyPds, bsky_account: BskyAccount, http) -> None:
    profile = await adapter_for(bsky_pds, bsky_account.credentials, http).verify()

    assert (profile.platform_user_id, profile.username) == (bsky_account.did, bsky_account.handle)
    assert profile.display_name is None  # no app.bsky.actor.profile record yet
    assert profile.avatar_url is None


async def test_verify_reads_the_profile_record(bsky_pds: BskyPds, bsky_account: BskyAccount, http) -> None:
    avatar = make_png(8, 8, (10, 200, 10))
    login = (
        await http.post(f"{bsky_pds.url}/xrpc/com.atproto.server.createSession", json=bsky_account.credentials)
    ).json()
    auth = {"Authorization": f"Bearer {login['accessJwt']}"}
    blob = (
        await http.post(
            f"{bsky_pds.url}/xrpc/com.atproto.repo.uploadBlob",
            content=avatar,
            headers={**auth, "Content-Type": "image/png"},
        )
    ).json()["blob"]
    record = {"$type": "app.bsky.actor.profile", "displayName": "Octo Tester ✨", "avatar": blob}
    put = await http.post(
        f"{bsky_pds.url}/xrpc/com.atproto.repo.putRecord",
        json={"repo": bsky_account.did, "collection": "app.bsky.actor.profile", "rkey": "self", "record": record},
        headers=auth,
    )
    assert put.status_code == 200, put.text

    profile = await adapter_for(bsky_pds, bsky_account.credentials, http).verify()

    assert profile.display_name == "Octo Tester ✨"
    assert profile.avatar_url is not None
    assert (await http.get(profile.avatar_url)).content == avatar


async def test_bad_password_is_reauth_required(bsky_pds: BskyPds, bsky_account: BskyAccount, http) -> None:
    adapter = adapter_for(bsky_pds, {"identifier": bsky_account.handle, "password": "not-the-password"}, http)

    with pytest.raises(ReauthRequired, match=r"refused the login for .*Invalid identifier or password"):
        await adapter.verify()


async def test_unreachable_server_is_transient(http) -> None:
    adapter = BlueskyAdapter(
        base_url=f"http://127.0.0.1:{free_port()}", credentials={"identifier": "a.test", "password": "x"}, http=http
    )

    with pytest.raises(Transient, match="unreachable"):
        await adapter.verify()


# ---- publishing -----------------------------------------------------------------------------------------


async def test_thread_of_three_lands_with_reply_refs_facets_and_image(
    bsky_pds: BskyPds, bsky_account: BskyAccount, http
) -> None:
    bob = bsky_pds.create_account("bob")
    adapter = adapter_for(bsky_pds, bsky_account.credentials, http)
    png = make_png(40, 30)
    image = MediaItem(
        data=png, content_type="image/png", kind="image", alt_text="A pink rectangle", width=40, height=30
    )
    main_text = (
        f"Café ☕ — Octopost ships: https://example.com/octopost?x=1 thanks @{bob.handle} "
        "and @nobody-here.test #octopost"
    )
    keys = [new_tid() for _ in range(3)]

    main = await adapter.publish(PublishRequest(segment=text_segment(main_text, 0, (image,)), idempotency_key=keys[0]))
    # root omitted: a reply to the main post has it as root too
    second = await adapter.publish(
        PublishRequest(segment=text_segment("2/ the second part", 1), idempotency_key=keys[1], parent=main)
    )
    third = await adapter.publish(
        PublishRequest(segment=text_segment("3/ fin 🎉", 2), idempotency_key=keys[2], root=main, parent=second)
    )

    did, handle = bsky_account.did, bsky_account.handle
    for ref, key in zip((main, second, third), keys, strict=True):
        assert ref.uri == ref.id == f"at://{did}/{POST}/{key}"  # the record key is the idempotency key
        assert ref.url == f"https://bsky.app/profile/{handle}/post/{key}"
    records = {r["uri"]: r for r in bsky_pds.list_records(did)}
    assert set(records) == {main.uri, second.uri, third.uri}
    assert [records[r.uri]["cid"] for r in (main, second, third)] == [main.cid, second.cid, third.cid]

    first = records[main.uri]["value"]
    assert first["text"] == main_text
    assert "reply" not in first
    assert first["createdAt"].endswith("Z")
    assert facet_texts(main_text, first["facets"]) == [
        (
            "https://example.com/octopost?x=1",
            {"$type": "app.bsky.richtext.facet#link", "uri": "https://example.com/octopost?x=1"},
        ),
        (f"@{bob.handle}", {"$type": "app.bsky.richtext.facet#mention", "did": bob.did}),
        ("#octopost", {"$type": "app.bsky.richtext.facet#tag", "tag": "octopost"}),
    ]
    embed = first["embed"]
    assert embed["$type"] == "app.bsky.embed.images"
    [embedded] = embed["images"]
    assert embedded["alt"] == "A pink rectangle"
    assert (embedded["aspectRatio"]["width"], embedded["aspectRatio"]["height"]) == (40, 30)
    blob = embedded["image"]
    assert (blob["$type"], blob["mimeType"], blob["size"]) == ("blob", "image/png", len(png))
    stored = await http.get(
        f"{bsky_pds.url}/xrpc/com.atproto.sync.getBlob", params={"did": did, "cid": blob["ref"]["$link"]}
    )
    assert stored.content == png

    def reply_of(ref: PublishedRef) -> dict[str, tuple[str, str]]:
        reply = records[ref.uri]["value"]["reply"]
        return {side: (reply[side]["uri"], reply[side]["cid"]) for side in ("root", "parent")}

    assert reply_of(second) == {"root": (main.uri, main.cid), "parent": (main.uri, main.cid)}
    assert reply_of(third) == {"root": (main.uri, main.cid), "parent": (second.uri, second.cid)}
    assert "embed" not in records[second.uri]["value"]
    assert "facets" not in records[second.uri]["value"]


async def test_image_over_one_megabyte_is_rejected_before_upload(
    bsky_pds: BskyPds, bsky_account: BskyAccount, http
) -> None:
    big = make_png(64, 64) + b"\0" * 1_000_000  # a valid PNG with trailing bytes: over the cap, the PDS would take it
    image = MediaItem(data=big, content_type="image/png", kind="image", alt_text="too big")
    adapter = adapter_for(bsky_pds, bsky_account.credentials, http)

    with pytest.raises(Rejected, match=r"image 1 is 1,000,\d+ bytes; the limit is 1,000,000"):
        await adapter.publish(PublishRequest(segment=text_segment("big", 0, (image,)), idempotency_key=new_tid()))
    assert bsky_pds.list_records(bsky_account.did) == []


async def test_text_over_300_graphemes_is_the_servers_rejection(
    bsky_pds: BskyPds, bsky_account: BskyAccount, http
) -> None:
    adapter = adapter_for(bsky_pds, bsky_account.credentials, http)
    # 300 flags are 600 code points and 2,400 bytes but 300 graphemes: the server counts graphemes and takes it.
    await adapter.publish(PublishRequest(segment=text_segment("🇫🇷" * 300), idempotency_key=new_tid()))

    with pytest.raises(Rejected, match=r"grapheme too big \(maximum 300, got 301\)"):
        await adapter.publish(PublishRequest(segment=text_segment("é" * 301), idempotency_key=new_tid()))
    assert len(bsky_pds.list_records(bsky_account.did)) == 1


async def test_text_over_3000_characters_is_rejected_before_sending(
    bsky_pds: BskyPds, bsky_account: BskyAccount, http
) -> None:
    adapter = adapter_for(bsky_pds, bsky_account.credentials, http)

    with pytest.raises(Rejected, match=r"schema: text: .*3000"):
        await adapter.publish(PublishRequest(segment=text_segment("x" * 3001), idempotency_key=new_tid()))
    assert bsky_pds.list_records(bsky_account.did) == []


async def test_upload_over_the_pds_limit_is_rejected(bsky_pds: BskyPds, bsky_account: BskyAccount, http) -> None:
    """Within our 100 MB video cap but over this PDS's 5 MB upload limit: the server's 413 is permanent."""
    mp4 = _MP4_HEADER + b"\x00" * 6_000_000
    video = MediaItem(data=mp4, content_type="video/mp4", kind="video")
    adapter = adapter_for(bsky_pds, bsky_account.credentials, http)

    with pytest.raises(Rejected, match="too large"):
        await adapter.publish(PublishRequest(segment=text_segment("huge", 0, (video,)), idempotency_key=new_tid()))


async def test_video_is_embedded_as_a_blob(bsky_pds: BskyPds, bsky_account: BskyAccount, http) -> None:
    mp4 = _MP4_HEADER + b"\x00\x00\x00\x08free"
    video = MediaItem(data=mp4, content_type="video/mp4", kind="video", alt_text="a clip", width=16, height=9)
    adapter = adapter_for(bsky_pds, bsky_account.credentials, http)

    ref = await adapter.publish(PublishRequest(segment=text_segment("clip", 0, (video,)), idempotency_key=new_tid()))

    record = bsky_pds.get_record(bsky_account.did, POST, rkey_of(ref))
    assert record is not None
    embed = record["value"]["embed"]
    assert embed["$type"] == "app.bsky.embed.video"
    assert (embed["alt"], embed["aspectRatio"]["width"], embed["aspectRatio"]["height"]) == ("a clip", 16, 9)
    assert (embed["video"]["mimeType"], embed["video"]["size"]) == ("video/mp4", len(mp4))


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
            adapter = BlueskyAdapter(base_url=proxy.url, credentials=bsky_account.credentials, http=http)
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
        adapter = BlueskyAdapter(base_url=pds.url, credentials=credentials, http=http)

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
        access_jwt=_unsigned_jwt(bsky_account.did, "com.atproto.access"),
        refresh_jwt=_unsigned_jwt(bsky_account.did, "com.atproto.refresh"),
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
    session.access_jwt = _unsigned_jwt(bsky_account.did, "com.atproto.access", expires_in=-60)
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


# ---- helpers --------------------------------------------------------------------------------------------


def _unsigned_jwt(did: str, scope: str, expires_in: int = 3600) -> str:
    """Well-formed and wrongly signed: what a PDS refuses with 400 InvalidToken (e.g. after its secret rotated)."""

    def part(obj: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    now = int(time.time())
    claims = {"scope": scope, "sub": did, "aud": "did:web:localhost", "iat": now, "exp": now + expires_in}
    return f"{part({'typ': 'at+jwt', 'alg': 'HS256'})}.{part(claims)}.{part({'sig': 'forged'})}"
