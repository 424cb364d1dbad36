"""The queue's weekly slots per workspace and mode, and the slots posts have taken."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from octopost.db import UTCDateTime, utcnow


class QueueSchedule(SQLModel, table=True):
    __tablename__ = "queue_schedule"

    workspace_id: str = Field(foreign_key="workspace.id", primary_key=True, max_length=40, ondelete="CASCADE")
    is_test: bool = Field(default=False, primary_key=True)
    timezone: str = Field(max_length=64)  # an IANA zone: slots keep their wall-clock time across DST changes
    slots: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)  # [{"day": "mon", "time": "09:00"}]
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SlotClaim(SQLModel, table=True):
    """A slot a post took with ``next_free_slot``. The unique key is what makes two concurrent requests take two
    different slots; the claim goes with its post (deleted, or rescheduled away from the slot)."""

    __tablename__ = "queue_slot_claim"
    __table_args__ = (UniqueConstraint("workspace_id", "is_test", "slot_at", name="uq_queue_slot"),)

    post_id: str = Field(foreign_key="post.id", primary_key=True, max_length=40, ondelete="CASCADE")
    workspace_id: str = Field(foreign_key="workspace.id", max_length=40, ondelete="CASCADE")
    is_test: bool = False
    slot_at: datetime = Field(sa_type=UTCDateTime)
