"""What the X adapter tests share: credentials for Prism and the OAuth 1.0a gateway, what our client sent, and
requests to publish."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from adapters.base import (
    MediaItem,
    Poll,
    PublishedRef,
    PublishRequest,
    ReplyPolicy,
    Segment,
)
from adapters.twitter import TwitterAdapter
from tests.peers.prism import SHARED

RECORDINGS = SHARED / "recordings" / "twitter"
OAUTH2 = {"access_token": "oauth2-user-token"}
BEARER = {"Authorization": f"Bearer {OAUTH2['access_token']}"}  # for requests a test sends X itself
OAUTH1 = {
    "consumer_key": "consumer-key",
    "consumer_secret": "consumer-secret",
    "access_token": "1072250532645998596-user-token",
    "access_token_secret": "user-token-secret",
}
TWEET_ID = re.compile(r"[0-9]{1,19}")
UPLOAD_STEPS = [
    ("POST", "/2/media/upload/initialize"),
    ("POST", "/2/media/upload/{id}/append"),
    ("POST", "/2/media/upload/{id}/finalize"),
    ("POST", "/2/media/metadata"),
]

MakeAdapter = Callable[..., TwitterAdapter]


class Sent:
    """What our httpx client sent (an event hook on the test's own client): method, path, auth scheme, JSON."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, str, Any]] = []

    async def __call__(self, request: httpx.Request) -> None:
        is_json = request.headers.get("content-type", "").startswith("application/json")
        body = httpx.Response(200, content=request.content).json() if is_json else None
        scheme = request.headers.get("authorization", "").split(" ")[0]
        self.requests.append((request.method, request.url.path, scheme, body))

    def steps(self) -> list[tuple[str, str]]:
        return [(method, re.sub(r"/upload/\d+/", "/upload/{id}/", path)) for method, path, _, _ in self.requests]


def request(
    text: str,
    *,
    media: tuple[MediaItem, ...] = (),
    parent: PublishedRef | None = None,
    root: PublishedRef | None = None,
    index: int | None = None,
    poll: Poll | None = None,
    reply_policy: ReplyPolicy | None = None,
) -> PublishRequest:
    """A segment as the publisher hands it over: the main post unless it has a ``parent`` (then segment 1, or
    ``index``; ``root`` is the parent unless given)."""
    index = (0 if parent is None else 1) if index is None else index
    return PublishRequest(
        segment=Segment(index, text, media),
        idempotency_key=f"k-{index}",
        root=root or parent,
        parent=parent,
        poll=poll,
        reply_policy=reply_policy,
    )


def assert_tweet(ref: PublishedRef, handle: str = "i") -> None:
    assert TWEET_ID.fullmatch(ref.id), ref
    assert ref.url == f"https://x.com/{handle}/status/{ref.id}"


AUTHS = pytest.mark.parametrize("credentials", [OAUTH2, OAUTH1], ids=["oauth2", "oauth1"])
