"""What a contract case is (cases.py and cases_processing.py give one per platform): how most platforms' failures
are classified, what a 429 carries, and what the contract needs to drive one adapter against a platform that
answers every request the same way."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from adapters.base import (
    Adapter,
    AdapterError,
    MediaItem,
    RateLimited,
    ReauthRequired,
    RefreshesSession,
    Rejected,
    Segment,
    Transient,
)
from tests.fakes.http import Response

RETRY_AFTER = 7  # seconds, in every 429 of the table
# How most platforms' failures are expected to be classified (MediaRejected counts as Rejected).
EXPECTED: dict[int, type[AdapterError]] = {
    401: ReauthRequired,
    403: Rejected,
    404: Rejected,
    413: Rejected,
    422: Rejected,
    429: RateLimited,
    500: Transient,
    503: Transient,
}
Envelope = Callable[[int, str], Response]


def limits(status: int) -> dict[str, str]:
    """What a 429 carries: Retry-After, and the reset headers some platforms send instead."""
    if status != 429:
        return {}
    reset = str(int(time.time()) + RETRY_AFTER)
    return {"retry-after": str(RETRY_AFTER), "ratelimit-reset": reset}


@dataclass(frozen=True)
class Case:
    credentials: Callable[[str], dict[str, str]]  # from the answering platform's URL
    envelope: Envelope
    expected: dict[int, type[AdapterError]] = field(default_factory=dict)
    # What the contract's main post carries besides its text: the media a platform requires there (info.media).
    media: tuple[MediaItem, ...] = ()
    # (method, path) of the publish call's first request where that request prepares rather than posts (a quota
    # read, a media container, an upload session): nothing a resend could duplicate, so its lost answer is Transient.
    prepares: tuple[str, str] | None = None

    def expect(self, status: int) -> type[AdapterError]:
        return self.expected.get(status, EXPECTED[status])

    def segment(self) -> Segment:
        """The main post the contract publishes."""
        return Segment(0, "the contract", self.media)


def can_refresh(adapter: Adapter) -> bool:
    """Whether an AuthExpired can be acted on as the engine does (scheduler/tokens.py): the adapter refreshes its
    own session, or the account holds an OAuth refresh token the platform's app exchanges."""
    if isinstance(adapter, RefreshesSession):
        return True
    return adapter.info.oauth is not None and bool(adapter.credentials.get("refresh_token"))
