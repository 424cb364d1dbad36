"""Key scopes: every route names the scope it needs; a restricted key without it gets a 403 naming it."""

from __future__ import annotations

import subprocess

import httpx
import pytest

from octopost.keys.scopes import SCOPES
from tests.api.test_auth_and_errors import cli
from tests.api.test_posts import assert_error
from tests.peers.app import OCTOPOST, OctopostProcess

# (method, path, the scope it needs): every authenticated route of the posts and accounts APIs.
ROUTES = [
    ("GET", "/v1/posts", "posts:read"),
    ("POST", "/v1/posts", "posts:write"),
    ("POST", "/v1/posts/bulk", "posts:write"),
    ("GET", "/v1/posts/post_x", "posts:read"),
    ("PUT", "/v1/posts/post_x", "posts:write"),
    ("DELETE", "/v1/posts/post_x", "posts:write"),
    ("POST", "/v1/posts/post_x/publish", "posts:write"),
    ("POST", "/v1/posts/post_x/retry", "posts:write"),
    ("GET", "/v1/accounts", "accounts:read"),
    ("POST", "/v1/accounts", "accounts:write"),
    ("DELETE", "/v1/accounts/acc_x", "accounts:write"),
    ("GET", "/v1/webhooks", "webhooks:read"),
    ("POST", "/v1/webhooks", "webhooks:write"),
    ("GET", "/v1/webhooks/wh_x", "webhooks:read"),
    ("PUT", "/v1/webhooks/wh_x", "webhooks:write"),
    ("DELETE", "/v1/webhooks/wh_x", "webhooks:write"),
    ("POST", "/v1/webhooks/wh_x/rotate-secret", "webhooks:write"),
    ("GET", "/v1/webhooks/wh_x/deliveries", "webhooks:read"),
    ("GET", "/v1/presets", "presets:read"),
    ("POST", "/v1/presets", "presets:write"),
    ("GET", "/v1/presets/pre_x", "presets:read"),
    ("PUT", "/v1/presets/pre_x", "presets:write"),
    ("DELETE", "/v1/presets/pre_x", "presets:write"),
]
BODIES = {
    ("POST", "/v1/posts"): {"content": "scoped", "platforms": ["mastodon"]},
    ("POST", "/v1/posts/bulk"): [{"content": "scoped", "platforms": ["mastodon"]}],
    ("PUT", "/v1/posts/post_x"): {"content": "scoped"},
    ("POST", "/v1/accounts"): {"platform": "nope", "credentials": {}},
    ("POST", "/v1/webhooks"): {"url": "ftp://nope", "events": []},
    ("PUT", "/v1/webhooks/wh_x"): {"is_active": False},
    ("POST", "/v1/presets"): {"name": "", "platforms": []},
    ("PUT", "/v1/presets/pre_x"): {"name": "scoped"},
}


def call(client: httpx.Client, method: str, path: str) -> httpx.Response:
    return client.request(method, path, json=BODIES.get((method, path)))


@pytest.fixture(scope="module")
def keys(octopost: OctopostProcess) -> dict[str, httpx.Client]:
    """Per scope: a key with only that scope, and a key with every scope but that one (and its write)."""
    clients = {}
    for scope in SCOPES:
        clients[scope] = octopost.client(octopost.new_key("ws-scopes", scopes=[scope]))
        resource = scope.split(":")[0]
        others = [s for s in SCOPES if s != scope and not (scope.endswith(":read") and s == f"{resource}:write")]
        clients[f"not {scope}"] = octopost.client(octopost.new_key("ws-scopes", scopes=others))
    return clients


@pytest.mark.parametrize(("method", "path", "needed"), ROUTES)
def test_each_route_needs_its_scope(method: str, path: str, needed: str, keys: dict[str, httpx.Client]) -> None:
    body = assert_error(call(keys[f"not {needed}"], method, path), 403, "forbidden", needed)
    assert body["details"]["required_scope"] == needed
    assert needed not in body["details"]["key_scopes"]
    allowed = call(keys[needed], method, path)
    assert allowed.status_code != 403, allowed.text  # past the scope check (404, 422, … for these inputs)


def test_write_includes_read(keys: dict[str, httpx.Client]) -> None:
    writer = keys["posts:write"]
    created = writer.post("/v1/posts", json={"content": "mine", "platforms": ["mastodon"]})
    assert created.status_code == 201
    assert writer.get(f"/v1/posts/{created.json()['id']}").status_code == 200
    assert writer.get("/v1/posts").status_code == 200
    assert_error(writer.get("/v1/accounts"), 403, "forbidden", "accounts:read")
    # A read key sees what others of its workspace wrote, and cannot change it.
    reader = keys["posts:read"]
    assert reader.get(f"/v1/posts/{created.json()['id']}").json()["content"] == "mine"
    assert_error(reader.delete(f"/v1/posts/{created.json()['id']}"), 403, "forbidden", "posts:write")
    assert writer.get(f"/v1/posts/{created.json()['id']}").status_code == 200  # still there


def test_a_restricted_key_cannot_reach_a_route_without_declared_scope_or_another_resource(
    keys: dict[str, httpx.Client],
) -> None:
    # The webhooks routes need webhooks:read / webhooks:write (or, while undeclared, a full-access key).
    assert_error(keys["posts:write"].get("/v1/webhooks"), 403, "forbidden")
    assert_error(keys["accounts:write"].post("/v1/webhooks", json={}), 403, "forbidden")


def test_full_access_keys_and_authentication_come_first(octopost: OctopostProcess) -> None:
    full = octopost.client(workspace="ws-scopes-full")
    for method, path, _ in ROUTES:
        assert call(full, method, path).status_code != 403
    assert_error(httpx.post(f"{octopost.url}/v1/posts", json={}), 401, "unauthorized")  # 401 before 403


def test_cli_validates_scope_names_and_makes_scoped_test_keys(octopost: OctopostProcess) -> None:
    refused = subprocess.run(
        [str(OCTOPOST), "keys", "create", "--name", "bad", "--scope", "posts:read", "--scope", "posts:delete"],
        env=octopost.env,
        cwd=octopost.data_dir,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2
    assert "posts:delete" in refused.stderr
    assert "accounts:write" in refused.stderr  # the valid names are listed

    out = cli(
        octopost, "keys", "create", "--name", "ci", "--workspace", "ws-scopes-cli", "--test", "--scope", "posts:read"
    )
    secret = out.strip().splitlines()[-1]
    assert secret.startswith("oct_test_")
    client = octopost.client(secret)
    assert client.get("/v1/posts").status_code == 200
    assert_error(client.post("/v1/posts", json={"content": "x", "platforms": ["mastodon"]}), 403, "forbidden")
    listed = next(line for line in cli(octopost, "keys", "list").splitlines() if "ws-scopes-cli" in line)
    assert "\ttest\tposts:read\t" in listed
