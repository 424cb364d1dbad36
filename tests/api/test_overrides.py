"""Per-platform versions (`overrides`) through `octopost serve`: an override replaces the post's content, media or
segments for its platform only — published for real on mastodon_mock and the Bluesky PDS —, is checked against that
platform's limits alone, and is shown by GET and edited by PUT while the post is a draft or scheduled."""

from __future__ import annotations

import httpx

from tests.api.conftest import TwoPeers
from tests.api.test_posts import assert_error
from tests.scheduler.flows import in_seconds, wait_for_status


def test_an_override_reaches_only_its_platform(two_peers: TwoPeers) -> None:
    api = two_peers.api
    body = {
        "content": "The long version, for Mastodon, with every detail we have",
        "platforms": ["mastodon", "bluesky"],
        "segments": [{"content": "and a reply everywhere"}],
        "overrides": {"bluesky": {"content": "The short one", "segments": None}},
    }
    post = api.post("/v1/posts", json=body).json()
    assert post["overrides"] == {"bluesky": {"content": "The short one", "segments": None}}
    assert api.post(f"/v1/posts/{post['id']}/publish").status_code == 200

    done = wait_for_status(api, post["id"], "published", "failed", timeout=60)

    results = done["platform_results"]
    assert done["status"] == "published", results
    toots = [
        two_peers.mastodon.status(s["post_id"], two_peers.mastodon_account.token)
        for s in results["mastodon"]["segments"]
    ]
    assert [t["content"] for t in toots] == [f"<p>{body['content']}</p>", "<p>and a reply everywhere</p>"]
    assert len(results["bluesky"]["segments"]) == 1  # its override has no segments
    records = two_peers.skeets()
    assert [r["value"]["text"] for r in records] == ["The short one"]


def test_each_version_is_checked_against_its_own_platform(api: httpx.Client) -> None:
    base = {"platforms": ["mastodon", "bluesky"], "scheduled_for": in_seconds(3600)}
    # The post's own text is too long for Bluesky, but Bluesky has a version of its own that fits.
    fits = api.post(
        "/v1/posts/validate", json={**base, "content": "y" * 400, "overrides": {"bluesky": {"content": "ok"}}}
    )
    preview = fits.json()
    assert preview["platforms"]["bluesky"]["segments"][0]["count"] == 2
    assert preview["platforms"]["mastodon"]["segments"][0]["count"] == 400
    # And the other way round: the override is what breaks Bluesky's limit, Mastodon's own text is fine.
    refused = api.post("/v1/posts", json={**base, "content": "short", "overrides": {"bluesky": {"content": "z" * 301}}})
    problems = assert_error(refused, 422, "validation_error")["details"]["errors"]
    assert problems
    assert all(p.startswith("bluesky") for p in problems), problems
    assert api.get("/v1/posts").json()["total"] == 0


def test_overrides_of_the_wrong_shape_are_refused_naming_the_field(api: httpx.Client) -> None:
    answer = api.post(
        "/v1/posts",
        json={
            "content": "hi",
            "platforms": ["mastodon"],
            "overrides": {
                "bluesky": {"content": "not a platform of the post"},
                "mastodon": {"content": " ", "media": {"images": [{"url": "ftp://x/a.png"}]}},
            },
        },
    )
    errors = assert_error(answer, 422, "validation_error")["details"]["errors"]
    assert "overrides.bluesky: 'bluesky' is not one of the post's platforms" in errors
    assert "overrides.mastodon.content: is required and must not be empty" in errors
    assert any(e.startswith("overrides.mastodon.media.images[0].url: must be an http(s) URL") for e in errors), errors
    empty = api.post("/v1/posts", json={"content": "hi", "platforms": ["mastodon"], "overrides": {"mastodon": {}}})
    assert (
        "overrides.mastodon: give content, media or segments" in assert_error(empty, 422, "validation_error")["error"]
    )


def test_put_edits_overrides_and_refuses_one_left_without_its_platform(api: httpx.Client) -> None:
    post = api.post(
        "/v1/posts",
        json={"content": "hi", "platforms": ["mastodon", "bluesky"], "overrides": {"bluesky": {"content": "yo"}}},
    ).json()
    edited = api.put(f"/v1/posts/{post['id']}", json={"overrides": {"mastodon": {"content": "hello, fediverse"}}})
    assert edited.status_code == 200, edited.text
    assert api.get(f"/v1/posts/{post['id']}").json()["overrides"] == {"mastodon": {"content": "hello, fediverse"}}

    dropped = api.put(f"/v1/posts/{post['id']}", json={"platforms": ["bluesky"]})
    assert (
        "overrides.mastodon: 'mastodon' is not one of the post's platforms"
        in assert_error(dropped, 422, "validation_error")["error"]
    )
    cleared = api.put(f"/v1/posts/{post['id']}", json={"platforms": ["bluesky"], "overrides": None})
    assert cleared.status_code == 200, cleared.text
    assert "overrides" not in cleared.json()
