"""What the TikTok adapter tests share: credentials, videos and photos, requests, and the engine's part
of the processing step played in a loop (publish again with the handle while it answers Pending)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from adapters.base import MediaItem, PublishRequest, Segment
from adapters.tiktok import TikTokAdapter
from adapters.tiktok.options import TikTokOptions
from adapters.tiktok.upload import MB
from octopost.ids import new_tid
from tests.fakes.running import RunningFake

TOKEN = "act.fake-access-token"
# The refresh token is the engine's to use (octopost/oauth/refresh.py); the adapter only carries it.
REFRESH_TOKEN = "rft.fake-refresh-token"
CREDENTIALS = {"access_token": TOKEN, "refresh_token": REFRESH_TOKEN, "open_id": "fake-open-id"}

MakeAdapter = Callable[..., TikTokAdapter]


def video(size: int = MB, public_url: str | None = None) -> MediaItem:
    data = (b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * (size // 256 + 1))[:size]
    return MediaItem(data=data, content_type="video/mp4", kind="video", public_url=public_url)


def photo(public_url: str | None) -> MediaItem:
    return MediaItem(data=b"\xff\xd8\xff" + b"j" * 500, content_type="image/jpeg", kind="image", public_url=public_url)


def request(
    text: str = "A walk in the park #park", media: tuple[MediaItem, ...] | None = None, **options: Any
) -> PublishRequest:
    return PublishRequest(
        segment=Segment(0, text, (video(),) if media is None else media),
        idempotency_key=new_tid(),
        options=TikTokOptions(**options) if options else None,
    )


def publishes(fake: RunningFake) -> list[dict[str, Any]]:
    return list(fake.control("GET", "publishes"))
