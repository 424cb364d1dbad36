"""What the Instagram adapter tests share: the fake account's credentials, media served from the test's media
server (Instagram fetches it), requests to publish, and what the fake made, published and commented."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from adapters.base import MediaItem, PublishedRef, PublishRequest, Segment
from adapters.instagram import InstagramAdapter
from octopost.ids import new_tid
from tests.fakes.instagram import USER_ID
from tests.fakes.running import RunningFake
from tests.peers.media_server import MediaServer

TOKEN = "IG-long-lived-token-of-the-fake-account"
CREDENTIALS = {"access_token": TOKEN, "user_id": USER_ID}
PUBLISH = "/{user}/media_publish"
# The start of a JPEG file (SOI, JFIF APP0): the fake, like Instagram's fetch, goes by the served type.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(64) + b"\xff\xd9"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(64)

MakeAdapter = Callable[..., InstagramAdapter]


def served(
    media_server: MediaServer, name: str, kind: str, *, alt: str | None = None, served_as: str | None = None
) -> MediaItem:
    """A file on the media server; ``served_as``: the type the server answers, when not the file's own."""
    content_type = "image/jpeg" if kind == "image" else "video/mp4"
    data = JPEG if kind == "image" else MP4
    url = media_server.add(f"/instagram/{name}", data, served_as or content_type)
    return MediaItem(data=data, content_type=content_type, kind=kind, alt_text=alt, public_url=url)  # type: ignore[arg-type]


def request(
    text: str, *, index: int = 0, media: tuple[MediaItem, ...] = (), root: PublishedRef | None = None
) -> PublishRequest:
    """comment_on_main's links: every comment's root and parent is the main post."""
    return PublishRequest(segment=Segment(index, text, media), idempotency_key=new_tid(), root=root, parent=root)


def containers(fake: RunningFake) -> list[dict[str, Any]]:
    return list(fake.control("GET", "containers"))


def published(fake: RunningFake) -> list[dict[str, Any]]:
    return list(fake.control("GET", "published"))


def comments(fake: RunningFake) -> list[dict[str, Any]]:
    return list(fake.control("GET", "comments"))
