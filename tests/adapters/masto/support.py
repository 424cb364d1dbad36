"""What the Mastodon adapter tests share: where the real recordings are, images and requests to publish."""

from __future__ import annotations

from collections.abc import Callable

from adapters.base import (
    MediaItem,
    PublishedRef,
    PublishRequest,
    Segment,
)
from adapters.mastodon import MastodonAdapter
from tests.media import make_png
from tests.peers.prism import SHARED

RECORDINGS = SHARED / "recordings" / "mastodon"

MakeAdapter = Callable[..., MastodonAdapter]


def png(alt: str, rgb: tuple[int, int, int] = (10, 20, 30)) -> MediaItem:
    return MediaItem(data=make_png(6, 4, rgb), content_type="image/png", kind="image", alt_text=alt, width=6, height=4)


def request(
    text: str,
    key: str,
    *,
    index: int = 0,
    media: tuple[MediaItem, ...] = (),
    root: PublishedRef | None = None,
    parent: PublishedRef | None = None,
) -> PublishRequest:
    return PublishRequest(segment=Segment(index, text, media), idempotency_key=key, root=root, parent=parent)
