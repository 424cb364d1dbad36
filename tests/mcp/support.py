"""The SDK's own client on /mcp of a running `octopost serve`, and readers of what its tools answer."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import httpx2
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client
from mcp_types import CallToolResult, TextContent

from tests.peers.app import OctopostProcess
from tests.scheduler.flows import connect

TOOL_NAMES = {
    "validate_post",
    "create_post",
    "publish_post",
    "list_posts",
    "get_post",
    "retry_post",
    "list_accounts",
    "queue_slots",
}
# A raw JSON-RPC opening, for what is answered before the SDK reads a request (keys, rate limits, hosts).
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}},
}
JSON_RPC_HEADERS = {"Accept": "application/json, text/event-stream"}


@asynccontextmanager
async def mcp_client(octopost: OctopostProcess, key: str, mode: str = "auto") -> AsyncIterator[Client]:
    """Connected as an agent would be: ``Authorization: Bearer <key>`` on every request. ``mode``: "auto" (the
    SDK's newest protocol) or "legacy" (the initialize handshake of the clients agents run today)."""
    async with (
        httpx2.AsyncClient(headers={"Authorization": f"Bearer {key}"}, timeout=30) as http,
        Client(streamable_http_client(f"{octopost.url}/mcp", http_client=http), mode=mode) as client,
    ):
        yield client


def _text(result: CallToolResult) -> str:
    (block,) = result.content
    assert isinstance(block, TextContent), block
    return block.text


def answer(result: CallToolResult) -> dict[str, Any]:
    """A successful call's JSON: its text and its structured content say the same."""
    assert not result.is_error, _text(result)
    body = json.loads(_text(result))
    assert body == result.structured_content
    return dict(body)


def refusal(result: CallToolResult, code: str, *fragments: str) -> dict[str, Any]:
    """A tool error carrying the REST error envelope with ``code`` (and these words in its message)."""
    assert result.is_error, _text(result)
    body = json.loads(_text(result))
    assert set(body) == {"error", "code", "details"}, body
    assert body["code"] == code, body
    for fragment in fragments:
        assert fragment in body["error"], body
    return dict(body)


def sandbox_workspace(octopost: OctopostProcess, workspace: str) -> tuple[str, httpx.Client]:
    """A test key (sandbox accounts: the platforms' real limits, no network) with Bluesky and Mastodon connected,
    and a REST client on the same key."""
    key = octopost.new_key(workspace=workspace, mode="test")
    api = octopost.client(key)
    connect(api, "bluesky", "https://bsky.social", {"identifier": "team.bsky.social", "password": "app-password"})
    connect(api, "mastodon", "https://mastodon.example", {"access_token": "sandbox-token"})
    return key, api
