"""Request and response bodies of /v1/queue."""

from __future__ import annotations

import msgspec


class QueueSlot(msgspec.Struct):
    day: str  # mon … sun
    time: str  # HH:MM, 24-hour, local to the queue's timezone


class QueueSchedule(msgspec.Struct):
    timezone: str
    slots: list[QueueSlot]


class UpcomingSlot(msgspec.Struct):
    scheduled_for: str  # the instant, UTC
    day: str
    time: str


class UpcomingSlots(msgspec.Struct):
    timezone: str
    slots: list[UpcomingSlot]
