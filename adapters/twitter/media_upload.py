"""X's v2 media upload with httpx (tweepy 4.17 only has the retired v1.1 one).

initialize (type, size, category) → append each ≤4 MiB chunk (multipart) → finalize → while X says the media
is processing, poll the status (bounded by a deadline) → alt text through ``POST /2/media/metadata``. Paths and
bodies as in X's OpenAPI spec (x-api-v2 2.167). A media id is used for the whole flow and in the tweet.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import quote

import httpx

from adapters.base import MediaItem, Rejected, Transient

CHUNK_BYTES = 4 * 1024 * 1024  # X takes segments up to 5 MB; at most 1000 of them (segment_index ≤ 999)
_PROCESSING = frozenset({"pending", "in_progress"})
_MIN_POLL, _MAX_POLL = 1.0, 30.0  # bounds on X's check_after_secs


def media_category(item: MediaItem) -> str:
    if item.kind == "video":
        return "tweet_video"
    return "tweet_gif" if item.content_type == "image/gif" else "tweet_image"


class MediaUploader:
    """Uploads one segment's media. Errors surface raw (``httpx.HTTPStatusError``, transport errors) or as
    taxonomy errors (processing failed → Rejected, still processing at the deadline → Transient); the adapter
    translates the raw ones in its one place."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        auth: httpx.Auth,
        *,
        request_timeout: float,
        processing_timeout: float,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._auth = auth
        self._timeout = request_timeout
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
        path_id = quote(media_id, safe="")
        for index, offset in enumerate(range(0, len(item.data), CHUNK_BYTES)):
            await self._post(
                f"/2/media/upload/{path_id}/append",
                data={"segment_index": str(index)},
                files={"media": ("media", item.data[offset : offset + CHUNK_BYTES], "application/octet-stream")},
            )
        finished = await self._post(f"/2/media/upload/{path_id}/finalize")
        await self._wait_while_processing(media_id, _data(finished).get("processing_info"))
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
            status = await self._request("GET", "/2/media/upload", params={"command": "STATUS", "media_id": media_id})
            info = _data(status).get("processing_info")
        if isinstance(info, Mapping) and info.get("state") == "failed":
            error = info.get("error")
            reason = error.get("message") if isinstance(error, Mapping) else None
            raise Rejected(f"X could not process media {media_id}: {reason or 'processing failed'}")

    async def _post(self, path: str, **kwargs: Any) -> Any:
        return await self._request("POST", path, **kwargs)

    async def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        response = await self._http.request(method, self._base + path, auth=self._auth, timeout=self._timeout, **kwargs)
        response.raise_for_status()
        # 2xx bodies may also carry "errors" (partial problems X reports next to data): data is what counts.
        return response.json() if response.content else {}


def _data(body: Any) -> Mapping[str, Any]:
    data = body.get("data") if isinstance(body, Mapping) else None
    return data if isinstance(data, Mapping) else {}


def _media_id(body: Any, step: str) -> str:
    media_id = _data(body).get("id")
    if not isinstance(media_id, str | int) or not str(media_id):
        raise Transient(f"X media upload: {step} answered without a media id")
    return str(media_id)


def _poll_delay(check_after: Any) -> float:
    try:
        return min(max(float(check_after), _MIN_POLL), _MAX_POLL)
    except (TypeError, ValueError):
        return _MIN_POLL
