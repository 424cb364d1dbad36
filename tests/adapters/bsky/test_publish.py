"""The Bluesky adapter against the real PDS: verifying accounts, and threads with reply refs, facets, images, video
and the limits the server enforces or we must."""

from __future__ import annotations

import pytest

from adapters.base import (
    MediaItem,
    PublishedRef,
    PublishRequest,
    ReauthRequired,
    Rejected,
    Transient,
)
from adapters.bluesky import BlueskyAdapter
from octopost.ids import new_tid
from tests.adapters.bsky.support import MP4_HEADER, POST, adapter_for, facet_texts, rkey_of, text_segment
from tests.media import make_png
from tests.peers.bluesky import BskyAccount, BskyPds
from tests.peers.ports import free_port

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
    adapter = BlueskyAdapter.build(
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
    mp4 = MP4_HEADER + b"\x00" * 6_000_000
    video = MediaItem(data=mp4, content_type="video/mp4", kind="video")
    adapter = adapter_for(bsky_pds, bsky_account.credentials, http)

    with pytest.raises(Rejected, match="too large"):
        await adapter.publish(PublishRequest(segment=text_segment("huge", 0, (video,)), idempotency_key=new_tid()))


async def test_video_is_embedded_as_a_blob(bsky_pds: BskyPds, bsky_account: BskyAccount, http) -> None:
    mp4 = MP4_HEADER + b"\x00\x00\x00\x08free"
    video = MediaItem(data=mp4, content_type="video/mp4", kind="video", alt_text="a clip", width=16, height=9)
    adapter = adapter_for(bsky_pds, bsky_account.credentials, http)

    ref = await adapter.publish(PublishRequest(segment=text_segment("clip", 0, (video,)), idempotency_key=new_tid()))

    record = bsky_pds.get_record(bsky_account.did, POST, rkey_of(ref))
    assert record is not None
    embed = record["value"]["embed"]
    assert embed["$type"] == "app.bsky.embed.video"
    assert (embed["alt"], embed["aspectRatio"]["width"], embed["aspectRatio"]["height"]) == ("a clip", 16, 9)
    assert (embed["video"]["mimeType"], embed["video"]["size"]) == ("video/mp4", len(mp4))
