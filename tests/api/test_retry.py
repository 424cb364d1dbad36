"""POST /v1/posts/{id}/retry through `octopost serve`: a platform that failed is published again while the one that
succeeded is left as it was (mastodon_mock refusing once, the real Bluesky PDS); what cannot be retried is a 409
saying why; an `unconfirmed` platform only with include_unconfirmed."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import update
from sqlmodel import col

from octopost.db import Database
from octopost.posts.tables import Target
from tests.api.test_posts import assert_error
from tests.peers.app import OctopostProcess
from tests.peers.bluesky import BskyAccount, BskyPds
from tests.peers.mastodon import MastodonAccount, MastodonPeer
from tests.peers.postgres import run_async
from tests.scheduler.flows import connect, wait_for_status

REFUSED_ONCE = {"type": "status", "status": 422, "body": {"error": "Validation failed: try again later"}}


@pytest.fixture
def both(
    api: httpx.Client,
    mastodon_peer: MastodonPeer,
    mastodon_account: MastodonAccount,
    bsky_pds: BskyPds,
    bsky_account: BskyAccount,
) -> httpx.Client:
    connect(api, "mastodon", mastodon_peer.url, mastodon_account.credentials)
    connect(api, "bluesky", bsky_pds.url, bsky_account.credentials)
    return api


def publish_with_mastodon_refusing(api: httpx.Client, mastodon_peer: MastodonPeer, **fields: Any) -> dict[str, Any]:
    body = {"content": "Retry me", "platforms": ["mastodon", "bluesky"], **fields}
    post = api.post("/v1/posts", json=body).json()
    mastodon_peer.inject_fault(REFUSED_ONCE, methods=["POST"], path="/api/v1/statuses")
    assert api.post(f"/v1/posts/{post['id']}/publish").status_code == 200
    done = wait_for_status(api, post["id"], "published", "failed", timeout=60)
    assert done["platform_results"]["mastodon"]["success"] is False, done
    assert done["platform_results"]["bluesky"]["success"] is True, done
    return done


def test_a_failed_platform_is_retried_to_success_and_the_others_are_untouched(
    both: httpx.Client,
    mastodon_peer: MastodonPeer,
    mastodon_account: MastodonAccount,
    bsky_pds: BskyPds,
    bsky_account: BskyAccount,
) -> None:
    first = publish_with_mastodon_refusing(both, mastodon_peer, segments=[{"content": "and its reply"}])
    assert first["status"] == "published"  # one platform succeeded

    answer = both.post(f"/v1/posts/{first['id']}/retry")
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "publishing"
    done = wait_for_status(both, first["id"], "published", "failed", timeout=60)

    mastodon = done["platform_results"]["mastodon"]
    assert mastodon["success"] is True, mastodon
    assert len(mastodon["segments"]) == 2
    toots = mastodon_peer.statuses(mastodon_account.token)
    assert sorted(t["id"] for t in toots) == sorted(s["post_id"] for s in mastodon["segments"])
    # Bluesky's thread is the one of the first run, not posted again.
    assert done["platform_results"]["bluesky"] == first["platform_results"]["bluesky"]
    assert len(bsky_pds.list_records(bsky_account.did)) == 2


def test_nothing_to_retry_is_a_409_saying_why(both: httpx.Client, mastodon_peer: MastodonPeer) -> None:
    draft = both.post("/v1/posts", json={"content": "a draft", "platforms": ["mastodon"]}).json()
    refused = assert_error(both.post(f"/v1/posts/{draft['id']}/retry"), 409, "conflict")
    assert "Only failed or published posts can be retried; this post is draft" in refused["error"]

    done = publish_with_mastodon_refusing(both, mastodon_peer)
    only_bluesky = both.post(f"/v1/posts/{done['id']}/retry", json={"platforms": ["bluesky"]})
    assert "Nothing to retry: bluesky is succeeded" in assert_error(only_bluesky, 409, "conflict")["error"]
    unknown = both.post(f"/v1/posts/{done['id']}/retry", json={"platforms": ["twitter"]})
    assert "'twitter' is not one of the post's platforms" in assert_error(unknown, 422, "validation_error")["error"]
    assert both.get(f"/v1/posts/{done['id']}").json()["status"] == "published"  # nothing changed


def test_another_workspace_cannot_retry_a_post(
    octopost: OctopostProcess, both: httpx.Client, mastodon_peer: MastodonPeer
) -> None:
    done = publish_with_mastodon_refusing(both, mastodon_peer)
    other = octopost.client(workspace="ws-retry-other")
    assert_error(other.post(f"/v1/posts/{done['id']}/retry"), 404, "not_found")


def test_an_unconfirmed_platform_is_retried_only_when_asked(
    octopost: OctopostProcess, both: httpx.Client, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    done = publish_with_mastodon_refusing(both, mastodon_peer)
    mark_unconfirmed(octopost.database_url, done["id"], "mastodon")
    assert both.get(f"/v1/posts/{done['id']}").json()["platform_results"]["mastodon"]["status"] == "unconfirmed"

    refused = assert_error(both.post(f"/v1/posts/{done['id']}/retry"), 409, "conflict")
    assert "mastodon is unconfirmed (add include_unconfirmed: true" in refused["error"]
    answer = both.post(f"/v1/posts/{done['id']}/retry", json={"include_unconfirmed": True})
    assert answer.status_code == 200, answer.text
    again = wait_for_status(both, done["id"], "published", "failed", timeout=60)
    assert again["platform_results"]["mastodon"]["success"] is True, again
    assert len(mastodon_peer.statuses(mastodon_account.token)) == 1


def mark_unconfirmed(database_url: str, post_id: str, platform: str) -> None:
    """The one write behind the API's back: the platform's answer was lost (producing that for real takes a
    non-idempotent platform timing out, which is the adapters' tests' business)."""

    async def run() -> None:
        db = Database(database_url)
        try:
            async with db.transaction() as session:
                await session.exec(
                    update(Target)
                    .where(col(Target.post_id) == post_id, col(Target.platform) == platform)
                    .values(status="unconfirmed", error="the answer was lost", error_category="outcome_unknown")
                )
        finally:
            await db.dispose()

    run_async(run())
