"""What tests of the API share: creating a post over HTTP, a post a platform cannot take refused when scheduled,
media uploaded through POST /v1/media, and a post driven through a platform's processing step."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

import httpx

from tests.fakes.running import RunningFake
from tests.peers.app import OctopostProcess
from tests.scheduler.flows import in_seconds, make_all_due


def create(api: httpx.Client, **fields: object) -> dict:
    """A post created through the API (a draft to Mastodon unless ``fields`` say otherwise): its JSON."""
    body = {"content": "Hello from Octopost", "platforms": ["mastodon"], **fields}
    response = api.post("/v1/posts", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def assert_refused_when_scheduled(
    api: httpx.Client, fake: RunningFake, platform: str, fields: dict[str, Any], problem: str
) -> None:
    """A post to ``platform`` with ``fields``, scheduled in an hour: a 422 saying ``problem``, no post stored, and
    nothing reaching the platform (the test's workspace is its own: it holds no other post)."""
    before = fake.stats()["requests"]
    body = {"content": "Fits", "platforms": [platform], "scheduled_for": in_seconds(3600)} | fields

    answer = api.post("/v1/posts", json=body)

    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "validation_error"
    assert problem in answer.text, answer.text
    assert api.get("/v1/posts").json()["total"] == 0
    assert fake.stats()["requests"] == before
    assert fake.created() == []


def upload_media(api: httpx.Client, data: bytes, content_type: str) -> str:
    """Our URL of an upload (the adapter hands platforms that fetch media its signed public twin)."""
    response = api.post("/v1/media", files={"file": ("picture", data, content_type)})
    assert response.status_code == 201, response.text
    return str(response.json()["url"])


def target_status(service: OctopostProcess, post_id: str) -> str:
    """The status of the post's one target ("" before it has one)."""
    path = service.database_url.removeprefix("sqlite+aiosqlite:///")
    with sqlite3.connect(path, timeout=30) as conn:
        row = conn.execute("SELECT status FROM target WHERE post_id = ?", (post_id,)).fetchone()
    return str(row[0]) if row else ""


def settled_through_processing(
    service: OctopostProcess, api: httpx.Client, post_id: str, *, timeout: float = 60
) -> dict[str, Any]:
    """The post once published or failed, its target made due whenever it waits for the platform's processing
    (flows.make_all_due: the platforms' advised delays between status checks are not slept through)."""
    deadline = time.monotonic() + timeout
    last: dict[str, Any] = {}
    while time.monotonic() < deadline:
        last = api.get(f"/v1/posts/{post_id}").json()
        if last.get("status") in ("published", "failed"):
            return last
        if target_status(service, post_id) == "pending":
            make_all_due(service.database_url)
        time.sleep(0.1)  # polling interval
    raise AssertionError(f"post {post_id} did not settle within {timeout}s; last seen: {last}")
