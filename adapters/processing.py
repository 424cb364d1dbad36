"""What an adapter keeps in a Pending handle while a platform processes a segment's uploads (Mastodon's and X's
video): the segment's media ids in order, those still processing, when the uploads were made (the media timeout
counts from there, across attempts and restarts) and how long to wait before asking again."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field, replace

from adapters.base import MediaRejected, Pending


@dataclass(frozen=True)
class MediaWait:
    media_ids: list[str]
    waiting: list[str]
    started: float  # epoch seconds
    delay: float
    # Alt texts still to set on media that was processing when uploaded (media id → text), where the platform
    # takes them only once the media is ready (X).
    alt_texts: dict[str, str] = field(default_factory=dict)

    @classmethod
    def begin(
        cls, media_ids: list[str], waiting: list[str], delay: float, alt_texts: dict[str, str] | None = None
    ) -> MediaWait:
        return cls(media_ids, waiting, time.time(), delay, alt_texts or {})

    def pending(self) -> Pending:
        return Pending(json.dumps(asdict(self)), self.delay)

    @classmethod
    def from_handle(cls, handle: str) -> MediaWait:
        return cls(**json.loads(handle))

    def again(self, still_waiting: list[str], *, platform: str, timeout: float, max_delay: float) -> Pending:
        """Ask later (each time later, up to ``max_delay``), or refuse once the platform took longer than
        ``timeout`` since the upload."""
        if time.time() - self.started > timeout:
            raise MediaRejected(
                f"{platform} media {', '.join(still_waiting)} was still processing after {timeout:.0f}s"
            )
        return replace(self, waiting=still_waiting, delay=min(self.delay * 2, max_delay)).pending()
