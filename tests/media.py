"""Real media bytes for tests, made here (no binary fixtures in the repo)."""

from __future__ import annotations

import struct
import zlib

from adapters.base import MediaItem


def make_png(width: int = 4, height: int = 3, rgb: tuple[int, int, int] = (200, 30, 90)) -> bytes:
    """A valid truecolour PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def png(alt: str | None = None, rgb: tuple[int, int, int] = (10, 20, 30)) -> MediaItem:
    """A 6x4 PNG as an adapter receives it, with ``alt`` as its alt text."""
    return MediaItem(data=make_png(6, 4, rgb), content_type="image/png", kind="image", alt_text=alt, width=6, height=4)
