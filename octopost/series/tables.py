"""A recurring post's series: its rule, the template later occurrences are made from, and how far it has been
materialized (occurrences are posts: post.series_id, post.occurrence_at)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, Text
from sqlmodel import JSON, Field, SQLModel

from octopost.db import UTCDateTime, utcnow


class PostSeries(SQLModel, table=True):
    __tablename__ = "post_series"
    # The materializer's question: which series have an occurrence to create now.
    __table_args__ = (Index("ix_post_series_next", "next_at"),)

    id: str = Field(primary_key=True, max_length=40)  # ser_…
    workspace_id: str = Field(foreign_key="workspace.id", max_length=40, ondelete="CASCADE")
    is_test: bool = False
    rrule: str = Field(sa_type=Text)  # RRULE parts, without DTSTART (that is starts_at in timezone)
    timezone: str = Field(max_length=64)
    starts_at: datetime = Field(sa_type=UTCDateTime)  # the rule's first occurrence
    # What later occurrences are made of: the post's editable fields but scheduled_for.
    template: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    # The cursor: occurrences up to here were created (or skipped): one deleted by hand is not made again.
    materialized_until: datetime = Field(sa_type=UTCDateTime)
    next_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # the next to create; None: none left
    ends_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # ended: no occurrence after this
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
