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
from tests.peers.prism import SHARED

RECORDINGS = SHARED / "recordings" / "mastodon"

MakeAdapter = Callable[..., MastodonAdapter]


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
