"""What the Slack adapter tests share: credentials for Prism and the fake, what our own httpx client sent (each
call's Slack method and its arguments, from the query string or the form), and requests to publish."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import httpx

from adapters.base import MediaItem, PublishedRef, PublishRequest, Segment
from adapters.slack import SlackAdapter
from octopost.ids import new_tid
from tests.fakes.running import RunningFake
from tests.fakes.slack import CHANNEL_ID

PRISM_TOKEN = "xoxb-prism-bot-token"
PRISM_CHANNEL = "C0PRISM0001"
PRISM_CREDENTIALS = {"bot_token": PRISM_TOKEN, "channel_id": PRISM_CHANNEL}
FAKE_TOKEN = "xoxb-fake-bot-token"
FAKE_CREDENTIALS = {"bot_token": FAKE_TOKEN, "channel_id": CHANNEL_ID}
TS = r"\d{10}\.\d{6}"  # the spec's defs_ts

MakeAdapter = Callable[..., SlackAdapter]


@dataclass
class SentRequest:
    method: str  # HTTP
    path: str  # "/chat.postMessage", or the upload URL's path
    headers: httpx.Headers
    arguments: dict[str, str]
    content: bytes


class Sent:
    """What our httpx client sent (an event hook on the test's own client)."""

    def __init__(self) -> None:
        self.requests: list[SentRequest] = []

    async def __call__(self, request: httpx.Request) -> None:
        content = request.read()
        arguments = dict(parse_qsl(request.url.query.decode(), keep_blank_values=True))
        if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            arguments.update(parse_qsl(content.decode(), keep_blank_values=True))
        self.requests.append(SentRequest(request.method, request.url.path, request.headers, arguments, content))

    def steps(self) -> list[str]:
        return [
            r.path.rsplit("/", 1)[-1] if r.path.startswith("/upload/") else r.path.lstrip("/") for r in self.requests
        ]

    def calls(self, method: str) -> list[dict[str, str]]:
        return [r.arguments for r in self.requests if r.path == f"/{method}"]

    def clear(self) -> None:
        self.requests.clear()


def request(
    text: str,
    *,
    index: int = 0,
    media: tuple[MediaItem, ...] = (),
    root: PublishedRef | None = None,
    parent: PublishedRef | None = None,
) -> PublishRequest:
    return PublishRequest(
        segment=Segment(index, text, media), idempotency_key=new_tid(), root=root, parent=parent or root
    )


async def publish_thread(
    adapter: SlackAdapter, texts: list[str], media: dict[int, tuple[MediaItem, ...]] | None = None
) -> list[PublishedRef]:
    """The segments in order as the publisher links message_thread: root = the main message, parent = the one before."""
    refs: list[PublishedRef] = []
    for index, text in enumerate(texts):
        root, parent = (refs[0], refs[-1]) if refs else (None, None)
        segment = request(text, index=index, media=(media or {}).get(index, ()), root=root, parent=parent)
        refs.append(await adapter.publish(segment))
    return refs


def messages(fake: RunningFake) -> list[dict[str, Any]]:
    return list(fake.control("GET", "messages"))


def files(fake: RunningFake) -> list[dict[str, Any]]:
    return list(fake.control("GET", "files"))


def next_error(fake: RunningFake, method: str, error: str, *, applied: bool) -> None:
    fake.control("PUT", "next_error", {"method": method, "error": error, "applied": applied})
