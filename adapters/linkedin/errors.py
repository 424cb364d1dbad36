"""What LinkedIn's answers mean: its error envelope is ``{"status", "serviceErrorCode", "code", "message"}``; the
token failures carry a ``serviceErrorCode`` (65600 invalid, 65601 revoked, 65602 expired) and a code name.

A 401 is ReauthRequired (most apps get no refresh token: the member connects again), except an expired token when
a refresh token is stored (AuthExpired: the engine refreshes it). 429 is LinkedIn's daily throttle: it names no
Retry-After, and its day ends at midnight UTC. 400 and 422 are Rejected with LinkedIn's message (a field refused,
a duplicate post), 403 a missing permission (w_member_social / w_organization_social, or not an admin of the
organization): Rejected too, the account must be connected with the right scopes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from adapters.base import AuthExpired, ReauthRequired, Transient
from adapters.http import ErrorTable

EXPIRED_TOKEN = 65602
LINKEDIN_ERRORS = ErrorTable(
    statuses={401: ReauthRequired, 504: Transient},
    codes={65600: ReauthRequired, 65601: ReauthRequired},
)
# With a refresh token stored, an expired access token is the engine's to refresh.
REFRESHABLE_ERRORS = ErrorTable(
    statuses=LINKEDIN_ERRORS.statuses, codes={**LINKEDIN_ERRORS.codes, EXPIRED_TOKEN: AuthExpired}
)


def service_error_code(body: Any) -> Any:
    return body.get("serviceErrorCode") if isinstance(body, Mapping) else None


def describe(body: Any) -> str:
    """LinkedIn's message, with the code name when it has one ("UNPROCESSABLE_ENTITY: ...")."""
    if not isinstance(body, Mapping):
        return ""
    message = body.get("message")
    code = body.get("code")
    text = message.strip() if isinstance(message, str) else ""
    if isinstance(code, str) and code and code not in text:
        return f"{code}: {text}" if text else code
    return text


def until_midnight_utc(now: datetime | None = None) -> float:
    """LinkedIn's daily limits reset at midnight UTC: the seconds until then."""
    current = now or datetime.now(UTC)
    midnight = (current + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return (midnight - current).total_seconds()
