"""A video's bytes to the ``upload_url`` video/init answered, in TikTok's chunks: each at least 5 MB and at most
64 MB, the last one taking the trailing bytes (up to 128 MB), ``total_chunk_count`` = size // chunk_size, at most
1,000 of them; a video under 5 MB goes whole. Each chunk is a PUT with ``Content-Range: bytes a-b/TOTAL``,
answered 206 until the last, 201."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from adapters.answers import lost_request
from adapters.base import MediaItem
from adapters.http import default_error

MB = 1024 * 1024
MIN_CHUNK, MAX_CHUNK, MAX_CHUNKS = 5 * MB, 64 * MB, 1000
DEFAULT_CHUNK = 10 * MB


@dataclass(frozen=True)
class ChunkPlan:
    size: int
    chunk_size: int
    count: int

    @classmethod
    def of(cls, size: int, preferred: int = DEFAULT_CHUNK) -> ChunkPlan:
        if size < MIN_CHUNK:
            return cls(size, size, 1)
        chunk = min(max(preferred, MIN_CHUNK, -(-size // MAX_CHUNKS)), MAX_CHUNK)
        return cls(size, chunk, max(1, size // chunk))

    def ranges(self) -> list[tuple[int, int]]:
        """(first, end) of each chunk; the last runs to the end of the file."""
        starts = [i * self.chunk_size for i in range(self.count)]
        return [(start, starts[i + 1] if i + 1 < self.count else self.size) for i, start in enumerate(starts)]

    def source_info(self) -> dict[str, object]:
        return {
            "source": "FILE_UPLOAD",
            "video_size": self.size,
            "chunk_size": self.chunk_size,
            "total_chunk_count": self.count,
        }


async def send(http: httpx.AsyncClient, url: str, video: MediaItem, plan: ChunkPlan, per_request: float | None) -> None:
    """Every chunk in order. The URL is pre-signed (no token goes there). A lost answer to the last chunk is
    OutcomeUnknown: TikTok may have it all and publish; the status of the publish id settles it."""
    wait = httpx.USE_CLIENT_DEFAULT if per_request is None else per_request
    ranges = plan.ranges()
    for number, (first, end) in enumerate(ranges, start=1):
        headers = {
            "Content-Type": video.content_type,
            "Content-Range": f"bytes {first}-{end - 1}/{plan.size}",
        }
        last = number == len(ranges)
        try:
            response = await http.put(url, content=video.data[first:end], headers=headers, timeout=wait)
        except httpx.HTTPError as exc:
            raise lost_request(exc, where=f"TikTok upload of chunk {number}", creates=last) from exc
        if response.status_code not in (201, 206):
            cls = default_error(response.status_code)
            raise cls(f"TikTok upload of chunk {number}: the upload URL answered HTTP {response.status_code}")
