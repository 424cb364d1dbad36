"""Webhook endpoints, the event outbox, one delivery per (event, endpoint), and every attempt to send it.

Events and their deliveries are written in the same transaction as the status change they announce (the
outbox); the sender (scheduler/webhooks.py) claims due deliveries under a lease, as targets are claimed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import JSON, Field, SQLModel

from octopost.db import UTCDateTime, utcnow


class WebhookEndpoint(SQLModel, table=True):
    __tablename__ = "webhook_endpoint"
    __table_args__ = (Index("ix_webhook_endpoint_workspace", "workspace_id", "is_test", "is_active"),)

    id: str = Field(primary_key=True, max_length=40)
    workspace_id: str = Field(foreign_key="workspace.id", max_length=40)
    # Made with an oct_test_ key: only test keys see it, and it receives only test posts' and accounts' events.
    is_test: bool = False
    url: str = Field(max_length=2000)
    events: list[str] = Field(default_factory=list, sa_type=JSON)
    secret_encrypted: str = Field(sa_type=Text)  # the whsec_ secret, encrypted like platform credentials
    is_active: bool = True
    # Failed attempts since the last delivered one; reaching OCTOPOST_WEBHOOK_DISABLE_AFTER disables it.
    consecutive_failures: int = 0
    disabled_reason: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class WebhookEvent(SQLModel, table=True):
    """One event (evt_…). ``payload`` is the exact body sent, so every retry sends the same bytes."""

    __tablename__ = "webhook_event"

    id: str = Field(primary_key=True, max_length=40)
    workspace_id: str = Field(foreign_key="workspace.id", index=True, max_length=40)
    type: str = Field(max_length=40)
    payload: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class WebhookDelivery(SQLModel, table=True):
    """One event to one endpoint: pending → sending (claimed under a lease) → delivered | failed."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        UniqueConstraint("event_id", "endpoint_id", name="uq_webhook_delivery_event_endpoint"),
        Index("ix_webhook_delivery_due", "status", "next_attempt_at"),
        Index("ix_webhook_delivery_lease", "status", "lease_until"),
        Index("ix_webhook_delivery_endpoint", "endpoint_id", "status"),
    )

    id: str = Field(primary_key=True, max_length=40)
    event_id: str = Field(foreign_key="webhook_event.id", max_length=40, ondelete="CASCADE")
    endpoint_id: str = Field(foreign_key="webhook_endpoint.id", max_length=40, ondelete="CASCADE")
    status: str = Field(default="pending", max_length=20)
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    lease_owner: str | None = Field(default=None, max_length=120)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebhookAttempt(SQLModel, table=True):
    """One HTTP request of a delivery: what the receiver answered, how long it took, when the next try is."""

    __tablename__ = "webhook_attempt"
    __table_args__ = (Index("ix_webhook_attempt_endpoint_time", "endpoint_id", "attempted_at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: str = Field(foreign_key="webhook_delivery.id", index=True, max_length=40, ondelete="CASCADE")
    endpoint_id: str = Field(foreign_key="webhook_endpoint.id", max_length=40, ondelete="CASCADE")
    event_id: str = Field(max_length=40)
    event_type: str = Field(max_length=40)
    attempt: int
    status_code: int | None = None
    error: str | None = Field(default=None, sa_type=Text)
    duration_ms: int
    attempted_at: datetime = Field(sa_type=UTCDateTime)
    next_retry_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
