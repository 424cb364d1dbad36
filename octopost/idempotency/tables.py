"""Idempotency records: the first response to each Idempotency-Key, kept 24 hours (Stripe's semantics).

The unique (workspace, mode, key) constraint is the lock: whoever inserts the row runs the request, on any
worker; everyone else replays its response, or is told it is still running (409) or was different (422).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from octopost.db import UTCDateTime, utcnow


class IdempotencyRecord(SQLModel, table=True):
    __tablename__ = "idempotency_record"
    __table_args__ = (
        # Test and live keys of one workspace never share a key: a replay must not cross modes.
        UniqueConstraint("workspace_id", "is_test", "idempotency_key", name="uq_idempotency_record_key"),
        Index("ix_idempotency_record_created", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: str = Field(foreign_key="workspace.id", max_length=40)
    is_test: bool = False
    idempotency_key: str = Field(max_length=255)
    request_method_path: str = Field(max_length=1000)  # "POST /v1/posts/post_…/publish"
    request_sha256: str = Field(max_length=64)  # of the canonical JSON body
    state: str = Field(default="locked", max_length=10)  # locked (running) | complete
    response_status: int | None = None
    response_body: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
