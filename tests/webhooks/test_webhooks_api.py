"""The webhooks API over real HTTP: create (secret once), list, get, update, delete, rotate, 404s, 422s."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import httpx
import pytest
from standardwebhooks import Webhook

from tests.api.test_posts import assert_error
from tests.peers.app import OctopostProcess
from tests.webhooks.flows import ALL_EVENTS, attempts, database_bytes, running_service

READ_FIELDS = {
    "id",
    "url",
    "events",
    "is_active",
    "consecutive_failures",
    "disabled_reason",
    "created_at",
    "updated_at",
}


@pytest.fixture(scope="module")
def octopost(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OctopostProcess]:
    yield from running_service(tmp_path_factory)


def create(api: httpx.Client, url: str = "https://93.184.215.14/octopost", events: list[str] | None = None) -> dict:
    response = api.post("/v1/webhooks", json={"url": url, "events": events or ["post.published", "post.failed"]})
    assert response.status_code == 201, response.text
    return dict(response.json())


def without_secret(webhook: dict) -> dict:
    return {k: v for k, v in webhook.items() if k != "secret"}


def test_create_shows_the_secret_once_and_never_again(octopost: OctopostProcess, api: httpx.Client) -> None:
    created = create(api)
    assert set(created) == READ_FIELDS | {"secret"}
    assert created["id"].startswith("wh_")
    assert created["url"] == "https://93.184.215.14/octopost"
    assert created["events"] == ["post.published", "post.failed"]
    assert created["is_active"] is True
    assert created["consecutive_failures"] == 0
    assert created["disabled_reason"] is None
    assert created["created_at"] == created["updated_at"]
    secret = created["secret"]
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    Webhook(secret)  # a secret the reference library accepts

    assert api.get(f"/v1/webhooks/{created['id']}").json() == without_secret(created)
    assert api.get("/v1/webhooks").json() == {"webhooks": [without_secret(created)]}
    # Encrypted at rest: neither the secret nor its key material is in the database file.
    stored = database_bytes(octopost)
    assert secret.encode() not in stored
    assert secret.removeprefix("whsec_").encode() not in stored
    assert base64.b64decode(secret.removeprefix("whsec_")) not in stored


def test_rotate_returns_a_new_secret_once(octopost: OctopostProcess, api: httpx.Client) -> None:
    created = create(api)
    rotated = api.post(f"/v1/webhooks/{created['id']}/rotate-secret")
    assert rotated.status_code == 200, rotated.text
    body = rotated.json()
    assert body["secret"].startswith("whsec_")
    assert body["secret"] != created["secret"]
    assert without_secret(body) == {**without_secret(created), "updated_at": body["updated_at"]}
    assert body["updated_at"] >= created["updated_at"]
    assert "secret" not in api.get(f"/v1/webhooks/{created['id']}").json()
    assert body["secret"].encode() not in database_bytes(octopost)


def test_update_url_events_and_activity(api: httpx.Client) -> None:
    created = create(api)
    changed = api.put(
        f"/v1/webhooks/{created['id']}",
        json={"url": "http://93.184.215.15/hook", "events": ["account.connected", "account.connected"]},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["url"] == "http://93.184.215.15/hook"
    assert changed.json()["events"] == ["account.connected"]  # a repeated event is kept once
    assert "secret" not in changed.json()

    disabled = api.put(f"/v1/webhooks/{created['id']}", json={"is_active": False}).json()
    assert disabled["is_active"] is False
    assert disabled["disabled_reason"]
    assert disabled["url"] == "http://93.184.215.15/hook"  # omitted fields stay
    enabled = api.put(f"/v1/webhooks/{created['id']}", json={"is_active": True}).json()
    assert enabled["is_active"] is True
    assert enabled["disabled_reason"] is None
    assert enabled["consecutive_failures"] == 0
    assert api.get("/v1/webhooks").json() == {"webhooks": [enabled]}


def test_delete(api: httpx.Client) -> None:
    kept = create(api)
    gone = create(api, url="https://93.184.215.14/other")
    assert api.delete(f"/v1/webhooks/{gone['id']}").status_code == 204
    assert_error(api.get(f"/v1/webhooks/{gone['id']}"), 404, "not_found")
    assert_error(api.delete(f"/v1/webhooks/{gone['id']}"), 404, "not_found")
    assert [w["id"] for w in api.get("/v1/webhooks").json()["webhooks"]] == [kept["id"]]


def test_another_workspace_sees_404(octopost: OctopostProcess, api: httpx.Client) -> None:
    mine = create(api)
    theirs = octopost.client(workspace="someone-else-webhooks")
    path = f"/v1/webhooks/{mine['id']}"
    assert_error(theirs.get(path), 404, "not_found")
    assert_error(theirs.put(path, json={"is_active": False}), 404, "not_found")
    assert_error(theirs.post(f"{path}/rotate-secret"), 404, "not_found")
    assert_error(theirs.get(f"{path}/deliveries"), 404, "not_found")
    assert_error(theirs.delete(path), 404, "not_found")
    assert theirs.get("/v1/webhooks").json() == {"webhooks": []}
    assert api.get(path).json() == without_secret(mine)  # untouched


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"url": "ftp://93.184.215.14/x", "events": ["post.published"]}, "url: must be an http(s) URL"),
        ({"url": "not a url", "events": ["post.published"]}, "url: must be an http(s) URL"),
        ({"url": "https://93.184.215.14/x", "events": []}, "events: at least one event"),
        ({"url": "https://93.184.215.14/x", "events": ["post.deleted"]}, "events: unknown ['post.deleted']"),
        ({"url": "https://93.184.215.14/x"}, "events"),
        ({"url": 5, "events": ["post.published"]}, "url"),
    ],
)
def test_create_validation(api: httpx.Client, body: dict, fragment: str) -> None:
    error = assert_error(api.post("/v1/webhooks", json=body), 422, "validation_error")
    assert any(fragment in problem for problem in error["details"]["errors"]), error
    assert api.get("/v1/webhooks").json() == {"webhooks": []}


def test_every_problem_in_one_422_and_update_validation(api: httpx.Client) -> None:
    error = assert_error(
        api.post("/v1/webhooks", json={"url": "mailto:me@example.com", "events": []}), 422, "validation_error"
    )
    assert len(error["details"]["errors"]) == 2
    assert "post.published" in create(api, events=ALL_EVENTS)["events"]
    webhook_id = api.get("/v1/webhooks").json()["webhooks"][0]["id"]
    for body in ({"url": "file:///etc/passwd"}, {"events": []}, {"events": ["nope"]}, {"url": None}):
        assert_error(api.put(f"/v1/webhooks/{webhook_id}", json=body), 422, "validation_error")
    for limit in (0, 101):
        assert_error(api.get(f"/v1/webhooks/{webhook_id}/deliveries", params={"limit": limit}), 422, "validation_error")
    assert attempts(api, webhook_id) == []


def test_openapi_documents_the_routes_and_their_errors(octopost: OctopostProcess) -> None:
    spec = httpx.get(f"{octopost.url}/schema/openapi.json").json()
    paths = spec["paths"]
    assert {"post", "get"} <= set(paths["/v1/webhooks"])
    assert {"get", "put", "delete"} <= set(paths["/v1/webhooks/{webhook_id}"])
    assert "404" in paths["/v1/webhooks/{webhook_id}/rotate-secret"]["post"]["responses"]
    assert "422" in paths["/v1/webhooks/{webhook_id}/deliveries"]["get"]["responses"]
