"""YouTube's resumable upload: one session per video, its URI (from the ``Location`` of the POST that carried the
metadata) and the size being the handle a crash resumes from.

- ``start``: POST ``/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status`` with the Video resource,
  ``X-Upload-Content-Length`` and ``-Type``; the session URI comes back in ``Location``.
- ``offset``: where the server stands, asked with an empty PUT and ``Content-Range: bytes */TOTAL``: 308 with
  ``Range: bytes=0-N`` (N+1 bytes kept; no Range: none), or 200/201 with the video when it has it all (the answer to
  the last chunk was lost). 404/410: the session expired, start again.
- ``send``: the bytes from that offset in chunks (multiples of 256 KiB but the last), each ``Content-Range: bytes
  a-b/TOTAL``: 308 until the last, which answers 200/201 with the Video resource. A chunk that gets no answer or a 5xx
  is an interruption: the caller comes back later and asks ``offset`` first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adapters.answers import non_empty_text
from adapters.base import AdapterError, MediaItem, Transient
from adapters.http import Answer
from adapters.youtube.api import UPLOAD, YouTubeApi

CHUNK_QUANTUM = 256 * 1024  # every chunk but the last is a multiple of it
DEFAULT_CHUNK = 32 * CHUNK_QUANTUM  # 8 MiB
_RANGE = re.compile(r"bytes=0-(\d+)")
_ACTION = "video upload"


@dataclass(frozen=True)
class Session:
    uri: str
    size: int

    def handle(self) -> str:
        return json.dumps({"step": "upload", "session": self.uri, "size": self.size})


class Expired(Exception):
    """The server no longer knows the session (404/410): the upload starts over with a new one."""


class Interrupted(Exception):
    """A chunk got no answer, or a 5xx: ask ``offset`` on the next call."""


class ResumableUpload:
    def __init__(self, api: YouTubeApi, chunk_bytes: int = DEFAULT_CHUNK) -> None:
        self.api = api
        self.chunk_bytes = chunk_bytes

    async def start(self, video: MediaItem, resource: Mapping[str, Any]) -> Session:
        answer = await self.api.exchange(
            "POST",
            f"{UPLOAD}/videos",
            action="upload start",
            params={"uploadType": "resumable", "part": "snippet,status"},
            json=resource,
            headers={"X-Upload-Content-Length": str(len(video.data)), "X-Upload-Content-Type": video.content_type},
        )
        if answer.status != 200:
            raise self.api.error_for(answer, action="upload start")
        uri = non_empty_text(answer.headers.get("location"))
        if uri is None:
            raise Transient("YouTube upload start: the answer carried no session URI (Location)")
        return Session(uri, len(video.data))

    async def offset(self, session: Session) -> int | Mapping[str, Any]:
        """How many bytes the server has, or the Video resource when it has them all."""
        headers = {"Content-Range": f"bytes */{session.size}", "Content-Length": "0"}
        answer = await self._put(session, b"", headers, action="upload status")
        return self._progress(answer, action="upload status")

    async def send(self, session: Session, video: MediaItem, offset: int) -> Mapping[str, Any]:
        """The rest of the bytes from ``offset``; the Video resource of the last chunk's answer."""
        data = video.data
        while True:  # one chunk per request, no waiting between them: the work itself, not polling
            end = min(offset + self.chunk_bytes, len(data))
            headers = {"Content-Range": f"bytes {offset}-{end - 1}/{len(data)}", "Content-Type": video.content_type}
            progress = self._progress(await self._put(session, data[offset:end], headers, action=_ACTION), _ACTION)
            if not isinstance(progress, int):
                return progress
            if progress <= offset:  # the server kept nothing of this chunk: ask again next time
                raise Interrupted(f"YouTube kept none of bytes {offset}-{end - 1}")
            offset = progress

    async def _put(self, session: Session, content: bytes, headers: dict[str, str], *, action: str) -> Answer:
        try:
            answer = await self.api.exchange("PUT", session.uri, action=action, content=content, headers=headers)
        except AdapterError as exc:  # no answer: the server may have some of it; offset() says how much
            raise Interrupted(exc.message) from None
        if answer.status in (404, 410):
            raise Expired(f"YouTube forgot the upload session ({answer.status})")
        if answer.status >= 500:
            raise Interrupted(f"YouTube answered {answer.status} during the {action}")
        return answer

    def _progress(self, answer: Answer, action: str) -> int | Mapping[str, Any]:
        if answer.status == 308:
            kept = _RANGE.fullmatch(answer.headers.get("range", "").strip())
            return int(kept.group(1)) + 1 if kept else 0
        if answer.status in (200, 201) and isinstance(answer.body, Mapping):
            return answer.body
        raise self.api.error_for(answer, action=action)


def session_of(handle: Mapping[str, Any]) -> Session:
    uri, size = handle.get("session"), handle.get("size")
    if not isinstance(uri, str) or not isinstance(size, int) or isinstance(size, bool):
        raise ValueError("not an upload handle")
    return Session(uri, size)
