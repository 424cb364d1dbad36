"""The engine's processing step played by hand in adapter tests (what the publisher does with a Pending, without its
waiting): each Pending is answered by a call of the same request with ``pending`` = the handle."""

from __future__ import annotations

from dataclasses import replace

from adapters.base import Adapter, MediaItem, Pending, PublishedRef, PublishRequest, Segment
from octopost.ids import new_tid


def request(
    text: str, *, index: int = 0, media: tuple[MediaItem, ...] = (), root: PublishedRef | None = None
) -> PublishRequest:
    """A segment as comment_on_main links it: a later segment's root and parent are the main post."""
    return PublishRequest(segment=Segment(index, text, media), idempotency_key=new_tid(), root=root, parent=root)


def with_pending(request: PublishRequest, handle: str) -> PublishRequest:
    return replace(request, pending=handle)


async def until_published(adapter: Adapter, first: PublishRequest, *, limit: int = 20) -> tuple[PublishedRef, int]:
    """(the ref, how many Pending answers came before it)."""
    answer = await adapter.publish(first)
    pendings = 0
    while isinstance(answer, Pending):
        pendings += 1
        assert pendings <= limit, "still pending after the fake should have finished"
        answer = await adapter.publish(with_pending(first, answer.handle))
    return answer, pendings
