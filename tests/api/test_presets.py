"""Presets (/v1/presets) through `octopost serve`: saved platform combinations with a primary platform and a
cross-link, the system "All Platforms" preset every workspace has (read-only: 403), a post made from a preset (or the
default one), and a preset with a primary platform publishing there first and linking to it from the others — on
mastodon_mock and the real Bluesky PDS."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.conftest import TwoPeers
from tests.api.test_posts import assert_error
from tests.peers.app import OctopostProcess
from tests.peers.mastodon import MastodonAccount, MastodonPeer
from tests.scheduler.flows import connect, in_seconds, wait_for_status


def make(api: httpx.Client, **fields: Any) -> dict[str, Any]:
    body = {"name": "Microblogs", "platforms": ["mastodon", "bluesky"], **fields}
    answer = api.post("/v1/presets", json=body)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def test_presets_are_created_listed_changed_and_deleted(api: httpx.Client) -> None:
    made = make(api, primary_platform="mastodon", cross_link_enabled=True)
    assert made["id"].startswith("pre_")
    assert made["cross_link_template"] == "Also on {platform}: {link}"  # the default when enabled without one
    assert (made["is_system"], made["is_default"]) == (False, False)

    listed = api.get("/v1/presets").json()
    assert [p["name"] for p in listed["presets"]] == ["All Platforms", "Microblogs"]
    assert listed["presets"][0]["is_system"] is True
    assert listed["total"] == 2

    changed = api.put(f"/v1/presets/{made['id']}", json={"name": "Fediverse", "cross_link_template": "{link}"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["name"], changed.json()["cross_link_template"]) == ("Fediverse", "{link}")
    assert api.get(f"/v1/presets/{made['id']}").json()["name"] == "Fediverse"

    assert api.delete(f"/v1/presets/{made['id']}").status_code == 204
    assert_error(api.get(f"/v1/presets/{made['id']}"), 404, "not_found")


def test_system_presets_cannot_be_changed_or_deleted(api: httpx.Client) -> None:
    assert_error(api.put("/v1/presets/pre_all_platforms", json={"name": "Mine"}), 403, "forbidden")
    assert_error(api.delete("/v1/presets/pre_all_platforms"), 403, "forbidden")
    assert api.get("/v1/presets/pre_all_platforms").json()["name"] == "All Platforms"


def test_a_wrong_preset_is_refused_with_every_problem_and_nothing_stored(api: httpx.Client) -> None:
    answer = api.post(
        "/v1/presets",
        json={
            "name": "x" * 101,
            "platforms": ["mastodon", "myspace"],
            "primary_platform": "bluesky",
            "cross_link_enabled": True,
            "cross_link_template": "See {url}",
        },
    )
    errors = assert_error(answer, 422, "validation_error")["details"]["errors"]
    assert any(e.startswith("name: is 101 characters") for e in errors), errors
    assert any(e.startswith("platforms: unknown ['myspace']") for e in errors), errors
    assert any(e.startswith("primary_platform: 'bluesky' is not one") for e in errors), errors
    assert any("unknown placeholder(s) ['url']" in e for e in errors), errors
    assert any("must contain {link}" in e for e in errors), errors
    assert_error(
        api.post("/v1/presets", json={"name": "All Platforms", "platforms": ["mastodon"]}), 422, "validation_error"
    )
    assert api.get("/v1/presets").json()["total"] == 1  # the system one only


def test_names_are_unique_and_one_preset_is_the_default(api: httpx.Client) -> None:
    first = make(api, is_default=True)
    assert_error(api.post("/v1/presets", json={"name": "Microblogs", "platforms": ["mastodon"]}), 409, "conflict")
    second = make(api, name="Just Mastodon", platforms=["mastodon"], is_default=True)
    defaults = [p["id"] for p in api.get("/v1/presets").json()["presets"] if p["is_default"]]
    assert defaults == [second["id"]]
    assert api.get(f"/v1/presets/{first['id']}").json()["is_default"] is False


def test_another_workspace_or_mode_does_not_see_a_preset(octopost: OctopostProcess, api: httpx.Client) -> None:
    made = make(api)
    other = octopost.client(workspace="ws-presets-other")
    sandbox = octopost.client(octopost.new_key(workspace="ws-presets-other", mode="test"))
    for client in (other, sandbox):
        assert_error(client.get(f"/v1/presets/{made['id']}"), 404, "not_found")
        assert_error(client.put(f"/v1/presets/{made['id']}", json={"name": "mine"}), 404, "not_found")
        assert_error(client.delete(f"/v1/presets/{made['id']}"), 404, "not_found")
        assert [p["id"] for p in client.get("/v1/presets").json()["presets"]] == ["pre_all_platforms"]
        refused = client.post("/v1/posts", json={"content": "hi", "preset_id": made["id"]})
        assert f"preset_id: preset {made['id']} not found" in assert_error(refused, 422, "validation_error")["error"]


def test_a_post_takes_its_platforms_from_a_preset_or_the_default(api: httpx.Client) -> None:
    preset = make(api, primary_platform="mastodon", cross_link_enabled=True)
    made = api.post("/v1/posts", json={"content": "hello", "preset_id": preset["id"]})
    assert made.status_code == 201, made.text
    post = made.json()
    assert post["platforms"] == ["mastodon", "bluesky"]
    assert (post["preset_id"], post["primary_platform"]) == (preset["id"], "mastodon")
    assert post["cross_link_template"] == "Also on {platform}: {link}"

    no_platforms = api.post("/v1/posts", json={"content": "hello"})
    assert "give the platforms, or a preset_id" in assert_error(no_platforms, 422, "validation_error")["error"]
    api.put(f"/v1/presets/{preset['id']}", json={"is_default": True})
    by_default = api.post("/v1/posts", json={"content": "hello"}).json()
    assert (by_default["platforms"], by_default["preset_id"]) == (["mastodon", "bluesky"], preset["id"])

    both = api.post("/v1/posts", json={"content": "hello", "platforms": ["mastodon"], "preset_id": preset["id"]})
    assert "not both" in assert_error(both, 422, "validation_error")["error"]

    # Platforms of its own: the post leaves the preset (no primary, no cross-link).
    left = api.put(f"/v1/posts/{post['id']}", json={"platforms": ["bluesky"]}).json()
    assert (left["platforms"], left.get("preset_id"), left.get("primary_platform")) == (["bluesky"], None, None)
    # A preset deleted later changes nothing in the posts made with it.
    assert api.delete(f"/v1/presets/{preset['id']}").status_code == 204
    assert api.get(f"/v1/posts/{by_default['id']}").json()["platforms"] == ["mastodon", "bluesky"]


def test_all_platforms_is_every_platform_with_an_active_account(
    api: httpx.Client, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    empty = api.post("/v1/posts", json={"content": "hi", "preset_id": "pre_all_platforms"})
    assert "connect an account first" in assert_error(empty, 422, "validation_error")["error"]
    connect(api, "mastodon", mastodon_peer.url, mastodon_account.credentials)
    assert api.get("/v1/presets/pre_all_platforms").json()["platforms"] == ["mastodon"]
    post = api.post("/v1/posts", json={"content": "hi", "preset_id": "pre_all_platforms"}).json()
    assert post["platforms"] == ["mastodon"]


def test_the_cross_link_counts_in_the_other_platforms_limits(api: httpx.Client) -> None:
    """Bluesky's 300 graphemes with the link to the Mastodon post added: 290 characters of text no longer fit."""
    preset = make(api, primary_platform="mastodon", cross_link_enabled=True)
    body = {"content": "x" * 290, "preset_id": preset["id"], "scheduled_for": in_seconds(3600)}
    preview = api.post("/v1/posts/validate", json=body).json()
    bluesky = preview["platforms"]["bluesky"]
    assert bluesky["segments"][0]["count"] > 300, bluesky
    assert preview["platforms"]["mastodon"]["segments"][0]["count"] == 290
    refused = api.post("/v1/posts", json=body)
    assert "bluesky" in assert_error(refused, 422, "validation_error")["error"]


def test_the_primary_platform_goes_first_and_the_others_link_to_it(two_peers: TwoPeers) -> None:
    api = two_peers.api
    preset = make(
        api, primary_platform="mastodon", cross_link_enabled=True, cross_link_template="Discuss on {platform}: {link}"
    )
    post = api.post("/v1/posts", json={"content": "Release 2.0 is out", "preset_id": preset["id"]}).json()
    assert api.post(f"/v1/posts/{post['id']}/publish").status_code == 200

    done = wait_for_status(api, post["id"], "published", "failed", timeout=60)

    results = done["platform_results"]
    assert done["status"] == "published", results
    toot = two_peers.mastodon.status(results["mastodon"]["post_id"], two_peers.mastodon_account.token)
    assert "Discuss on" not in toot["content"]
    rkey = results["bluesky"]["post_id"].rsplit("/", 1)[-1]
    record = two_peers.bluesky.get_record(two_peers.bluesky_account.did, "app.bsky.feed.post", rkey)
    assert record is not None
    assert record["value"]["text"] == f"Release 2.0 is out\n\nDiscuss on Mastodon: {results['mastodon']['post_url']}"
    # In order: Bluesky's post was written after Mastodon's existed (it carries its URL).
    assert record["value"]["createdAt"] >= toot["created_at"][:19]
