"""Workspaces and API keys (only a hash of each key's secret is stored)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, String
from sqlmodel import JSON, Field, SQLModel

from octopost.db import UTCDateTime, utcnow


class Workspace(SQLModel, table=True):
    __tablename__ = "workspace"

    id: str = Field(primary_key=True, max_length=40)
    name: str = Field(sa_column=Column(String(200), unique=True, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_key"

    id: str = Field(primary_key=True, max_length=40)
    workspace_id: str = Field(foreign_key="workspace.id", index=True, max_length=40)
    name: str = Field(max_length=200)
    mode: str = Field(default="live", max_length=10)  # live | test
    scopes: list[str] = Field(default_factory=list, sa_type=JSON)
    secret_sha256: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    prefix: str = Field(max_length=24)  # the first characters, to recognise a key in a list
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
