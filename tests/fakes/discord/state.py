"""The channels the fake knows (and the threads started in it) and the messages it keeps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

GUILD_ID = "1100000000000000001"
CHANNEL_ID = "1100000000000000010"
DM_CHANNEL_ID = "1100000000000000020"
HIDDEN_CHANNEL_ID = "1100000000000000030"

GUILD_TEXT, DM, PUBLIC_THREAD = 0, 1, 11


@dataclass
class Channel:
    id: str
    type: int
    guild_id: str | None = None
    parent_id: str | None = None
    name: str = "general"
    last_message_id: str | None = None

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "name": self.name,
            "flags": 0,
            "last_message_id": self.last_message_id,
        }
        if self.guild_id:
            body.update(guild_id=self.guild_id, parent_id=self.parent_id, position=0, rate_limit_per_user=0)
        if self.type == PUBLIC_THREAD:
            body.update(
                message_count=0,
                member_count=1,
                total_message_sent=0,
                thread_metadata={"archived": False, "auto_archive_duration": 4320, "locked": False},
            )
        return body


@dataclass
class Message:
    body: dict[str, Any]
    received_at: float
    thread_id: str | None = None  # set once a thread is started from this message
