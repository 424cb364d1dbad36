"""The fakes fetch media as Meta does: from the URL given, for real, over HTTP (a tiny server in the test)."""

from __future__ import annotations

from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class Fetched:
    url: str
    ok: bool
    content_type: str = ""
    size: int = 0
    problem: str = ""


async def fetch(url: str, accepted: frozenset[str]) -> Fetched:
    """The file at ``url``; not ``ok`` when it cannot be fetched or is not one of the ``accepted`` types."""
    if not url.startswith(("http://", "https://")):
        return Fetched(url, False, problem="not an HTTP URL")
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(url)
    except httpx.HTTPError as exc:
        return Fetched(url, False, problem=f"unreachable ({type(exc).__name__})")
    if response.status_code != 200:
        return Fetched(url, False, problem=f"HTTP {response.status_code}")
    content_type = response.headers.get("content-type", "").split(";")[0].strip()
    if content_type not in accepted:
        return Fetched(url, False, content_type, len(response.content), f"type {content_type or 'unknown'}")
    return Fetched(url, True, content_type, len(response.content))
