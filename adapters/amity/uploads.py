"""Media for a post or comment: each file uploaded first (multipart ``files`` to ``POST /api/v4/images`` or
``/api/v4/videos``; the answer is a list of file objects carrying the ``fileId``), its alt text set on the file
(``PUT /api/v3/files/{fileId}`` with ``altText``), then attached by id.

An upload makes nothing anyone sees: a lost answer is retried (an unused file at worst), never in doubt.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.amity.api import AmityApi, segment
from adapters.base import MediaItem, MediaRules, Rejected, Transient
from adapters.validation import check_media_files

MAX_ATTACHMENTS = 10
_UPLOAD_PATHS = {"image": "/api/v4/images", "video": "/api/v4/videos"}


def check_media(media: tuple[MediaItem, ...], rules: MediaRules) -> None:
    """Rejected before anything is uploaded, for what Amity would refuse: more than 10 files, a type or size it
    does not take, alt text over 180 characters."""
    if len(media) > MAX_ATTACHMENTS:
        raise Rejected(f"Amity: {len(media)} files; at most {MAX_ATTACHMENTS} per post or comment")
    check_media_files("Amity", media, rules)


async def upload_all(api: AmityApi, media: tuple[MediaItem, ...]) -> list[dict[str, str]]:
    """Each file uploaded in order: the ``attachments`` that name them."""
    return [await _upload(api, number, item) for number, item in enumerate(media, start=1)]


async def _upload(api: AmityApi, number: int, item: MediaItem) -> dict[str, str]:
    filename = item.filename(number)
    answer = await api.post(
        _UPLOAD_PATHS[item.kind],
        action=f"{item.kind} upload",
        creates=False,
        files=[("files", (filename, item.data, item.content_type))],
    )
    file_id = _file_id(answer)
    if file_id is None:
        raise Transient(f"Amity answered the upload of {item.kind} {number} without a fileId")
    if item.alt_text:
        await api.put(f"/api/v3/files/{segment(file_id)}", action="alt text", json={"altText": item.alt_text})
    return {"fileId": file_id, "type": item.kind}


def _file_id(answer: Any) -> str | None:
    """The first file's id: Amity answers an upload with a list of file objects."""
    files = answer if isinstance(answer, list) else answer.get("files") if isinstance(answer, Mapping) else None
    first = files[0] if isinstance(files, list) and files else None
    file_id = first.get("fileId") if isinstance(first, Mapping) else None
    return file_id if isinstance(file_id, str) and file_id else None
