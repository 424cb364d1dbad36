"""Media for a LinkedIn post, uploaded before the post names it:

- an image: ``POST /rest/images?action=initializeUpload`` (the owner = the post's author) → an ``uploadUrl`` and the
  image's URN; the bytes are PUT there. 2 to 20 images make a ``multiImage`` content, one a ``media`` content.
- a video: ``POST /rest/videos?action=initializeUpload`` with its size → upload instructions (byte ranges, one URL
  each); each part is PUT and its ETag kept; ``finalizeUpload`` with the ETags in order. LinkedIn then processes
  the video (``GET /rest/videos/{urn}``: ``PROCESSING`` → ``AVAILABLE``, or ``PROCESSING_FAILED``): the adapter
  answers Pending meanwhile, and posts once it is AVAILABLE.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.answers import non_empty_text
from adapters.base import MediaItem, Transient
from adapters.linkedin.api import LinkedInApi, urn_path

AVAILABLE = "AVAILABLE"
FAILED = "PROCESSING_FAILED"


async def upload_image(api: LinkedInApi, owner: str, item: MediaItem, number: int) -> str:
    action = f"upload of image {number}"
    ticket = await api.action(
        "/rest/images?action=initializeUpload", {"initializeUploadRequest": {"owner": owner}}, action=action
    )
    url, urn = non_empty_text(ticket.get("uploadUrl")), non_empty_text(ticket.get("image"))
    if url is None or urn is None:
        raise Transient(f"LinkedIn {action}: initializeUpload answered without an uploadUrl and image URN")
    await api.put_bytes(url, item.data, action=action)
    return urn


async def upload_video(api: LinkedInApi, owner: str, item: MediaItem) -> str:
    """The video's bytes uploaded part by part and finalized: its URN (LinkedIn processes it next)."""
    action = "video upload"
    request = {"owner": owner, "fileSizeBytes": len(item.data), "uploadCaptions": False, "uploadThumbnail": False}
    ticket = await api.action(
        "/rest/videos?action=initializeUpload", {"initializeUploadRequest": request}, action=action
    )
    urn = non_empty_text(ticket.get("video"))
    instructions = ticket.get("uploadInstructions")
    if urn is None or not isinstance(instructions, list) or not instructions:
        raise Transient(f"LinkedIn {action}: initializeUpload answered without the video URN and upload instructions")
    etags = []
    for number, part in enumerate(instructions, start=1):
        url, first, last = _part(part)
        if url is None:
            raise Transient(f"LinkedIn {action}: upload instruction {number} has no uploadUrl and byte range")
        etag = await api.put_bytes(url, item.data[first : last + 1], action=f"{action} (part {number})")
        if not etag:
            raise Transient(f"LinkedIn {action}: part {number} was answered without an ETag")
        etags.append(etag)
    finalize = {"video": urn, "uploadToken": ticket.get("uploadToken") or "", "uploadedPartIds": etags}
    await api.action("/rest/videos?action=finalizeUpload", {"finalizeUploadRequest": finalize}, action=action)
    return urn


async def video_status(api: LinkedInApi, urn: str) -> str:
    answer = await api.get(urn_path("/rest/videos", urn), action="video status check")
    status = non_empty_text(answer.get("status")) if isinstance(answer, Mapping) else None
    if status is None:
        raise Transient("LinkedIn video status check: the answer carried no status")
    return status


def _part(part: Any) -> tuple[str | None, int, int]:
    if not isinstance(part, Mapping):
        return None, 0, 0
    first, last = part.get("firstByte"), part.get("lastByte")
    if not isinstance(first, int) or not isinstance(last, int) or last < first:
        return None, 0, 0
    return non_empty_text(part.get("uploadUrl")), first, last
