"""Fetching media given by URL: once per publish, size-capped, content type checked, dimensions probed.

The client is ``Runtime.http``: its transport refuses private addresses (on every redirect hop), ends the
exchange at a total deadline and caps the size; the messages here say which of those stopped a fetch.
"""

from __future__ import annotations

import struct
from typing import Literal

import httpx

from adapters.base import MediaItem
from octopost.net.guard import AddressRefused
from octopost.net.hosts import normalize
from octopost.net.transport import DeadlineExceeded, RefusedConnection, ResponseTooLarge


class MediaFetchError(Exception):
    """The URL did not yield usable media; the message says why (shown in platform_results)."""


async def fetch_media(
    http: httpx.AsyncClient,
    url: str,
    *,
    kind: Literal["image", "video"],
    max_bytes: int,
    alt_text: str | None = None,
) -> MediaItem:
    try:
        async with http.stream("GET", url, follow_redirects=True) as response:
            if response.status_code != 200:
                raise MediaFetchError(f"media {url} answered HTTP {response.status_code}")
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if not content_type.startswith(f"{kind}/"):
                raise MediaFetchError(f"media {url} is {content_type or 'of no content type'}, expected {kind}/*")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise MediaFetchError(f"media {url} is {declared} bytes; the cap is {max_bytes}")
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise MediaFetchError(f"media {url} is over the {max_bytes}-byte cap")
                chunks.append(chunk)
    except RefusedConnection as exc:
        raise MediaFetchError(_refused(url, exc.refusal)) from None
    except ResponseTooLarge:
        raise MediaFetchError(f"media {url} is over the {max_bytes}-byte cap") from None
    except DeadlineExceeded as exc:
        raise MediaFetchError(f"media {url}: {exc}") from None
    except httpx.HTTPError as exc:
        raise MediaFetchError(f"could not fetch media {url}: {type(exc).__name__}: {exc}") from exc
    data = b"".join(chunks)
    width, height = image_size(data) if kind == "image" else (None, None)
    return MediaItem(
        data=data,
        content_type=content_type,
        kind=kind,
        alt_text=alt_text,
        width=width,
        height=height,
        source_url=url,
        public_url=url,  # fetched through the guard from the public internet: a platform can fetch it there too
    )


def _refused(url: str, refusal: AddressRefused) -> str:
    if refusal.host == normalize(httpx.URL(url).host):
        return f"media URL {url} {refusal.detail}"
    return f"media URL {url} redirects to {refusal.host}, which {refusal.detail}"


def image_size(data: bytes) -> tuple[int | None, int | None]:
    """Width and height of a PNG, GIF, JPEG or WebP from its header; (None, None) when unknown."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp_size(data)
    if data[:2] == b"\xff\xd8":
        return _jpeg_size(data)
    return None, None


def _webp_size(data: bytes) -> tuple[int | None, int | None]:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        return 1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(data[27:30], "little")
    if chunk == b"VP8 " and len(data) >= 30:
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None, None


def _jpeg_size(data: bytes) -> tuple[int | None, int | None]:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return int(width), int(height)
        i += 2 + length
    return None, None
