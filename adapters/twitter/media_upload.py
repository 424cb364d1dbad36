"""X's v2 media upload over the shared client (tweepy 4.17 only has the retired v1.1 one).

initialize (type, size, category) → append each ≤4 MiB chunk (multipart) → finalize → while X says the media
is processing, poll the status (bounded by a deadline) → alt text through ``POST /2/media/metadata``. Paths and
bodies as in X's OpenAPI spec (x-api-v2 2.167). A media id is used for the whole flow and in the tweet.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
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


class MediaUploader:
    """Uploads one segment's media through ``api``: X's refusals come back as the taxonomy's errors (as ``X media
    upload``), and so do processing that failed (Rejected) or was still going at the deadline (Transient)."""

    def __init__(
        self,
        api: XApi,
        *,
        processing_timeout: float,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._api = api
        self.processing_timeout = processing_timeout
        self._sleep = sleep
        self._clock = clock

    async def upload(self, item: MediaItem) -> str:
        """Upload ``item``; returns the media id to put in ``media.media_ids``."""
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
        await self._wait_while_processing(media_id, finished.get("processing_info"))
        if item.alt_text:
            metadata = {"alt_text": {"text": item.alt_text}}
            await self._post("/2/media/metadata", json={"id": media_id, "metadata": metadata})
        return media_id

    async def _wait_while_processing(self, media_id: str, info: Any) -> None:
        deadline = self._clock() + self.processing_timeout
        while isinstance(info, Mapping) and info.get("state") in _PROCESSING:
            remaining = deadline - self._clock()
            if remaining <= 0:
                raise Transient(f"X was still processing media {media_id} after {self.processing_timeout:.0f}s")
            # X says when to look again (check_after_secs); waiting on X's own processing, within the deadline.
            await self._sleep(min(_poll_delay(info.get("check_after_secs")), remaining))
            status = await self._api.call(
                "GET", "/2/media/upload", action=_ACTION, params={"command": "STATUS", "media_id": media_id}
            )
            info = status.get("processing_info")
        if isinstance(info, Mapping) and info.get("state") == "failed":
            error = info.get("error")
            reason = error.get("message") if isinstance(error, Mapping) else None
            raise Rejected(f"X could not process media {media_id}: {reason or 'processing failed'}")

    async def _post(self, path: str, **send: Any) -> Mapping[str, Any]:
        # Nothing is posted by an upload: a lost answer is Transient (creates=False), safe to try again.
        return await self._api.call("POST", path, action=_ACTION, **send)


def _media_id(data: Mapping[str, Any], step: str) -> str:
    media_id = data.get("id")
    if not isinstance(media_id, str | int) or not str(media_id):
        raise Transient(f"X media upload: {step} answered without a media id")
    return str(media_id)


def _poll_delay(check_after: Any) -> float:
    try:
        return min(max(float(check_after), _MIN_POLL), _MAX_POLL)
    except (TypeError, ValueError):
        return _MIN_POLL
