"""API shape of an uploaded file."""

from __future__ import annotations

import msgspec


class MediaUpload(msgspec.Struct):
    id: str
    url: str
    content_type: str
    size: int
    width: int | None
    height: int | None
    duration_seconds: float | None
    created_at: str
