"""Webhook endpoints and their delivery attempts as the API shows them (a secret only where it was just made)."""

from __future__ import annotations

import msgspec

from octopost.timefmt import iso
from octopost.webhooks.schemas import WebhookAttemptRead, WebhookRead, WebhookWithSecret
from octopost.webhooks.tables import WebhookAttempt, WebhookEndpoint


def to_read(endpoint: WebhookEndpoint) -> WebhookRead:
    return WebhookRead(
        id=endpoint.id,
        url=endpoint.url,
        events=list(endpoint.events),
        is_active=endpoint.is_active,
        consecutive_failures=endpoint.consecutive_failures,
        disabled_reason=endpoint.disabled_reason,
        created_at=iso(endpoint.created_at) or "",
        updated_at=iso(endpoint.updated_at) or "",
    )


def with_secret(endpoint: WebhookEndpoint, secret: str) -> WebhookWithSecret:
    return WebhookWithSecret(**msgspec.structs.asdict(to_read(endpoint)), secret=secret)


def attempt_read(attempt: WebhookAttempt) -> WebhookAttemptRead:
    return WebhookAttemptRead(
        event_id=attempt.event_id,
        event_type=attempt.event_type,
        attempt=attempt.attempt,
        success=attempt.status_code is not None and 200 <= attempt.status_code < 300,
        status_code=attempt.status_code,
        error=attempt.error,
        duration_ms=attempt.duration_ms,
        attempted_at=iso(attempt.attempted_at) or "",
        next_retry_at=iso(attempt.next_retry_at),
    )
