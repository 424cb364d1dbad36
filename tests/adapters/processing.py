"""The engine's processing step played by hand in adapter tests (what the publisher does with a Pending, without its
waiting): each Pending is answered by a call of the same request with ``pending`` = the handle."""

from __future__ import annotations

from dataclasses import replace

from adapters.base import Adapter, MediaItem, PublishedRef, PublishRequest, Segment
from octopost.ids import new_tid
from tests.adapters.pending import drive


def request(
    text: str, *, index: int = 0, media: tuple[MediaItem, ...] = (), root: PublishedRef | None = None
) -> PublishRequest:
    """A segment as comment_on_main links it: a later segment's root and parent are the main post."""
    return PublishRequest(segment=Segment(index, text, media), idempotency_key=new_tid(), root=root, parent=root)


def with_pending(request: PublishRequest, handle: str) -> PublishRequest:
    return replace(request, pending=handle)


async def until_published(adapter: Adapter, first: PublishRequest, *, limit: int = 20) -> tuple[PublishedRef, int]:
    """(the ref, how many Pending answers came before it)."""
    ref, pendings = await drive(adapter, first, steps=limit)
    return ref, len(pendings)
