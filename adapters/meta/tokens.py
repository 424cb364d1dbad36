"""Meta's long-lived user tokens refreshed by the platform's own call, ``GET /refresh_access_token?grant_type=...``
(Threads: ``th_refresh_token``, Instagram Login: ``ig_refresh_token``): no RFC 6749 refresh token exists, the live
token itself is exchanged for one valid 60 more days. The token goes as a query parameter there, the call's one
documented form; it never appears in an error message (adapters/http.py names the action, not the URL)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from adapters.answers import non_empty_text
from adapters.base import Transient
from adapters.meta.graph import GraphApi


async def refreshed(api: GraphApi, grant_type: str, credentials: Mapping[str, str]) -> dict[str, str]:
    """``credentials`` with the new token and its ``expires_at``."""
    answer = await api.request(
        "GET",
        "/refresh_access_token",
        action="token refresh",
        params={"grant_type": grant_type, "access_token": credentials.get("access_token", "")},
    )
    token = non_empty_text(answer.get("access_token")) if isinstance(answer, Mapping) else None
    if token is None:
        raise Transient(f"{api.name} answered the token refresh without a token")
    updated = {**credentials, "access_token": token}
    expires_in = answer.get("expires_in")
    if isinstance(expires_in, int) and not isinstance(expires_in, bool):
        updated["expires_at"] = (datetime.now(UTC) + timedelta(seconds=expires_in)).isoformat()
    return updated
