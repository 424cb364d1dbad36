"""Uploaded media files: what was sniffed and probed; the bytes live in the data directory under the id."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from octopost.db import UTCDateTime, utcnow


class Upload(SQLModel, table=True):
    __tablename__ = "media_upload"
    __table_args__ = (Index("ix_media_upload_created", "created_at"),)  # housekeeping's oldest-first walk

    id: str = Field(primary_key=True, max_length=40)
    workspace_id: str = Field(foreign_key="workspace.id", max_length=40, ondelete="CASCADE")
    is_test: bool = False
    content_type: str = Field(max_length=40)
    kind: str = Field(max_length=10)  # image | video
    extension: str = Field(max_length=10)
    size: int
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
