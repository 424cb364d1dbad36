"""Helpers for end-to-end tests: connect accounts over the API, wait for outcomes, read the ledger and peers."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx


def connect(api: httpx.Client, platform: str, base_url: str, credentials: dict[str, str]) -> dict[str, Any]:
    response = api.post("/v1/accounts", json={"platform": platform, "base_url": base_url, "credentials": credentials})
    assert response.status_code == 201, response.text
    return dict(response.json())


def in_seconds(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")


def wait_for_status(api: httpx.Client, post_id: str, *statuses: str, timeout: float = 60) -> dict[str, Any]:
    """Poll the post until its status is one of ``statuses`` (a deadline, not a sleep)."""
    deadline = time.monotonic() + timeout
    last: dict[str, Any] = {}
    while time.monotonic() < deadline:
        last = api.get(f"/v1/posts/{post_id}").json()
        if last.get("status") in statuses:
            return last
        time.sleep(0.1)  # polling interval
    raise AssertionError(f"post {post_id} did not reach {statuses} within {timeout}s; last seen: {last}")


def wait_for(condition, *, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)  # polling interval
    raise AssertionError(f"{what} did not happen within {timeout}s")


def ledger(db_path: Path, post_id: str) -> list[tuple[str, int, str, str | None]]:
    """(platform, segment index, state, remote id) of every delivery row of the post."""
    with sqlite3.connect(db_path, timeout=30) as conn:
        rows = conn.execute(
            "SELECT t.platform, d.segment_index, d.state, d.remote_id FROM delivery d "
            "JOIN target t ON t.id = d.target_id WHERE t.post_id = ? ORDER BY t.platform, d.segment_index",
            (post_id,),
        ).fetchall()
    return [(r[0], r[1], r[2], r[3]) for r in rows]
