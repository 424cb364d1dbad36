"""/mcp through the SDK's own client over HTTP against `octopost serve`: the tools and their schemas, the same
answers as the REST API (same services, same JSON), the same keys and scopes, and the envelope's words in errors.

Both protocol eras the SDK speaks are exercised: its newest (per-request, no handshake) and the initialize
handshake the agents of today use.
"""

from __future__ import annotations

import httpx
import pytest

from tests.api.test_posts import assert_error
from tests.mcp.support import (
    INITIALIZE,
    JSON_RPC_HEADERS,
    TOOL_NAMES,
    answer,
    mcp_client,
    refusal,
    sandbox_workspace,
)
from tests.peers.app import OctopostProcess
from tests.scheduler.flows import in_seconds, wait_for_status


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_the_tools_are_listed_with_their_schemas_and_scopes(octopost: OctopostProcess, mode: str) -> None:
    async with mcp_client(octopost, octopost.new_key("ws-mcp-list"), mode) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert set(tools) == TOOL_NAMES
    for tool in tools.values():
        assert tool.input_schema["type"] == "object", tool.name
        assert tool.output_schema is not None, tool.name
        assert tool.output_schema["type"] == "object", tool.name
        assert "scope" in (tool.description or ""), tool.name
    create = tools["create_post"].input_schema
    assert {"content", "platforms", "scheduled_for", "segments", "media"} <= set(create["properties"])
    assert create["required"] == ["content"]
    assert tools["get_post"].input_schema["required"] == ["post_id"]
    assert "posts:write" in (tools["create_post"].description or "")
    assert "posts:read" in (tools["get_post"].description or "")
    assert "accounts:read" in (tools["list_accounts"].description or "")
    hints = tools["get_post"].annotations
    assert hints is not None
    assert hints.read_only_hint is True


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_validate_reports_a_text_over_a_platform_s_limit_as_rest_does(
    octopost: OctopostProcess, mode: str
) -> None:
    key, api = sandbox_workspace(octopost, f"ws-mcp-validate-{mode}")
    body = {"content": "é" * 301, "platforms": ["bluesky", "mastodon"]}
    async with mcp_client(octopost, key, mode) as client:
        preview = answer(await client.call_tool("validate_post", body))
    assert preview["valid"] is False
    bluesky = preview["platforms"]["bluesky"]
    assert bluesky["valid"] is False
    assert bluesky["segments"][0] == {"index": 0, "count": 301, "limit": 300, "unit": "graphemes", "remaining": -1}
    assert any("limit is 300" in problem for problem in bluesky["problems"]), bluesky["problems"]
    assert preview["platforms"]["mastodon"]["valid"] is True
    assert preview == api.post("/v1/posts/validate", json=body).json()  # one code path, one JSON
    assert api.get("/v1/posts").json()["total"] == 0  # nothing stored


async def test_a_scheduled_post_is_read_back_by_the_tools_and_by_rest(octopost: OctopostProcess) -> None:
    key, api = sandbox_workspace(octopost, "ws-mcp-schedule")
    when = in_seconds(3600)
    async with mcp_client(octopost, key) as client:
        created = answer(
            await client.call_tool(
                "create_post", {"content": "Launch day", "platforms": ["bluesky", "mastodon"], "scheduled_for": when}
            )
        )
        assert created["status"] == "scheduled"
        assert created["id"].startswith("post_")
        got = answer(await client.call_tool("get_post", {"post_id": created["id"]}))
        page = answer(await client.call_tool("list_posts", {"status": "scheduled", "limit": 5}))
        drafts = answer(await client.call_tool("list_posts", {"status": "draft"}))
    rest = api.get(f"/v1/posts/{created['id']}")
    assert rest.status_code == 200
    assert got == rest.json() == created
    assert got["content"] == "Launch day"
    assert got["platforms"] == ["bluesky", "mastodon"]
    assert got["scheduled_for"][:19] == when[:19]
    assert page == api.get("/v1/posts", params={"status": "scheduled", "limit": 5}).json()
    assert [p["id"] for p in page["posts"]] == [created["id"]]
    assert page["total"] == 1
    assert drafts == {"posts": [], "total": 0}


async def test_a_key_without_posts_write_is_refused_writes_but_reads(octopost: OctopostProcess) -> None:
    _, api = sandbox_workspace(octopost, "ws-mcp-scopes")
    draft = api.post("/v1/posts", json={"content": "A draft", "platforms": ["bluesky"]}).json()
    reader = octopost.new_key("ws-mcp-scopes", mode="test", scopes=["posts:read"])
    async with mcp_client(octopost, reader) as client:
        refused = refusal(
            await client.call_tool("create_post", {"content": "Not allowed", "platforms": ["bluesky"]}),
            "forbidden",
            "posts:write",
        )
        assert refused["details"] == {"required_scope": "posts:write", "key_scopes": ["posts:read"]}
        refusal(await client.call_tool("publish_post", {"post_id": draft["id"]}), "forbidden", "posts:write")
        refusal(await client.call_tool("retry_post", {"post_id": draft["id"]}), "forbidden", "posts:write")
        refusal(await client.call_tool("list_accounts", {}), "forbidden", "accounts:read")
        assert answer(await client.call_tool("get_post", {"post_id": draft["id"]}))["content"] == "A draft"
        assert answer(await client.call_tool("list_posts", {}))["total"] == 1
        assert answer(await client.call_tool("validate_post", {"content": "Fine", "platforms": ["bluesky"]}))["valid"]
    rest_refusal = api.post("/v1/posts", json={"content": "x", "platforms": ["bluesky"]}, headers=_bearer(reader))
    assert assert_error(rest_refusal, 403, "forbidden")["error"] == refused["error"]  # the same words as REST
    assert api.get("/v1/posts").json()["total"] == 1  # nothing was created
    assert api.get(f"/v1/posts/{draft['id']}").json()["status"] == "draft"  # nor published


async def test_another_workspace_s_post_is_not_found(octopost: OctopostProcess) -> None:
    _, owner = sandbox_workspace(octopost, "ws-mcp-owner")
    post = owner.post("/v1/posts", json={"content": "Mine", "platforms": ["bluesky"]}).json()
    stranger, _ = sandbox_workspace(octopost, "ws-mcp-stranger")
    async with mcp_client(octopost, stranger) as client:
        for tool in ("get_post", "publish_post", "retry_post"):
            refusal(await client.call_tool(tool, {"post_id": post["id"]}), "not_found", post["id"])
        assert answer(await client.call_tool("list_posts", {})) == {"posts": [], "total": 0}
    assert owner.get(f"/v1/posts/{post['id']}").json()["status"] == "draft"


async def test_arguments_of_the_wrong_shape_are_validation_errors(octopost: OctopostProcess) -> None:
    key, _ = sandbox_workspace(octopost, "ws-mcp-shapes")
    async with mcp_client(octopost, key) as client:
        refusal(await client.call_tool("create_post", {"content": 5}), "validation_error", "content")
        refusal(await client.call_tool("get_post", {}), "validation_error", "post_id")
        refusal(await client.call_tool("get_post", {"post_id": "p", "extra": 1}), "validation_error", "extra")
        too_many = refusal(await client.call_tool("list_posts", {"limit": 500}), "validation_error")
        assert too_many["details"]["errors"] == ["limit: must be between 1 and 100"]  # the REST API's words
        past = refusal(
            await client.call_tool(
                "create_post", {"content": "Late", "platforms": ["bluesky"], "scheduled_for": "2001-01-01T00:00:00Z"}
            ),
            "validation_error",
        )
        assert any("scheduled_for" in problem for problem in past["details"]["errors"])
        refusal(await client.call_tool("delete_everything", {}), "not_found", "delete_everything")


async def test_queue_slots_publish_and_retry(octopost: OctopostProcess) -> None:
    key, api = sandbox_workspace(octopost, "ws-mcp-publish")
    days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    api.put("/v1/queue", json={"timezone": "UTC", "slots": [{"day": d, "time": "09:00"} for d in days]})
    async with mcp_client(octopost, key) as client:
        slots = answer(await client.call_tool("queue_slots", {"count": 2}))
        assert slots == api.get("/v1/queue/next", params={"count": 2}).json()
        assert len(slots["slots"]) == 2
        queued = answer(
            await client.call_tool(
                "create_post", {"content": "Queued", "platforms": ["mastodon"], "scheduled_for": "next_free_slot"}
            )
        )
        assert queued["scheduled_for"] == slots["slots"][0]["scheduled_for"]

        accounts = answer(await client.call_tool("list_accounts", {"platform": "mastodon"}))
        assert accounts == api.get("/v1/accounts", params={"platform": "mastodon"}).json()
        assert [a["platform"] for a in accounts["accounts"]] == ["mastodon"]

        draft = answer(await client.call_tool("create_post", {"content": "Now", "platforms": ["bluesky", "mastodon"]}))
        assert draft["status"] == "draft"
        publishing = answer(await client.call_tool("publish_post", {"post_id": draft["id"]}))
        assert publishing["status"] == "publishing"
        published = wait_for_status(api, draft["id"], "published", "failed")
        assert published["status"] == "published", published
        assert all(r["success"] for r in published["platform_results"].values())
        assert answer(await client.call_tool("get_post", {"post_id": draft["id"]})) == published
        refusal(await client.call_tool("retry_post", {"post_id": draft["id"]}), "conflict")
        refusal(await client.call_tool("publish_post", {"post_id": draft["id"]}), "conflict")


def test_no_key_or_a_bad_key_is_a_401_in_the_envelope(octopost: OctopostProcess) -> None:
    url = f"{octopost.url}/mcp"
    missing = httpx.post(url, json=INITIALIZE, headers=JSON_RPC_HEADERS)
    assert assert_error(missing, 401, "unauthorized", "Authorization")
    assert missing.headers["www-authenticate"] == "Bearer"
    for bad in ("oct_live_" + "x" * 43, "not-a-key"):
        refused = httpx.post(url, json=INITIALIZE, headers={**JSON_RPC_HEADERS, **_bearer(bad)})
        assert_error(refused, 401, "unauthorized")
    fine = httpx.post(url, json=INITIALIZE, headers={**JSON_RPC_HEADERS, **_bearer(octopost.new_key("ws-mcp-401"))})
    assert fine.status_code == 200, fine.text
    assert fine.json()["result"]["serverInfo"]["name"] == "octopost"
    assert int(fine.headers["x-ratelimit-limit"]) > 0  # counted against the key's budget, as on /v1


def test_only_loopback_and_the_public_host_are_answered(octopost: OctopostProcess) -> None:
    """The SDK's DNS-rebinding check: a page on another site that makes a browser reach this service under its
    own name is refused, even with a key."""
    headers = {**JSON_RPC_HEADERS, **_bearer(octopost.new_key("ws-mcp-hosts"))}
    url = f"{octopost.url}/mcp"
    def status(**extra: str) -> int:
        return httpx.post(url, json=INITIALIZE, headers={**headers, **extra}).status_code

    assert status(Host="evil.example") == 421
    assert status(Origin="https://evil.example") == 403
    assert status(Host=f"localhost:{octopost.port}", Origin=f"http://localhost:{octopost.port}") == 200


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
