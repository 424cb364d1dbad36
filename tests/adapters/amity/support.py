"""What the Amity adapter tests share: credentials, what our own httpx client sent (JSON bodies, multipart parts),
requests to publish (a thread as the publisher links it: every comment on the main post), and reading back what
the fake holds through Amity's own GET routes."""

from __future__ import annotations

import email.parser
import email.policy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from adapters.amity import AmityAdapter
from adapters.base import MediaItem, Poll, PublishedRef, PublishRequest, Segment
from adapters.options import PlatformOptions
from octopost.ids import new_tid
from tests.fakes.running import RunningFake

TOKEN = "carol-session-token"
CREDENTIALS = {"access_token": TOKEN}

MakeAdapter = Callable[..., AmityAdapter]


@dataclass
class SentRequest:
    method: str
    path: str
    authorization: str
    json: Any = None
    parts: list[tuple[str, str | None, str]] = field(default_factory=list)  # (name, filename, content type)


class Sent:
    """What our httpx client sent (an event hook on the test's own client)."""

    def __init__(self) -> None:
        self.requests: list[SentRequest] = []

    async def __call__(self, request: httpx.Request) -> None:
        content = request.read()
        content_type = request.headers.get("content-type", "")
        sent = SentRequest(request.method, request.url.path, request.headers.get("authorization", ""))
        if content_type.startswith("application/json"):
            sent.json = json.loads(content)
        elif content_type.startswith("multipart/form-data"):
            head = f"Content-Type: {content_type}\r\n\r\n".encode()
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + content)
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                sent.parts.append((str(name), part.get_filename(), part.get_content_type()))
        self.requests.append(sent)

    def steps(self) -> list[tuple[str, str]]:
        return [(r.method, r.path) for r in self.requests]

    def body_of(self, method: str, path: str) -> Any:
        """The JSON body of the last such request."""
        return next(r.json for r in reversed(self.requests) if (r.method, r.path) == (method, path))


def request(
    text: str,
    *,
    index: int = 0,
    media: tuple[MediaItem, ...] = (),
    root: PublishedRef | None = None,
    key: str | None = None,
    poll: Poll | None = None,
    options: PlatformOptions | None = None,
) -> PublishRequest:
    """A segment as the publisher hands it for comment_on_main: a comment's root and parent are the main post."""
    return PublishRequest(
        segment=Segment(index, text, media),
        idempotency_key=key or new_tid(),
        root=root,
        parent=root,
        poll=poll,
        options=options,
    )


def fetch(fake: RunningFake, path: str, token: str = TOKEN) -> Any:
    """A GET on the fake as the user of ``token`` (Amity's own routes: posts, comments, files)."""
    response = httpx.get(f"{fake.url}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def video() -> MediaItem:
    """A tiny MP4 (its ftyp box is what Amity's video upload looks at)."""
    data = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(64)
    return MediaItem(data=data, content_type="video/mp4", kind="video")
