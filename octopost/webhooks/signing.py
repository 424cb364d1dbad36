"""Endpoint secrets (whsec_…) and Standard Webhooks signatures, made by the `standardwebhooks` package."""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, datetime

from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"
_SECRET_BYTES = 32  # the spec asks for 24 to 64 random bytes


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(_SECRET_BYTES)).decode()


def signed_headers(secret: str, message_id: str, body: str, now: datetime) -> dict[str, str]:
    """webhook-id / webhook-timestamp / webhook-signature (``v1,<base64 HMAC-SHA256 of id.timestamp.body>``)."""
    seconds = int(now.timestamp())
    signature = Webhook(secret).sign(message_id, datetime.fromtimestamp(seconds, UTC), body)
    return {"webhook-id": message_id, "webhook-timestamp": str(seconds), "webhook-signature": signature}
