"""Dimensions and duration of a stored upload, read from its headers: images via their header, MP4/MOV from the
``moov`` box (``mvhd`` for the duration, the first ``tkhd`` with a size for width and height), seeking through the
file so a ``moov`` after a large ``mdat`` costs a few reads, not the whole video in memory."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from octopost.media.fetch import image_size
from octopost.uploads.sniff import Sniffed

IMAGE_HEADER_BYTES = 512 * 1024  # a JPEG's size marker follows its EXIF and ICC blocks, rarely beyond this
_CONTAINERS = {b"moov", b"trak"}
MAX_BOXES = 10_000  # a malformed file cannot keep the walk going


@dataclass(frozen=True)
class Probed:
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None


def probe(path: Path, sniffed: Sniffed) -> Probed:
    with path.open("rb") as handle:
        if sniffed.kind == "image":
            width, height = image_size(handle.read(IMAGE_HEADER_BYTES))
            return Probed(width, height)
        if sniffed.extension in ("mp4", "mov"):
            return _probe_isobmff(handle, path.stat().st_size)
    return Probed()  # WebM: no cheap reading here


def _boxes(handle: BinaryIO, start: int, end: int) -> list[tuple[bytes, int, int]]:
    """(type, payload start, payload end) of each box between ``start`` and ``end``."""
    found: list[tuple[bytes, int, int]] = []
    offset = start
    while offset + 8 <= end and len(found) < MAX_BOXES:
        handle.seek(offset)
        header = handle.read(16)
        if len(header) < 8:
            break
        size, kind = struct.unpack(">I4s", header[:8])
        payload = offset + 8
        if size == 1 and len(header) >= 16:
            size = struct.unpack(">Q", header[8:16])[0]
            payload = offset + 16
        elif size == 0:
            size = end - offset  # to the end of the file
        if size < payload - offset:
            break  # malformed: stop rather than loop
        found.append((kind, payload, min(offset + size, end)))
        offset += size
    return found


def _probe_isobmff(handle: BinaryIO, file_size: int) -> Probed:
    duration: float | None = None
    width = height = None
    pending = [(0, file_size)]
    while pending:
        start, end = pending.pop(0)
        for kind, payload, box_end in _boxes(handle, start, end):
            if kind in _CONTAINERS:
                pending.append((payload, box_end))
            elif kind == b"mvhd" and duration is None:
                duration = _mvhd_duration(handle, payload)
            elif kind == b"tkhd" and width is None:
                width, height = _tkhd_size(handle, payload, box_end)
    return Probed(width, height, duration)


def _mvhd_duration(handle: BinaryIO, payload: int) -> float | None:
    handle.seek(payload)
    data = handle.read(32)
    if len(data) < 20:
        return None
    if data[0] == 1 and len(data) >= 32:
        timescale, length = struct.unpack(">IQ", data[20:32])
    else:
        timescale, length = struct.unpack(">II", data[12:20])
    return round(length / timescale, 3) if timescale else None


def _tkhd_size(handle: BinaryIO, payload: int, end: int) -> tuple[int | None, int | None]:
    """Width and height (16.16 fixed point) close the box; audio tracks have 0 x 0."""
    if end - payload < 8:
        return None, None
    handle.seek(end - 8)
    width, height = struct.unpack(">II", handle.read(8))
    if not width or not height:
        return None, None
    return width >> 16, height >> 16
