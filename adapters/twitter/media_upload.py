"""X's v2 media upload over the shared client (tweepy 4.17 only has the retired v1.1 one).

initialize (type, size, category) → append each ≤4 MiB chunk (multipart) → finalize → alt text through
``POST /2/media/metadata``. When X is still processing the media (a video), the upload ends there and the caller
answers Pending: the status (``GET /2/media/upload?command=STATUS``) is asked on the next call, when X said
(``check_after_secs``), and the alt text set once it succeeded. Paths and bodies as in X's OpenAPI spec (x-api-v2
2.167). A media id is used for the whole flow and in the tweet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adapters.base import MediaItem, Rejected, Transient
from adapters.http import path_segment
from adapters.twitter.api import XApi

CHUNK_BYTES = 4 * 1024 * 1024  # X takes segments up to 5 MB; at most 1000 of them (segment_index ≤ 999)
_PROCESSING = frozenset({"pending", "in_progress"})
_MIN_POLL, _MAX_POLL = 1.0, 30.0  # bounds on X's check_after_secs
_ACTION = "media upload"


def media_category(item: MediaItem) -> str:
    if item.kind == "video":
        return "tweet_video"
    return "tweet_gif" if item.content_type == "image/gif" else "tweet_image"


@dataclass(frozen=True)
class Uploaded:
    media_id: str
    # X's processing_info while it processes the media (None: ready to attach)
    processing: Mapping[str, Any] | None = None

    @property
    def check_after(self) -> float:
        return _poll_delay((self.processing or {}).get("check_after_secs"))


class MediaUploader:
    """Uploads one segment's media through ``api``: X's refusals come back as the taxonomy's errors (as ``X media
    upload``), and so does processing that failed (Rejected)."""

    def __init__(self, api: XApi) -> None:
        self._api = api

    async def upload(self, item: MediaItem) -> Uploaded:
        """Upload ``item``; its media id (for ``media.media_ids``), and X's processing state if it is not ready."""
        size, category = len(item.data), media_category(item)
        started = await self._post(
            "/2/media/upload/initialize",
            json={"media_type": item.content_type, "total_bytes": size, "media_category": category},
        )
        media_id = _media_id(started, "initialize")
        path_id = path_segment(media_id)
        for index, offset in enumerate(range(0, len(item.data), CHUNK_BYTES)):
            await self._post(
                f"/2/media/upload/{path_id}/append",
                data={"segment_index": str(index)},
                files={"media": ("media", item.data[offset : offset + CHUNK_BYTES], "application/octet-stream")},
            )
        finished = await self._post(f"/2/media/upload/{path_id}/finalize")
        uploaded = Uploaded(media_id, _processing(media_id, finished.get("processing_info")))
        if uploaded.processing is None and item.alt_text:
            await self.describe(media_id, item.alt_text)
        return uploaded

    async def status(self, media_id: str) -> Uploaded:
        """Where X's processing of ``media_id`` stands (Rejected when it failed)."""
        answer = await self._api.call(
            "GET", "/2/media/upload", action=_ACTION, params={"command": "STATUS", "media_id": media_id}
        )
        return Uploaded(media_id, _processing(media_id, answer.get("processing_info")))

    async def describe(self, media_id: str, alt_text: str) -> None:
        await self._post("/2/media/metadata", json={"id": media_id, "metadata": {"alt_text": {"text": alt_text}}})

    async def _post(self, path: str, **send: Any) -> Mapping[str, Any]:
        # Nothing is posted by an upload: a lost answer is Transient (creates=False), safe to try again.
        return await self._api.call("POST", path, action=_ACTION, **send)


def _media_id(data: Mapping[str, Any], step: str) -> str:
    media_id = data.get("id")
    if not isinstance(media_id, str | int) or not str(media_id):
        raise Transient(f"X media upload: {step} answered without a media id")
    return str(media_id)


def _processing(media_id: str, info: Any) -> Mapping[str, Any] | None:
    """X's processing_info while it processes; None once done; Rejected when processing failed."""
    if not isinstance(info, Mapping):
        return None
    if info.get("state") in _PROCESSING:
        return info
    if info.get("state") == "failed":
        error = info.get("error")
        reason = error.get("message") if isinstance(error, Mapping) else None
        raise Rejected(f"X could not process media {media_id}: {reason or 'processing failed'}")
    return None


def _poll_delay(check_after: Any) -> float:
    try:
        return min(max(float(check_after), _MIN_POLL), _MAX_POLL)
    except (TypeError, ValueError):
        return _MIN_POLL
