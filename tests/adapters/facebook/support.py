"""What the Facebook adapter tests share: credentials for the fake, media, and the engine's processing step played by
hand (publish → Pending → publish with ``pending`` = the handle)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from adapters.base import MediaItem
from adapters.facebook import FacebookAdapter
from tests.fakes.facebook import PAGE_ID, USER_TOKEN
from tests.fakes.running import RunningFake

USER = {"access_token": USER_TOKEN, "page_id": PAGE_ID}
PNG = b"\x89PNG\r\n\x1a\n" + b"facebook-photo" * 30
MP4 = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 8

MakeAdapter = Callable[..., FacebookAdapter]


def photo(alt: str | None = None) -> MediaItem:
    return MediaItem(data=PNG, content_type="image/png", kind="image", alt_text=alt)


def video(data: bytes = MP4) -> MediaItem:
    return MediaItem(data=data, content_type="video/mp4", kind="video")


def items(fake: RunningFake) -> list[dict[str, Any]]:
    return list(fake.control("GET", "items"))


def next_error(fake: RunningFake, edge: str, code: int, method: str = "POST") -> None:
    fake.control("PUT", "next_error", {"edge": edge, "code": code, "method": method})
