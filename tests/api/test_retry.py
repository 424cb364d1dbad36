"""POST /v1/posts/{id}/retry through `octopost serve`: a platform that failed is published again while the one that
succeeded is left as it was (mastodon_mock refusing once, the real Bluesky PDS); what cannot be retried is a 409
saying why; an `unconfirmed` platform only with include_unconfirmed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlmodel import col

from octopost.db import Database
from octopost.posts.tables import Target
from tests.api.conftest import TwoPeers
from tests.api.test_posts import assert_error
from tests.peers.app import OctopostProcess
from tests.peers.postgres import run_async
from tests.scheduler.flows import wait_for_status

REFUSED_ONCE = {"type": "status", "status": 422, "body": {"error": "Validation failed: try again later"}}


def publish_with_mastodon_refusing(peers: TwoPeers, **fields: Any) -> dict[str, Any]:
    api, mastodon_peer = peers.api, peers.mastodon
    body = {"content": "Retry me", "platforms": ["mastodon", "bluesky"], **fields}
    post = api.post("/v1/posts", json=body).json()
    mastodon_peer.inject_fault(REFUSED_ONCE, methods=["POST"], path="/api/v1/statuses")
    assert api.post(f"/v1/posts/{post['id']}/publish").status_code == 200
    done = wait_for_status(api, post["id"], "published", "failed", timeout=60)
    assert done["platform_results"]["mastodon"]["success"] is False, done
    assert done["platform_results"]["bluesky"]["success"] is True, done
    return done


def test_a_failed_platform_is_retried_to_success_and_the_others_are_untouched(two_peers: TwoPeers) -> None:
    both = two_peers.api
    first = publish_with_mastodon_refusing(two_peers, segments=[{"content": "and its reply"}])
    assert first["status"] == "published"  # one platform succeeded

    answer = both.post(f"/v1/posts/{first['id']}/retry")
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "publishing"
    done = wait_for_status(both, first["id"], "published", "failed", timeout=60)

    mastodon = done["platform_results"]["mastodon"]
    assert mastodon["success"] is True, mastodon
    assert len(mastodon["segments"]) == 2
    toots = two_peers.toots()
    assert sorted(t["id"] for t in toots) == sorted(s["post_id"] for s in mastodon["segments"])
    # Bluesky's thread is the one of the first run, not posted again.
    assert done["platform_results"]["bluesky"] == first["platform_results"]["bluesky"]
    assert len(two_peers.skeets()) == 2


def test_nothing_to_retry_is_a_409_saying_why(two_peers: TwoPeers) -> None:
    both = two_peers.api
    draft = both.post("/v1/posts", json={"content": "a draft", "platforms": ["mastodon"]}).json()
    refused = assert_error(both.post(f"/v1/posts/{draft['id']}/retry"), 409, "conflict")
    assert "Only failed or published posts can be retried; this post is draft" in refused["error"]

    done = publish_with_mastodon_refusing(two_peers)
    only_bluesky = both.post(f"/v1/posts/{done['id']}/retry", json={"platforms": ["bluesky"]})
    assert "Nothing to retry: bluesky is succeeded" in assert_error(only_bluesky, 409, "conflict")["error"]
    unknown = both.post(f"/v1/posts/{done['id']}/retry", json={"platforms": ["twitter"]})
    assert "'twitter' is not one of the post's platforms" in assert_error(unknown, 422, "validation_error")["error"]
    assert both.get(f"/v1/posts/{done['id']}").json()["status"] == "published"  # nothing changed


def test_another_workspace_cannot_retry_a_post(octopost: OctopostProcess, two_peers: TwoPeers) -> None:
    done = publish_with_mastodon_refusing(two_peers)
    other = octopost.client(workspace="ws-retry-other")
    assert_error(other.post(f"/v1/posts/{done['id']}/retry"), 404, "not_found")


def test_an_unconfirmed_platform_is_retried_only_when_asked(octopost: OctopostProcess, two_peers: TwoPeers) -> None:
    both = two_peers.api
    done = publish_with_mastodon_refusing(two_peers)
    mark_unconfirmed(octopost.database_url, done["id"], "mastodon")
    assert both.get(f"/v1/posts/{done['id']}").json()["platform_results"]["mastodon"]["status"] == "unconfirmed"

    refused = assert_error(both.post(f"/v1/posts/{done['id']}/retry"), 409, "conflict")
    assert "mastodon is unconfirmed (add include_unconfirmed: true" in refused["error"]
    answer = both.post(f"/v1/posts/{done['id']}/retry", json={"include_unconfirmed": True})
    assert answer.status_code == 200, answer.text
    again = wait_for_status(both, done["id"], "published", "failed", timeout=60)
    assert again["platform_results"]["mastodon"]["success"] is True, again
    assert len(two_peers.toots()) == 1


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
