"""What tests of the API share: creating a post over HTTP."""

from __future__ import annotations

import httpx


def create(api: httpx.Client, **fields: object) -> dict:
    """A post created through the API (a draft to Mastodon unless ``fields`` say otherwise): its JSON."""
    body = {"content": "Hello from Octopost", "platforms": ["mastodon"], **fields}
    response = api.post("/v1/posts", json=body)
    assert response.status_code == 201, response.text
    return response.json()
