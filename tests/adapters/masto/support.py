"""What the Mastodon adapter tests share: where the real recordings are, images and requests to publish."""

from __future__ import annotations

from collections.abc import Callable

from adapters.base import (
    MediaItem,
    Poll,
    PublishedRef,
    PublishRequest,
    Segment,
)
from adapters.mastodon import MastodonAdapter, MastodonOptions
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
    poll: Poll | None = None,
    options: MastodonOptions | None = None,
) -> PublishRequest:
    return PublishRequest(
        segment=Segment(index, text, media), idempotency_key=key, root=root, parent=parent, poll=poll, options=options
    )


async def publish_thread(
    adapter: MastodonAdapter,
    segments: list[tuple[str, tuple[MediaItem, ...]]],
    key: str,
    *,
    poll: Poll | None = None,
    options: MastodonOptions | None = None,
) -> list[PublishedRef]:
    """A thread published as the publisher does it on a native-reply platform: each segment answers the one before,
    every segment carries the post's options, the main post its poll."""
    refs: list[PublishedRef] = []
    for index, (text, media) in enumerate(segments):
        root, parent = (refs[0], refs[-1]) if refs else (None, None)
        segment_poll = poll if index == 0 else None
        each = request(
            text,
            f"{key}-{index}",
            index=index,
            media=media,
            root=root,
            parent=parent,
            poll=segment_poll,
            options=options,
        )
        refs.append(await adapter.publish(each))
    return refs
