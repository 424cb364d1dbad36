"""POST /v1/posts/validate and /v1/posts/{id}/validate through `octopost serve`: each segment counted as its
platform counts (X weighted, Bluesky graphemes and bytes), every problem at once, the same problems scheduling
refuses the post with, nothing stored; a stored post checked by id, another workspace's post 404."""

from __future__ import annotations

import httpx

from tests.api.test_posts import assert_error
from tests.peers.app import OctopostProcess
from tests.scheduler.flows import connect, in_seconds

MIXED = "héllo 日本 👋🏽"  # X: 6 + 4 (two CJK) + 1 + 2 (emoji) weighted; Bluesky: 10 graphemes, 22 bytes


def sandbox(octopost: OctopostProcess, workspace: str) -> httpx.Client:
    """A test key: its accounts are sandbox ones (the platform's real limits, no network)."""
    api = octopost.client(octopost.new_key(workspace=workspace, mode="test"))
    connect(api, "twitter", "https://api.x.com", {"access_token": "sandbox-token"})
    connect(api, "bluesky", "https://bsky.social", {"identifier": "team.bsky.social", "password": "app-password"})
    return api


def test_counts_and_problems_per_platform_equal_what_scheduling_enforces(octopost: OctopostProcess) -> None:
    api = sandbox(octopost, "ws-validate")
    body = {"content": MIXED, "platforms": ["twitter", "bluesky", "mastodon"], "segments": [{"content": "x" * 301}]}
    answer = api.post("/v1/posts/validate", json=body)
    assert answer.status_code == 200, answer.text
    preview = answer.json()
    assert preview["valid"] is False
    x, bluesky, mastodon = (preview["platforms"][p] for p in ("twitter", "bluesky", "mastodon"))
    assert x["segments"] == [
        {"index": 0, "count": 13, "limit": 280, "unit": "weighted", "remaining": 267},
        {"index": 1, "count": 301, "limit": 280, "unit": "weighted", "remaining": -21},
    ]
    assert bluesky["segments"][:2] == [
        {"index": 0, "count": 10, "limit": 300, "unit": "graphemes", "remaining": 290},
        {"index": 0, "count": 22, "limit": 3000, "unit": "bytes", "remaining": 2978},
    ]
    assert x["problems"]
    assert bluesky["problems"]
    assert x["account_id"].startswith("acc_")
    assert mastodon["problems"] == ["mastodon: no active mastodon account is connected to this workspace"]
    assert "account_id" not in mastodon
    assert api.get("/v1/posts").json()["total"] == 0  # nothing stored

    scheduled = api.post(
        "/v1/posts", json={**body, "platforms": ["twitter", "bluesky"], "scheduled_for": in_seconds(3600)}
    )
    refused = assert_error(scheduled, 422, "validation_error")
    assert set(refused["details"]["errors"]) == {*x["problems"], *bluesky["problems"]}  # one code path


def test_a_good_post_is_valid_and_a_stored_one_is_checked_by_id(octopost: OctopostProcess) -> None:
    api = sandbox(octopost, "ws-validate-ok")
    body = {"content": "Fits everywhere", "platforms": ["twitter", "bluesky"], "poll": None}
    preview = api.post("/v1/posts/validate", json=body).json()
    assert preview["valid"] is True
    assert preview["problems"] == []
    assert all(p["valid"] and p["problems"] == [] for p in preview["platforms"].values())

    draft = api.post("/v1/posts", json={"content": "y" * 290, "platforms": ["twitter", "bluesky"]}).json()
    stored = api.post(f"/v1/posts/{draft['id']}/validate").json()
    assert stored["platforms"]["bluesky"]["valid"] is True
    assert stored["platforms"]["twitter"]["valid"] is False
    assert stored["platforms"]["twitter"]["segments"][0]["remaining"] == -10
    other = octopost.client(octopost.new_key(workspace="ws-validate-stranger", mode="test"))
    assert_error(other.post(f"/v1/posts/{draft['id']}/validate"), 404, "not_found")


def test_the_body_s_own_problems_are_listed_beside_the_platforms(octopost: OctopostProcess) -> None:
    api = sandbox(octopost, "ws-validate-body")
    body = {"content": "", "platforms": ["twitter", "myspace"], "scheduled_for": "yesterday", "accounts": ["nope"]}
    preview = api.post("/v1/posts/validate", json=body).json()
    assert preview["valid"] is False
    assert len(preview["problems"]) >= 4  # content, the unknown platform, the time, the account id
    assert list(preview["platforms"]) == ["twitter"]


def test_each_platform_says_what_media_each_segment_carries_against_its_limits(octopost: OctopostProcess) -> None:
    api = sandbox(octopost, "ws-validate-media")
    images = [{"url": f"https://media.example/{n}.png", "alt_text": "a chart"} for n in range(4)]
    body = {
        "content": "Four charts",
        "platforms": ["twitter", "bluesky"],
        "media": {"images": images},
        "segments": [{"content": "and a clip", "media_urls": ["https://media.example/clip.mp4"]}],
    }
    preview = api.post("/v1/posts/validate", json=body).json()
    x, bluesky = preview["platforms"]["twitter"]["media"], preview["platforms"]["bluesky"]["media"]
    assert x["segments"] == [{"index": 0, "images": 4, "videos": 0}, {"index": 1, "images": 0, "videos": 1}]
    assert (x["max_images"], x["max_videos"]) == (4, 1)
    assert "image/png" in x["image_types"]
    assert bluesky["segments"] == x["segments"]
    assert bluesky["max_images"] == 4
    assert bluesky["max_image_bytes"] < x["max_image_bytes"]  # Bluesky's blobs are smaller than X's images
