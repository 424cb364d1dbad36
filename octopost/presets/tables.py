"""A workspace's saved platform combinations (Octopost's presets page), per mode like every other object."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import JSON, Field, SQLModel

from octopost.db import UTCDateTime, utcnow


class Preset(SQLModel, table=True):
    __tablename__ = "preset"
    __table_args__ = (
        UniqueConstraint("workspace_id", "is_test", "name", name="uq_preset_name"),
        Index("ix_preset_workspace_mode", "workspace_id", "is_test", "created_at"),
    )

    id: str = Field(primary_key=True, max_length=40)
    workspace_id: str = Field(foreign_key="workspace.id", max_length=40, ondelete="CASCADE")
    is_test: bool = False
    name: str = Field(max_length=100)
    platforms: list[str] = Field(default_factory=list, sa_type=JSON)
    primary_platform: str | None = Field(default=None, max_length=20)
    cross_link_enabled: bool = False
    cross_link_template: str | None = Field(default=None, sa_type=Text)
    is_default: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
