"""What the LinkedIn adapter tests share: credentials for the fake, what our httpx client sent, media, and the
engine's processing step played by hand (publish → Pending → publish with ``pending`` = the handle)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from adapters.base import MediaItem
from adapters.linkedin import LinkedInAdapter
from tests.fakes.linkedin import ADMIN_TOKEN, MEMBER_TOKEN, ORG_ID
from tests.fakes.running import RunningFake

MEMBER = {"access_token": MEMBER_TOKEN}
ORGANIZATION = {"access_token": ADMIN_TOKEN, "organization_id": ORG_ID}
PNG = b"\x89PNG\r\n\x1a\n" + b"linkedin-image" * 40
VIDEO = bytes(range(256)) * 14  # 3,584 bytes: four parts of 1,000 with the fake's part_size at 1,000

MakeAdapter = Callable[..., LinkedInAdapter]


@dataclass
class SentRequest:
    method: str
    path: str
    headers: httpx.Headers


class Sent:
    def __init__(self) -> None:
        self.requests: list[SentRequest] = []

    async def __call__(self, request: httpx.Request) -> None:
        self.requests.append(SentRequest(request.method, request.url.path, request.headers))

    def to(self, prefix: str) -> list[SentRequest]:
        return [r for r in self.requests if r.path.startswith(prefix)]


def image(alt: str | None = None, data: bytes = PNG) -> MediaItem:
    return MediaItem(data=data, content_type="image/png", kind="image", alt_text=alt)


def video(data: bytes = VIDEO) -> MediaItem:
    return MediaItem(data=data, content_type="video/mp4", kind="video")


def settings(fake: RunningFake, **values: Any) -> None:
    fake.control("PUT", "settings", values)


def next_error(fake: RunningFake, path: str, status: int, message: str = "") -> None:
    fake.control("PUT", "next_error", {"path": path, "status": status, "message": message})


def posts(fake: RunningFake) -> list[dict[str, Any]]:
    return list(fake.control("GET", "posts"))


def uploads(fake: RunningFake) -> list[dict[str, Any]]:
    return list(fake.control("GET", "uploads"))
