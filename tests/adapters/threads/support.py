"""What the Threads adapter tests share: the credentials of the fake's user, requests to publish, a thread driven
through its Pending steps (tests/adapters/pending.py), and what the fake made and published."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from adapters.base import MediaItem, PublishedRef, PublishRequest, ReplyPolicy, Segment
from adapters.threads import ThreadsAdapter
from octopost.ids import new_tid
from tests.adapters.pending import drive
from tests.fakes.running import RunningFake
from tests.fakes.threads import USER_ID

TOKEN = "TH-long-lived-token-of-the-fake-user"
CREDENTIALS = {"access_token": TOKEN, "user_id": USER_ID}
PUBLISH = "/{user}/threads_publish"

MakeAdapter = Callable[..., ThreadsAdapter]


def request(
    text: str,
    *,
    index: int = 0,
    media: tuple[MediaItem, ...] = (),
    parent: PublishedRef | None = None,
    root: PublishedRef | None = None,
    reply_policy: ReplyPolicy | None = None,
    pending: str | None = None,
) -> PublishRequest:
    return PublishRequest(
        segment=Segment(index, text, media),
        idempotency_key=new_tid(),
        root=root or parent,
        parent=parent,
        reply_policy=reply_policy,
        pending=pending,
    )


async def drive_thread(adapter: ThreadsAdapter, texts: list[str], **main: Any) -> list[PublishedRef]:
    """Segments linked as native_reply links them: each replies to the one before."""
    refs: list[PublishedRef] = []
    for index, text in enumerate(texts):
        options = main if index == 0 else {}
        segment = request(
            text, index=index, parent=refs[-1] if refs else None, root=refs[0] if refs else None, **options
        )
        refs.append((await drive(adapter, segment)).ref)
    return refs


def containers(fake: RunningFake) -> list[dict[str, Any]]:
    return list(fake.control("GET", "containers"))


def published(fake: RunningFake) -> list[dict[str, Any]]:
    return list(fake.control("GET", "published"))
