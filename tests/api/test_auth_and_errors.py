"""Keys (CLI), authentication, the error envelope everywhere, the OpenAPI document and /healthz."""

from __future__ import annotations

import subprocess

import httpx

from tests.api.test_posts import assert_error
from tests.peers.app import OCTOPOST, OctopostProcess


def cli(octopost: OctopostProcess, *args: str) -> str:
    done = subprocess.run(
        [str(OCTOPOST), *args], env=octopost.env, cwd=octopost.data_dir, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_keys_cli_create_list_revoke(octopost: OctopostProcess) -> None:
    out = cli(octopost, "keys", "create", "--name", "laptop", "--workspace", "cli-ws")
    key = out.strip().splitlines()[-1]
    assert key.startswith("oct_live_")
    assert len(key) > 40
    client = httpx.Client(base_url=octopost.url, headers={"Authorization": f"Bearer {key}"})
    assert client.get("/v1/posts").status_code == 200
    listing = cli(octopost, "keys", "list")
    assert key not in listing  # only a prefix is ever shown
    key_id = next(line.split("\t")[0] for line in listing.splitlines() if "cli-ws" in line)
    # Only the hash is stored: the secret is nowhere in the database file.
    assert key.encode() not in (octopost.data_dir / "octopost.db").read_bytes()
    cli(octopost, "keys", "revoke", key_id)
    assert_error(client.get("/v1/posts"), 401, "unauthorized", "revoked")
    client.close()


def test_missing_unknown_and_malformed_keys_get_401(octopost: OctopostProcess) -> None:
    url = f"{octopost.url}/v1/posts"
    assert_error(httpx.get(url), 401, "unauthorized", "Missing Authorization")
    assert_error(httpx.get(url, headers={"Authorization": "Bearer oct_live_nope"}), 401, "unauthorized")
    assert_error(httpx.get(url, headers={"Authorization": "Basic abc"}), 401, "unauthorized")
    assert_error(httpx.get(f"{octopost.url}/v1/accounts"), 401, "unauthorized")
    response = httpx.post(url, json={"content": "x", "platforms": ["mastodon"]})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_envelope_for_malformed_bodies_and_routes(api: httpx.Client) -> None:
    headers = {"Content-Type": "application/json"}
    assert_error(api.post("/v1/posts", content=b'{"content": "x",', headers=headers), 400, "bad_request")
    assert_error(api.post("/v1/posts", content=b"[1, 2]", headers=headers), 422, "validation_error")
    assert_error(
        api.post("/v1/posts", content=b"content=x", headers={"Content-Type": "application/x-www-form-urlencoded"}),
        415,
        "bad_request",
        "application/json",
    )
    assert_error(api.post("/v1/posts", json={"content": 5, "platforms": "twitter"}), 422, "validation_error")
    assert_error(api.post("/v1/posts", json={"content": "x", "platforms": [1]}), 422, "validation_error")
    assert_error(api.post("/v1/posts", json={"content": "x", "platforms": ["x"], "media": 3}), 422, "validation_error")
    assert_error(api.get("/v1/nothing-here"), 404, "not_found")
    assert_error(api.patch("/v1/posts", json={}), 405, "bad_request")
    assert_error(api.get("/v1/posts", params={"limit": "many"}), 422, "validation_error", "limit")
    for path in ("/v1/posts", "/v1/accounts", "/v1/webhooks"):  # an empty body says so, not "'data'"
        assert_error(api.post(path, content=b"", headers=headers), 400, "bad_request", "Request body is empty")


def test_openapi_document_describes_routes_and_errors(octopost: OctopostProcess) -> None:
    schema = httpx.get(f"{octopost.url}/schema/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/v1/posts",
        "/v1/posts/{post_id}",
        "/v1/posts/{post_id}/publish",
        "/v1/accounts",
        "/v1/accounts/{account_id}",
        "/healthz",
    ):
        assert path in paths, sorted(paths)
    create = paths["/v1/posts"]["post"]
    assert {"201", "401", "422"} <= set(create["responses"])
    assert "PostCreate" in str(create["requestBody"])
    assert {"404", "409", "422"} <= set(paths["/v1/posts/{post_id}/publish"]["post"]["responses"])
    assert "BearerAuth" in schema["components"]["securitySchemes"]
    assert httpx.get(f"{octopost.url}/schema").status_code == 200  # the docs UI


def test_healthz_reports_database_and_scheduler(octopost: OctopostProcess) -> None:
    response = httpx.get(f"{octopost.url}/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "status": "ok",
        "worker": body["worker"],
        "checks": {"database": "ok", "schema": "ok", "scheduler": "ok", "oldest_overdue_seconds": 0.0},
    }
    assert body["worker"].split(":")[1] == str(octopost.process.pid if octopost.process else "")  # host:pid:random
