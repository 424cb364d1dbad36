"""What tests of the API share: creating a post over HTTP, and a post a platform cannot take refused when
scheduled."""

from __future__ import annotations

from typing import Any

import httpx

from tests.fakes.running import RunningFake
from tests.scheduler.flows import in_seconds


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
