"""What the YouTube adapter tests share: credentials, a video to upload, requests to publish, and the engine's part
of the processing step played in a loop (call publish again with the handle while it answers Pending)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from adapters.base import MediaItem, PublishedRef, PublishRequest, Segment
from adapters.youtube import YouTubeAdapter
from adapters.youtube.metadata import YouTubeOptions
from adapters.youtube.upload import CHUNK_QUANTUM
from octopost.ids import new_tid
from tests.adapters.pending import drive
from tests.fakes.running import RunningFake
from tests.media import make_png

TOKEN = "ya29.fake-access-token"
REFRESH_TOKEN = "1//fake-refresh-token"
CREDENTIALS = {"access_token": TOKEN, "refresh_token": REFRESH_TOKEN}
TEST_CHUNK = CHUNK_QUANTUM  # three chunks for VIDEO
VIDEO_BYTES = bytes(range(256)) * (CHUNK_QUANTUM * 2 // 256) + b"tail" * 1000  # 2 quanta and a short last chunk

MakeAdapter = Callable[..., YouTubeAdapter]


def video(data: bytes = VIDEO_BYTES) -> MediaItem:
    return MediaItem(data=data, content_type="video/mp4", kind="video")


def thumbnail() -> MediaItem:
    return MediaItem(data=make_png(), content_type="image/png", kind="image")


def request(
    text: str = "A walk in the park\nWhat we saw.",
    *,
    media: tuple[MediaItem, ...] | None = None,
    options: YouTubeOptions | None = None,
    index: int = 0,
    root: PublishedRef | None = None,
) -> PublishRequest:
    return PublishRequest(
        segment=Segment(index, text, (video(),) if media is None and index == 0 else media or ()),
        idempotency_key=new_tid(),
        root=root,
        parent=root,
        options=options,
    )


async def thread(adapter: YouTubeAdapter, texts: list[str]) -> list[PublishedRef]:
    main = (await drive(adapter, request(texts[0]))).ref
    refs = [main]
    for index, text in enumerate(texts[1:], start=1):
        answer = await adapter.publish(request(text, index=index, root=main))
        assert isinstance(answer, PublishedRef)
        refs.append(answer)
    return refs


def listing(fake: RunningFake, name: str) -> list[dict[str, Any]]:
    return list(fake.control("GET", name))
