"""The events a webhook endpoint can subscribe to, and the envelope every delivery carries."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import msgspec

from octopost.timefmt import iso


class EventType(StrEnum):
    POST_SCHEDULED = "post.scheduled"
    POST_PUBLISHED = "post.published"  # at least one platform succeeded
    POST_FAILED = "post.failed"  # every platform failed
    ACCOUNT_CONNECTED = "account.connected"
    ACCOUNT_DISCONNECTED = "account.disconnected"  # by the user, replaced, or its token found expired
    # A token that cannot be refreshed expires soon (LinkedIn's 60-day tokens): reconnect before expires_at.
    ACCOUNT_EXPIRING = "account.expiring"


KNOWN_EVENTS = frozenset(e.value for e in EventType)


def encode_envelope(event_id: str, event_type: str, created_at: datetime, data: dict[str, Any]) -> str:
    """``{"id": "evt_…", "type", "created_at", "data"}`` as the exact JSON text that is signed and sent."""
    envelope = {"id": event_id, "type": event_type, "created_at": iso(created_at), "data": data}
    return msgspec.json.encode(envelope).decode()
