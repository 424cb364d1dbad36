"""X end to end through `octopost serve`: connect over /v1/accounts, publish a thread, read back post URLs that
name the account (X's create answer carries no handle, so the stored account's must reach the adapter).

Against Prism serving X's own v2 spec (every request must pass it; Prism invents lorem-ipsum handles, mostly
not valid ones, so the URLs fall back to x.com/i/status), and against the X fake (a real handle)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.fakes.running import running_fake
from tests.peers.prism import PrismPeer
from tests.scheduler.flows import connect, publish, wait_for_status

_HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")


@pytest.fixture
def x_fake_url(tmp_path: Path) -> Iterator[str]:
    with running_fake("twitter", tmp_path) as fake:
        yield fake.url


def publish_thread(api: httpx.Client, base_url: str) -> tuple[dict, dict]:
    account = connect(api, "twitter", base_url, {"access_token": "oauth2-user-token"})
    assert account["platform"] == "twitter"
    assert account["id"].startswith("acc_")
    assert "oauth2-user-token" not in str(account)  # never the credentials
    post_id = publish(api, "twitter", "X, main", segments=[{"content": "X, reply"}])
    done = wait_for_status(api, post_id, "published", "failed", timeout=60)
    result = done["platform_results"]["twitter"]
    assert done["status"] == "published", result
    assert result["success"] is True
    assert len(result["segments"]) == 2
    return account, result


def urls_name(result: dict, handle: str) -> bool:
    return all(
        s["post_url"] == f"https://x.com/{handle}/status/{s['post_id']}" for s in [result, *result["segments"]]
    )


def test_x_thread_through_the_api_passes_the_spec(api: httpx.Client, prism_x: PrismPeer) -> None:
    since = prism_x.log_offset()
    account, result = publish_thread(api, prism_x.url)
    handle = account["username"]  # Prism's invention: mostly lorem ipsum with spaces, not a valid handle
    assert urls_name(result, handle if _HANDLE.fullmatch(handle) else "i")
    assert prism_x.request_violations(since) == []  # every request we sent passed X's spec


def test_x_post_urls_name_the_connected_account(api: httpx.Client, x_fake_url: str) -> None:
    account, result = publish_thread(api, x_fake_url)
    assert _HANDLE.fullmatch(account["username"]), account
    assert urls_name(result, account["username"])
