"""Several accounts of one platform in a workspace, through `octopost serve` and the X fake: a post names the one
it publishes through (else the platform's default), every account is listed active or not, verify re-checks one
against X, PUT makes one the default, and another workspace's (or mode's) account is 404 everywhere."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.api.test_posts import assert_error
from tests.fakes.running import RunningFake, calm, fake_per_module
from tests.peers.app import OctopostProcess
from tests.scheduler.flows import connect, in_seconds, publish, wait_for_status

x_fake = fake_per_module("twitter")


@pytest.fixture
def fake(x_fake: RunningFake) -> Iterator[RunningFake]:
    with calm(x_fake) as calmed:
        yield calmed


def two_x_accounts(api: httpx.Client, fake: RunningFake) -> tuple[dict[str, Any], dict[str, Any]]:
    first = connect(api, "twitter", fake.url, {"access_token": "token-of-the-brand"})
    second = connect(api, "twitter", fake.url, {"access_token": "token-of-the-founder"})
    assert first["platform_user_id"] != second["platform_user_id"]
    return first, second


def published(api: httpx.Client, post_id: str) -> dict[str, Any]:
    done = wait_for_status(api, post_id, "published", "failed", timeout=60)
    assert done["status"] == "published", done["platform_results"]
    return done


def test_a_post_publishes_through_the_account_it_names_and_else_the_default(
    api: httpx.Client, fake: RunningFake
) -> None:
    brand, founder = two_x_accounts(api, fake)
    assert (brand["is_default"], founder["is_default"]) == (True, False)

    named = published(api, publish(api, "twitter", "From the founder", accounts=[founder["id"]]))
    assert named["accounts"] == [founder["id"]]
    assert named["platform_results"]["twitter"]["account_id"] == founder["id"]
    unnamed = published(api, publish(api, "twitter", "From the brand"))
    assert "accounts" not in unnamed  # a post naming none reads exactly as the seed shows it
    assert unnamed["platform_results"]["twitter"]["account_id"] == brand["id"]
    authors = {c["text"]: c["account"] for c in fake.created()}
    assert authors == {"From the founder": founder["platform_user_id"], "From the brand": brand["platform_user_id"]}

    made = api.put(f"/v1/accounts/{founder['id']}", json={"is_default": True})
    assert made.status_code == 200
    assert made.json()["is_default"] is True
    assert api.get(f"/v1/accounts/{brand['id']}").json()["is_default"] is False
    now_default = published(api, publish(api, "twitter", "Default moved"))
    assert now_default["platform_results"]["twitter"]["account_id"] == founder["id"]


def test_a_scheduled_post_keeps_its_named_account_and_fails_when_it_is_removed(
    api: httpx.Client, fake: RunningFake
) -> None:
    brand, founder = two_x_accounts(api, fake)
    post = api.post(
        "/v1/posts",
        json={
            "content": "Later",
            "platforms": ["twitter"],
            "scheduled_for": in_seconds(3),
            "accounts": [founder["id"]],
        },
    )
    assert post.status_code == 201, post.text
    assert api.delete(f"/v1/accounts/{founder['id']}").status_code == 204
    done = wait_for_status(api, post.json()["id"], "published", "failed", timeout=60)
    result = done["platform_results"]["twitter"]
    assert result["success"] is False
    assert founder["id"] in result["error"]
    assert "Reconnect your X account" in result["error"]
    assert fake.created() == []  # never through the brand account instead
    assert api.get(f"/v1/accounts/{brand['id']}").json()["is_default"] is True


def test_naming_accounts_wrongly_is_a_422_and_stores_nothing(
    octopost: OctopostProcess, api: httpx.Client, fake: RunningFake
) -> None:
    brand, founder = two_x_accounts(api, fake)
    elsewhere = octopost.client(workspace="ws-someone-else")
    theirs = connect(elsewhere, "twitter", fake.url, {"access_token": "token-of-a-stranger"})
    cases = {
        "both twitter accounts": ([brand["id"], founder["id"]], "name at most one"),
        "another workspace's": ([theirs["id"]], "is not an account of this workspace"),
        "not an id": (["@founder"], "is not an account id"),
    }
    for what, (accounts, message) in cases.items():
        answer = api.post("/v1/posts", json={"content": what, "platforms": ["twitter"], "accounts": accounts})
        assert_error(answer, 422, "validation_error", message)
    not_listed = api.post("/v1/posts", json={"content": "m", "platforms": ["mastodon"], "accounts": [brand["id"]]})
    assert_error(not_listed, 422, "validation_error", "not one of the post's platforms")
    assert api.get("/v1/posts").json()["total"] == 0

    draft = api.post("/v1/posts", json={"content": "draft", "platforms": ["twitter"]}).json()
    assert "accounts" not in draft
    edited = api.put(f"/v1/posts/{draft['id']}", json={"accounts": [founder["id"]]})
    assert edited.json()["accounts"] == [founder["id"]]
    refused = api.put(f"/v1/posts/{draft['id']}", json={"accounts": [theirs["id"]]})
    assert_error(refused, 422, "validation_error", "is not an account of this workspace")
    assert api.get(f"/v1/posts/{draft['id']}").json()["accounts"] == [founder["id"]]  # unchanged


def test_accounts_are_listed_active_or_not_and_verify_rechecks_them(api: httpx.Client, fake: RunningFake) -> None:
    brand, founder = two_x_accounts(api, fake)
    fake.control("POST", "refuse-token", {"token": "token-of-the-founder"})  # the founder revoked the app
    checked = api.post(f"/v1/accounts/{founder['id']}/verify")
    assert checked.status_code == 200
    assert checked.json()["is_active"] is False
    listed = api.get("/v1/accounts", params={"platform": "twitter"}).json()["accounts"]
    assert [(a["id"], a["is_active"]) for a in listed] == [(brand["id"], True), (founder["id"], False)]
    assert api.get("/v1/accounts", params={"platform": "mastodon"}).json() == {"accounts": []}
    assert_error(api.get("/v1/accounts", params={"platform": "myspace"}), 422, "validation_error", "myspace")
    assert_error(api.put(f"/v1/accounts/{founder['id']}", json={"is_default": True}), 422, "validation_error")
    assert_error(api.put(f"/v1/accounts/{brand['id']}", json={"is_default": False}), 422, "validation_error")
    inactive = api.post("/v1/posts/", json={"content": "x", "platforms": ["twitter"], "accounts": [founder["id"]]})
    assert_error(api.post(f"/v1/posts/{inactive.json()['id']}/publish"), 422, "validation_error", "is inactive")

    fake.reset()  # X takes the token again
    again = api.post(f"/v1/accounts/{founder['id']}/verify").json()
    assert again["is_active"] is True
    assert again["id"] == founder["id"]
    assert api.post(f"/v1/accounts/{brand['id']}/verify").json()["is_active"] is True


def test_another_workspaces_or_modes_account_is_404(
    octopost: OctopostProcess, api: httpx.Client, fake: RunningFake, request: pytest.FixtureRequest
) -> None:
    account, _ = two_x_accounts(api, fake)
    same_workspace_test_mode = octopost.new_key(workspace=f"ws-{request.node.name}"[:180], mode="test")
    strangers = [octopost.client(workspace="ws-intruder"), octopost.client(same_workspace_test_mode)]
    for stranger in strangers:
        assert_error(stranger.get(f"/v1/accounts/{account['id']}"), 404, "not_found")
        assert_error(stranger.post(f"/v1/accounts/{account['id']}/verify"), 404, "not_found")
        assert_error(stranger.put(f"/v1/accounts/{account['id']}", json={"is_default": True}), 404, "not_found")
        assert_error(stranger.delete(f"/v1/accounts/{account['id']}"), 404, "not_found")
    assert api.get(f"/v1/accounts/{account['id']}").json()["is_active"] is True
