"""Connecting accounts over the API: verified against the real platform peer, stored encrypted, never shown."""

from __future__ import annotations

import httpx

from tests.api.test_posts import assert_error
from tests.peers.app import OctopostProcess
from tests.peers.bluesky import BskyPds
from tests.peers.mastodon import MastodonAccount, MastodonPeer
from tests.scheduler.flows import connect

ACCOUNT_FIELDS = {
    "id",
    "platform",
    "platform_user_id",
    "username",
    "display_name",
    "avatar_url",
    "base_url",
    "is_active",
    "connected_at",
    "last_used_at",
    "is_default",
}


def test_connect_list_reconnect_delete_mastodon(
    octopost: OctopostProcess, api: httpx.Client, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    account = connect(api, "mastodon", mastodon_peer.url, mastodon_account.credentials)
    assert set(account) == ACCOUNT_FIELDS
    assert account["id"].startswith("acc_")
    assert account["username"] == mastodon_account.username
    assert account["platform_user_id"] == mastodon_account.id
    assert account["is_active"] is True
    assert account["is_default"] is True  # the platform's first account
    assert account["last_used_at"] is None
    assert mastodon_account.token not in str(account)
    # Encrypted at rest: the token is nowhere in the database file.
    assert mastodon_account.token.encode() not in (octopost.data_dir / "octopost.db").read_bytes()
    assert api.get("/v1/accounts").json() == {"accounts": [account]}

    other = mastodon_peer.new_account()
    second = connect(api, "mastodon", mastodon_peer.url, other.credentials)
    assert second["is_default"] is False
    listed = api.get("/v1/accounts").json()["accounts"]
    assert [a["id"] for a in listed] == [account["id"], second["id"]]  # several per platform, oldest first
    # The same user connected again is a reconnect: the same account, not a twin.
    again = connect(api, "mastodon", mastodon_peer.url, mastodon_account.credentials)
    assert again["id"] == account["id"]
    assert len(api.get("/v1/accounts").json()["accounts"]) == 2

    assert_error(octopost.client(workspace="not-mine").delete(f"/v1/accounts/{second['id']}"), 404, "not_found")
    assert api.delete(f"/v1/accounts/{second['id']}").status_code == 204
    assert [a["id"] for a in api.get("/v1/accounts").json()["accounts"]] == [account["id"]]
    assert_error(api.delete(f"/v1/accounts/{second['id']}"), 404, "not_found")
    assert_error(api.get(f"/v1/accounts/{second['id']}"), 404, "not_found")


def test_connect_bluesky_with_default_and_custom_base_url(api: httpx.Client, bsky_pds: BskyPds) -> None:
    account = bsky_pds.create_account("conn")
    connected = connect(api, "bluesky", bsky_pds.url, account.credentials)
    assert connected["platform_user_id"] == account.did
    assert connected["username"] == account.handle
    assert connected["base_url"] == bsky_pds.url


def test_rejected_and_unreachable_credentials_are_clear_422s(
    api: httpx.Client, mastodon_peer: MastodonPeer, bsky_pds: BskyPds
) -> None:
    bad_token = api.post(
        "/v1/accounts",
        json={"platform": "mastodon", "base_url": mastodon_peer.url, "credentials": {"access_token": "wrong"}},
    )
    assert_error(bad_token, 422, "validation_error", "Mastodon rejected the credentials")
    account = bsky_pds.create_account("badpw")
    bad_password = api.post(
        "/v1/accounts",
        json={
            "platform": "bluesky",
            "base_url": bsky_pds.url,
            "credentials": {"identifier": account.handle, "password": "not-the-password"},
        },
    )
    assert_error(bad_password, 422, "validation_error", "Bluesky rejected the credentials")
    unreachable = api.post(
        "/v1/accounts",
        json={"platform": "mastodon", "base_url": "http://127.0.0.1:9", "credentials": {"access_token": "x"}},
    )
    assert_error(unreachable, 422, "validation_error", "could not reach Mastodon at http://127.0.0.1:9")
    assert api.get("/v1/accounts").json() == {"accounts": []}  # nothing stored


def test_connect_input_errors(api: httpx.Client) -> None:
    assert_error(
        api.post("/v1/accounts", json={"platform": "twitter", "credentials": {"consumer_key": "x"}}),
        422,
        "validation_error",
        "access_token",
    )
    assert_error(
        api.post("/v1/accounts", json={"platform": "myspace", "credentials": {"a": "b"}}),
        422,
        "validation_error",
        "myspace",
    )
    assert_error(
        api.post(
            "/v1/accounts",
            json={"platform": "mastodon", "base_url": "file:///etc", "credentials": {"access_token": "x"}},
        ),
        422,
        "validation_error",
        "base_url",
    )
    assert_error(api.post("/v1/accounts", json={"platform": "mastodon"}), 422, "validation_error", "credentials")
