"""An upload used in posts: published on Bluesky (the real PDS) and Mastodon (mastodon_mock) from storage, refused
when it is another workspace's or deleted, kept from deletion while a pending post uses it, purged when old and
unreferenced."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from octopost.db import utcnow
from octopost.runtime import Runtime
from octopost.settings import Settings
from octopost.uploads.service import purge_unreferenced
from tests.media import make_png
from tests.peers.app import OctopostProcess, _run_async
from tests.peers.bluesky import BskyPds
from tests.peers.mastodon import MastodonAccount, MastodonPeer
from tests.scheduler.flows import connect, wait_for_status
from tests.uploads.test_uploads import uploaded

NOT_OURS = "is no uploaded media of this workspace (deleted, or never uploaded)"


def draft(api: httpx.Client, **fields: Any) -> httpx.Response:
    return api.post("/v1/posts", json={"content": "with an upload", "platforms": ["mastodon"], **fields})


def test_an_upload_is_published_on_two_platforms_from_storage(
    api: httpx.Client, bsky_pds: BskyPds, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    account = bsky_pds.create_account("uploads")
    connect(api, "bluesky", bsky_pds.url, account.credentials)
    connect(api, "mastodon", mastodon_peer.url, mastodon_account.credentials)
    png = make_png(9, 5, rgb=(1, 200, 3))
    media = uploaded(api, png)
    created = api.post(
        "/v1/posts",
        json={
            "content": "An uploaded picture",
            "platforms": ["bluesky", "mastodon"],
            "media": {"images": [{"url": media["url"], "alt_text": "uploaded"}]},
        },
    )
    assert created.status_code == 201, created.text
    assert api.post(f"/v1/posts/{created.json()['id']}/publish").status_code == 200

    done = wait_for_status(api, created.json()["id"], "published", "failed", timeout=60)

    assert done["status"] == "published", done["platform_results"]
    assert all(r["success"] for r in done["platform_results"].values()), done["platform_results"]
    [record] = bsky_pds.list_records(account.did)
    [embedded] = record["value"]["embed"]["images"]
    ratio = embedded["aspectRatio"]
    assert (embedded["alt"], ratio["width"], ratio["height"]) == ("uploaded", 9, 5)
    blob = httpx.get(
        f"{bsky_pds.url}/xrpc/com.atproto.sync.getBlob",
        params={"did": account.did, "cid": embedded["image"]["ref"]["$link"]},
    )
    assert blob.content == png
    status = mastodon_peer.status(done["platform_results"]["mastodon"]["post_id"], mastodon_account.token)
    [attachment] = status["media_attachments"]
    assert attachment["description"] == "uploaded"


def test_a_post_refuses_another_workspaces_or_a_deleted_upload(api: httpx.Client, octopost: OctopostProcess) -> None:
    theirs = uploaded(octopost.client(workspace="uploads-theirs"), make_png())
    gone = uploaded(api, make_png())
    assert api.delete(f"/v1/media/{gone['id']}").status_code == 204
    video = uploaded(api, make_png())  # an image where a video is expected

    response = draft(
        api,
        media={"video": {"url": video["url"]}},
        segments=[{"content": "reply", "media_urls": [theirs["url"], gone["url"]]}],
    )

    assert response.status_code == 422, response.text
    errors = response.json()["details"]["errors"]
    assert errors == [
        f"media.video.url: {video['url']} is image/png, expected video/*",
        f"segments[0].media_urls[0]: {theirs['url']} {NOT_OURS}",
        f"segments[0].media_urls[1]: {gone['url']} {NOT_OURS}",
    ]


def test_an_upload_a_draft_uses_cannot_be_deleted(api: httpx.Client) -> None:
    media = uploaded(api, make_png())
    post = draft(api, media={"images": [{"url": media["url"]}]})
    assert post.status_code == 201, post.text

    refused = api.delete(f"/v1/media/{media['id']}")

    assert refused.status_code == 409
    assert refused.json()["details"]["post_ids"] == [post.json()["id"]]
    assert api.delete(f"/v1/posts/{post.json()['id']}").status_code == 204
    assert api.delete(f"/v1/media/{media['id']}").status_code == 204


def test_housekeeping_purges_old_unreferenced_uploads_and_keeps_referenced_ones(
    api: httpx.Client, octopost: OctopostProcess
) -> None:
    kept = uploaded(api, make_png())
    purged = uploaded(api, make_png())
    assert draft(api, segments=[{"content": "r", "media_urls": [kept["url"]]}]).status_code == 201

    async def purge_a_week_later() -> int:
        settings = Settings(
            database_url=octopost.database_url,
            data_dir=octopost.data_dir,
            secret_key=octopost.env["OCTOPOST_SECRET_KEY"],
        )
        runtime = Runtime.create(settings)
        try:
            return await purge_unreferenced(runtime, utcnow() + timedelta(days=7, minutes=1))
        finally:
            await runtime.aclose()

    assert _run_async(purge_a_week_later()) >= 1
    assert api.get(f"/v1/media/{purged['id']}").status_code == 404
    assert not (octopost.data_dir / "media" / purged["id"]).exists()
    assert api.get(f"/v1/media/{kept['id']}").status_code == 200
    assert (octopost.data_dir / "media" / kept["id"]).exists()
