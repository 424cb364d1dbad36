"""Presets, per-platform versions, uploads, retry and unpublish on SQLite and on PostgreSQL, through a real
`octopost serve`: a preset's primary platform going first (the others waiting without a time, released in the
commit that ends it), an override with an uploaded image stored in its JSON column, a failed platform retried to
success, and everything taken down again by the scheduler's unpublish."""

from __future__ import annotations

from pathlib import Path

from tests.media import make_png
from tests.peers.app import make_octopost
from tests.peers.bluesky import BskyAccount, BskyPds
from tests.peers.mastodon import MastodonAccount, MastodonPeer
from tests.scheduler.flows import connect, wait_for, wait_for_status
from tests.uploads.test_uploads import uploaded


def test_a_preset_an_override_and_a_retry_on_each_dialect(
    tmp_path: Path,
    database_url: str,
    mastodon_peer: MastodonPeer,
    mastodon_account: MastodonAccount,
    bsky_pds: BskyPds,
    bsky_account: BskyAccount,
) -> None:
    service = make_octopost(tmp_path, database_url=database_url).start()
    try:
        api = service.client()
        connect(api, "mastodon", mastodon_peer.url, mastodon_account.credentials)
        connect(api, "bluesky", bsky_pds.url, bsky_account.credentials)
        preset = api.post(
            "/v1/presets",
            json={
                "name": "Both",
                "platforms": ["mastodon", "bluesky"],
                "primary_platform": "mastodon",
                "cross_link_enabled": True,
                "is_default": True,
            },
        ).json()
        image = uploaded(api, make_png(6, 4))
        short = {"content": "Kurz ✓", "media": {"images": [{"url": image["url"], "alt_text": "ein Bild"}]}}
        post = api.post("/v1/posts", json={"content": "Über alles ✓", "overrides": {"bluesky": short}}).json()
        assert post["preset_id"] == preset["id"]
        assert post["overrides"]["bluesky"]["content"] == "Kurz ✓"
        mastodon_peer.inject_fault({"type": "status", "status": 422}, methods=["POST"], path="/api/v1/statuses")
        assert api.post(f"/v1/posts/{post['id']}/publish").status_code == 200

        failed_once = wait_for_status(api, post["id"], "published", "failed", timeout=60)
        # The primary failed: Bluesky went out anyway, in its own version, without the link.
        assert failed_once["platform_results"]["mastodon"]["success"] is False, failed_once
        texts = [r["value"]["text"] for r in bsky_pds.list_records(bsky_account.did)]
        assert texts == ["Kurz ✓"]

        assert api.post(f"/v1/posts/{post['id']}/retry").status_code == 200
        done = wait_for_status(api, post["id"], "published", "failed", timeout=60)
        assert done["platform_results"]["mastodon"]["success"] is True, done
        assert [t["content"] for t in mastodon_peer.statuses(mastodon_account.token)] == ["<p>Über alles ✓</p>"]
        (record,) = bsky_pds.list_records(bsky_account.did)
        assert record["value"]["embed"]["images"][0]["alt"] == "ein Bild"  # the upload, read from storage

        assert api.post(f"/v1/posts/{post['id']}/unpublish").status_code == 200
        wait_for(
            lambda: all(
                r.get("unpublish_status") == "done"
                for r in api.get(f"/v1/posts/{post['id']}").json()["platform_results"].values()
            ),
            timeout=60,
            what="both platforms unpublished",
        )
        assert mastodon_peer.statuses(mastodon_account.token) == []
        assert bsky_pds.list_records(bsky_account.did) == []
    finally:
        service.stop()
