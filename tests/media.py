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


def make_jpeg(width: int = 5, height: int = 7) -> bytes:
    """A minimal baseline JPEG header (SOI, APP0, SOF0 with the size, EOI): enough to sniff and measure."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def make_mp4(width: int = 16, height: int = 9, seconds: float = 2.5, mdat_bytes: int = 64) -> bytes:
    """An MP4 of boxes: ftyp, mdat, then moov (as many encoders write it) with mvhd and one video tkhd."""
    timescale = 1000
    duration = int(seconds * timescale)
    mvhd = _box(b"mvhd", b"\x00\x00\x00\x00" + struct.pack(">IIII", 0, 0, timescale, duration) + bytes(80))
    tkhd_body = b"\x00\x00\x00\x03" + struct.pack(">IIIII", 0, 0, 1, 0, int(seconds * timescale)) + bytes(8 + 8 + 36)
    tkhd = _box(b"tkhd", tkhd_body + struct.pack(">II", width << 16, height << 16))
    return (
        _box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41")
        + _box(b"mdat", bytes(mdat_bytes))
        + _box(b"moov", mvhd + _box(b"trak", tkhd))
    )
