"""What a file is, from its first bytes (magic numbers), never from its name or the type a client declared."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

HEAD_BYTES = 32  # enough for every signature below


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    kind: Literal["image", "video"]
    extension: str


_JPEG = Sniffed("image/jpeg", "image", "jpg")
_PNG = Sniffed("image/png", "image", "png")
_GIF = Sniffed("image/gif", "image", "gif")
_WEBP = Sniffed("image/webp", "image", "webp")
_MP4 = Sniffed("video/mp4", "video", "mp4")
_MOV = Sniffed("video/quicktime", "video", "mov")
_WEBM = Sniffed("video/webm", "video", "webm")
EBML_MAGIC = b"\x1a\x45\xdf\xa3"


def sniff(head: bytes) -> Sniffed | None:
    """The type of a file starting with ``head``, or None when it is no image or video we take."""
    if head[:3] == b"\xff\xd8\xff":
        return _JPEG
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return _PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return _GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _WEBP
    if head[4:8] == b"ftyp":
        return _MOV if head[8:12] == b"qt  " else _MP4
    if head[:4] == EBML_MAGIC and b"webm" in head:
        return _WEBM
    return None


def describe(head: bytes) -> str:
    """A short human description of bytes that are not media we take (for the 422)."""
    if not head:
        return "an empty body"
    if head[:5] == b"%PDF-":
        return "a PDF document"
    if head[:4] == b"PK\x03\x04":
        return "a ZIP archive"
    if head[:4] == EBML_MAGIC:
        return "a Matroska file that is not WebM"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return f"unrecognised binary data (starting {head[:8].hex()})"
    return "text"
