"""Rate limits per API key, counted in the database: headers on every authenticated answer, 429 past the
budget, a separate budget for publishes, shared by every worker on one database."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from octopost.crypto import sha256_hex
from tests.api.test_posts import assert_error
from tests.peers.app import OctopostProcess, make_octopost

LIMIT = 5
PUBLISH_LIMIT = 2


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OctopostProcess]:
    service = make_octopost(
        tmp_path_factory.mktemp("limited"),
        OCTOPOST_RATE_LIMIT_PER_MINUTE=str(LIMIT),
        OCTOPOST_PUBLISH_RATE_LIMIT_PER_MINUTE=str(PUBLISH_LIMIT),
    ).start()
    yield service
    service.stop()


def limits(response: httpx.Response) -> tuple[int, int, int]:
    headers = response.headers
    return int(headers["x-ratelimit-limit"]), int(headers["x-ratelimit-remaining"]), int(headers["x-ratelimit-reset"])


def rewind_window(service: OctopostProcess, secret: str, seconds: float) -> None:
    """Move the key's current windows back in time (the clock, as the database sees it)."""
    with sqlite3.connect(service.data_dir / "octopost.db", timeout=30) as conn:
        conn.execute(
            "UPDATE rate_limit_counter SET window_start_ms = window_start_ms - ? "
            "WHERE key_id = (SELECT id FROM api_key WHERE secret_sha256 = ?)",
            (int(seconds * 1000), sha256_hex(secret)),
        )


def test_headers_count_down_to_a_429_with_retry_after(limited: OctopostProcess) -> None:
    api = limited.client(workspace="ws-countdown")
    started = time.time()
    seen = [api.get("/v1/posts") for _ in range(LIMIT - 1)]
    seen.append(api.get("/v1/posts/post_nope"))  # errors count, and carry the headers too
    assert [r.status_code for r in seen] == [200] * (LIMIT - 1) + [404]
    assert [limits(r)[:2] for r in seen] == [(LIMIT, LIMIT - n) for n in range(1, LIMIT + 1)]
    reset = limits(seen[0])[2]
    assert {limits(r)[2] for r in seen} == {reset}  # one window, anchored at the key's first request
    assert started + 59 <= reset <= time.time() + 61

    refused = api.post("/v1/posts", json={"content": "one too many", "platforms": ["mastodon"]})
    body = assert_error(refused, 429, "rate_limited", "5 requests per minute")
    details = body["details"]
    assert set(details) == {"limit", "remaining", "reset_at", "retry_after"}
    assert (details["limit"], details["remaining"]) == (LIMIT, 0)
    assert 1 <= details["retry_after"] <= 60
    assert int(refused.headers["retry-after"]) == details["retry_after"]
    assert limits(refused) == (LIMIT, 0, reset)
    assert abs(datetime.fromisoformat(details["reset_at"]).timestamp() - reset) <= 1
    assert api.get("/v1/posts").status_code == 429  # and it stays refused
    colleague = limited.client(workspace="ws-countdown")
    assert colleague.get("/v1/posts").json()["total"] == 0  # the refused request created nothing


def test_each_key_has_its_own_budget_and_a_new_window_restores_it(limited: OctopostProcess) -> None:
    secret = limited.new_key("ws-windows")
    api = limited.client(secret)
    for _ in range(LIMIT):
        api.get("/v1/posts")
    assert api.get("/v1/posts").status_code == 429
    other = limited.client(workspace="ws-windows")  # another key of the same workspace
    assert limits(other.get("/v1/posts"))[:2] == (LIMIT, LIMIT - 1)

    rewind_window(limited, secret, 61)  # a minute later
    fresh = api.get("/v1/posts")
    assert fresh.status_code == 200
    assert limits(fresh)[:2] == (LIMIT, LIMIT - 1)
    assert limits(fresh)[2] >= time.time() + 59


def test_publishes_have_their_own_lower_budget(limited: OctopostProcess) -> None:
    api = limited.client(workspace="ws-publish-budget")
    first = api.post("/v1/posts/post_nope/publish")
    assert first.status_code == 404
    assert limits(first)[:2] == (PUBLISH_LIMIT, PUBLISH_LIMIT - 1)
    assert limits(api.post("/v1/posts/post_nope/publish"))[:2] == (PUBLISH_LIMIT, 0)
    refused = api.post("/v1/posts/post_nope/publish")
    assert_error(refused, 429, "rate_limited", "2 publishes per minute")
    assert "retry-after" in refused.headers
    # The general budget is untouched by publishes, and the other way round.
    listed = api.get("/v1/posts")
    assert listed.status_code == 200
    assert limits(listed)[:2] == (LIMIT, LIMIT - 1)


def test_unauthenticated_answers_carry_no_rate_limit(limited: OctopostProcess) -> None:
    response = httpx.get(f"{limited.url}/v1/posts", headers={"Authorization": "Bearer oct_live_unknown"})
    assert response.status_code == 401
    assert "x-ratelimit-limit" not in response.headers


def test_workers_share_the_counters(database_url: str, tmp_path: Path) -> None:
    """Two processes on one database (SQLite file, or PostgreSQL) count one budget."""
    one = make_octopost(tmp_path, database_url, OCTOPOST_RATE_LIMIT_PER_MINUTE=str(LIMIT)).start("--no-scheduler")
    two = one.sibling().start("--no-scheduler")
    try:
        secret = one.new_key("ws-two-workers")
        here, there = one.client(secret), two.client(secret)
        remaining = [limits(client.get("/v1/posts"))[1] for client in (here, there, here, there, here)]
        assert remaining == [4, 3, 2, 1, 0]
        assert_error(there.get("/v1/posts"), 429, "rate_limited")
        # Many requests at once from both: exactly LIMIT of a fresh key's get through.
        fresh = one.new_key("ws-two-workers")
        clients = [one.client(fresh), two.client(fresh)]
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda n: clients[n % 2].get("/v1/posts").status_code, range(4 * LIMIT)))
        assert sorted(statuses) == [200] * LIMIT + [429] * (3 * LIMIT)
    finally:
        two.stop()
        one.stop()


def test_zero_turns_a_budget_off(tmp_path: Path) -> None:
    service = make_octopost(
        tmp_path, OCTOPOST_RATE_LIMIT_PER_MINUTE="0", OCTOPOST_PUBLISH_RATE_LIMIT_PER_MINUTE="1"
    ).start("--no-scheduler")
    try:
        api = service.client()
        for _ in range(LIMIT + 2):
            response = api.get("/v1/posts")
            assert response.status_code == 200
            assert "x-ratelimit-limit" not in response.headers
        assert limits(api.post("/v1/posts/post_nope/publish"))[:2] == (1, 0)
        assert api.post("/v1/posts/post_nope/publish").status_code == 429
    finally:
        service.stop()


def test_default_service_sends_the_default_budget(api: httpx.Client) -> None:
    assert limits(api.get("/v1/posts"))[:2] == (1200, 1199)


def test_a_bulk_import_counts_as_one_request(limited: OctopostProcess) -> None:
    api = limited.client(workspace="ws-bulk-budget")
    rows = [{"content": f"row {n}", "platforms": ["mastodon"]} for n in range(50)]

    answer = api.post("/v1/posts/bulk", json=rows)

    assert answer.status_code == 200, answer.text
    assert answer.json()["created"] == 50
    assert limits(answer)[:2] == (LIMIT, LIMIT - 1)  # fifty posts, one request of the key's budget
