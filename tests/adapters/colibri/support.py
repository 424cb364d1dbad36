"""What the ColibriSM adapter tests share: credentials on the fake site, requests to publish, and reading back what
the fake holds (its posts, messages and drafts, through its control plane)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from adapters.base import MediaItem, Poll, PublishedRef, PublishRequest, ReplyPolicy, Segment
from adapters.colibri import ColibriAdapter, ColibriMessagesAdapter
from adapters.options import PlatformOptions
from octopost.ids import new_tid
from tests.fakes.colibri import ALICE, ALICE_SESSION
from tests.fakes.running import RunningFake
from tests.media import make_png

PASSWORD = {"username": ALICE.username, "password": ALICE.password}
APP_SESSION = {"session_id": ALICE_SESSION, "user_id": str(ALICE.id)}

MakePosts = Callable[..., ColibriAdapter]
MakeMessages = Callable[..., ColibriMessagesAdapter]


def request(
    text: str,
    *,
    index: int = 0,
    media: tuple[MediaItem, ...] = (),
    parent: PublishedRef | None = None,
    poll: Poll | None = None,
    reply_policy: ReplyPolicy | None = None,
    options: PlatformOptions | None = None,
) -> PublishRequest:
    return PublishRequest(
        segment=Segment(index, text, media),
        idempotency_key=new_tid(),
        root=parent,
        parent=parent,
        poll=poll,
        reply_policy=reply_policy,
        options=options,
    )


def image(shade: int = 10) -> MediaItem:
    """A small PNG; ``shade`` makes its bytes (and so its hash on the site) its own."""
    return MediaItem(data=make_png(3, 2, (shade, 20, 30)), content_type="image/png", kind="image")


def video() -> MediaItem:
    """The head of an MP4 (an ``ftyp`` box): what the fake looks at to call it a video."""
    return MediaItem(data=b"\x00\x00\x00\x18ftypmp42" + bytes(64), content_type="video/mp4", kind="video")


def posts(fake: RunningFake) -> list[dict[str, Any]]:
    return list(fake.control("GET", "posts"))


def messages(fake: RunningFake) -> list[dict[str, Any]]:
    return list(fake.control("GET", "messages"))


def drafts(fake: RunningFake) -> dict[str, list[dict[str, Any]]]:
    return dict(fake.control("GET", "drafts"))


def quirks(fake: RunningFake, **values: Any) -> None:
    fake.control("PUT", "quirks", values)
