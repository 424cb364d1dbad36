"""What the Discord adapter tests share: credentials for Prism and the fake, what our own httpx client sent (JSON
or multipart, read back as Discord would), and requests to publish."""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from adapters.base import MediaItem, Poll, PublishedRef, PublishRequest, Segment
from adapters.discord import DiscordAdapter
from octopost.ids import new_tid
from tests.fakes.discord import CHANNEL_ID
from tests.peers.prism import PrismPeer

SNOWFLAKE = re.compile(r"0|[1-9][0-9]*")  # the spec's SnowflakeType
PRISM_CHANNEL = "123456789012345678"
PRISM_CREDENTIALS = {"bot_token": "prism-bot-token", "channel_id": PRISM_CHANNEL}
GUILD = "987654321098765432"  # a stored guild id: no channel lookup before posting
PRISM_WITH_GUILD = {**PRISM_CREDENTIALS, "guild_id": GUILD}
FAKE_CREDENTIALS = {"bot_token": "fake-bot-token", "channel_id": CHANNEL_ID}

MakeAdapter = Callable[..., DiscordAdapter]


@dataclass
class Part:
    name: str
    filename: str | None
    content_type: str
    data: bytes


@dataclass
class SentRequest:
    method: str
    path: str
    headers: httpx.Headers
    json: Any = None  # a JSON body, or the payload_json part of a multipart one
    parts: list[Part] = field(default_factory=list)  # a multipart body's parts, in order


class Sent:
    """What our httpx client sent (an event hook on the test's own client)."""

    def __init__(self) -> None:
        self.requests: list[SentRequest] = []

    async def __call__(self, request: httpx.Request) -> None:
        content = request.read()  # bytes bodies (ours): reading them here leaves them sendable
        content_type = request.headers.get("content-type", "")
        sent = SentRequest(request.method, request.url.path, request.headers)
        if content_type.startswith("application/json"):
            sent.json = json.loads(content)
        elif content_type.startswith("multipart/form-data"):
            sent.parts = _parts(content_type, content)
            payload = next((p for p in sent.parts if p.name == "payload_json"), None)
            sent.json = json.loads(payload.data) if payload else None
        self.requests.append(sent)

    def steps(self) -> list[tuple[str, str]]:
        return [(r.method, r.path) for r in self.requests]

    def clear(self) -> None:
        self.requests.clear()


def _parts(content_type: str, content: bytes) -> list[Part]:
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + content)
    parts = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        name = part.get_param("name", header="content-disposition")
        assert isinstance(name, str)
        assert isinstance(payload, bytes)
        parts.append(Part(name, part.get_filename(), part.get_content_type(), payload))
    return parts


def request(
    text: str,
    *,
    index: int = 0,
    media: tuple[MediaItem, ...] = (),
    root: PublishedRef | None = None,
    parent: PublishedRef | None = None,
    key: str | None = None,
    poll: Poll | None = None,
) -> PublishRequest:
    return PublishRequest(
        segment=Segment(index, text, media),
        idempotency_key=key or new_tid(),
        root=root,
        parent=parent or root,
        poll=poll,
    )


async def publish_thread(adapter: DiscordAdapter, texts: list[str]) -> list[PublishedRef]:
    """The segments in order, each with the main message as root and the one before as parent (as the publisher)."""
    refs: list[PublishedRef] = []
    for index, text in enumerate(texts):
        root = refs[0] if refs else None
        parent = refs[-1] if refs else None
        refs.append(await adapter.publish(request(text, index=index, root=root, parent=parent)))
    return refs


def message_url(guild: str, channel: str, message: str) -> str:
    return f"https://discord.com/channels/{guild}/{channel}/{message}"


async def assert_payload_passes_the_spec(http: httpx.AsyncClient, prism: PrismPeer, payload: Any) -> None:
    """Prism does not look inside a multipart body's ``payload_json`` part: post its JSON on its own, where Prism
    checks it against MessageCreateRequest."""
    since = prism.log_offset()
    alone = await http.post(
        f"{prism.url}/channels/{PRISM_CHANNEL}/messages",
        content=json.dumps(payload),
        headers={"Authorization": f"Bot {PRISM_CREDENTIALS['bot_token']}", "Content-Type": "application/json"},
    )
    assert alone.status_code == 200, prism.request_violations(since)
    assert prism.request_violations(since) == []
