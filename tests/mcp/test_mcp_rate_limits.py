"""/mcp shares the REST API's rate limits per key: every HTTP request counts against the general budget (a 429 in
the envelope past it, before the SDK reads the request), and publish_post / retry_post also count against the
publish budget as their REST routes do (a rate_limited tool error past it)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.api.test_posts import assert_error
from tests.mcp.support import INITIALIZE, JSON_RPC_HEADERS, answer, mcp_client, refusal, sandbox_workspace
from tests.peers.app import OctopostProcess, make_octopost

LIMIT = 12
PUBLISH_LIMIT = 1


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OctopostProcess]:
    service = make_octopost(
        tmp_path_factory.mktemp("mcp-limited"),
        OCTOPOST_RATE_LIMIT_PER_MINUTE=str(LIMIT),
        OCTOPOST_PUBLISH_RATE_LIMIT_PER_MINUTE=str(PUBLISH_LIMIT),
    ).start()
    yield service
    service.stop()


def test_past_the_general_budget_each_request_is_a_429_in_the_envelope(limited: OctopostProcess) -> None:
    headers = {**JSON_RPC_HEADERS, "Authorization": f"Bearer {limited.new_key('ws-mcp-budget')}"}
    answers = [httpx.post(f"{limited.url}/mcp", json=INITIALIZE, headers=headers) for _ in range(LIMIT + 1)]
    assert [a.status_code for a in answers] == [200] * LIMIT + [429]
    assert [int(a.headers["x-ratelimit-remaining"]) for a in answers[:2]] == [LIMIT - 1, LIMIT - 2]
    refused = assert_error(answers[-1], 429, "rate_limited", f"{LIMIT} requests per minute")
    assert refused["details"]["retry_after"] >= 1
    assert int(answers[-1].headers["retry-after"]) >= 1


async def test_publishes_count_against_the_publish_budget(limited: OctopostProcess) -> None:
    key, api = sandbox_workspace(limited, "ws-mcp-publish-budget")
    first, second = (api.post("/v1/posts", json={"content": n, "platforms": ["bluesky"]}).json() for n in "12")
    async with mcp_client(limited, key) as client:
        assert answer(await client.call_tool("publish_post", {"post_id": first["id"]}))["status"] == "publishing"
        refused = refusal(
            await client.call_tool("publish_post", {"post_id": second["id"]}), "rate_limited", "1 publishes per minute"
        )
    assert refused["details"]["limit"] == PUBLISH_LIMIT
    assert api.get(f"/v1/posts/{second['id']}").json()["status"] == "draft"  # refused before anything happened
