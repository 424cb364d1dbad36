"""Request and response bodies of /v1/webhooks. The secret appears only in WebhookWithSecret."""

from __future__ import annotations

import msgspec
from msgspec import UNSET, UnsetType


class WebhookCreate(msgspec.Struct):
    url: str
    events: list[str]


class WebhookUpdate(msgspec.Struct):
    """Omitted fields stay as they are. ``is_active: true`` re-enables a disabled endpoint."""

    url: str | UnsetType = UNSET
    events: list[str] | UnsetType = UNSET
    is_active: bool | UnsetType = UNSET


class WebhookRead(msgspec.Struct):
    id: str
    url: str
    events: list[str]
    is_active: bool
    # Additive: failed attempts in a row, and why the endpoint was disabled (null while active).
    consecutive_failures: int
    disabled_reason: str | None
    created_at: str
    updated_at: str


class WebhookWithSecret(WebhookRead):
    """Answered by create and rotate-secret only: the signing secret is never shown again."""

    secret: str


class WebhookList(msgspec.Struct):
    webhooks: list[WebhookRead]


class WebhookAttemptRead(msgspec.Struct):
    event_id: str
    event_type: str
    attempt: int
    success: bool
    status_code: int | None
    error: str | None
    duration_ms: int
    attempted_at: str
    next_retry_at: str | None  # null: delivered, given up, or the endpoint was disabled


class WebhookAttemptList(msgspec.Struct):
    deliveries: list[WebhookAttemptRead]
