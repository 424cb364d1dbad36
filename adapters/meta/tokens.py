"""Meta's long-lived user tokens refreshed by the platform's own call, ``GET /refresh_access_token?grant_type=...``
(Threads: ``th_refresh_token``, Instagram Login: ``ig_refresh_token``): no RFC 6749 refresh token exists, the live
token itself is exchanged for one valid 60 more days. The token goes as a query parameter there, the call's one
documented form; it never appears in an error message (adapters/http.py names the action, not the URL)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from adapters.answers import non_empty_text
from adapters.base import Rejected, Transient
from adapters.meta.errors import GraphError
from adapters.meta.graph import GraphApi

# What Meta answers a call authenticated by the app's secret when the app's id or secret is wrong (101, and 1 with
# "Error validating client secret."): elsewhere 1 is Meta's passing trouble, here the operator's settings.
_APP_REFUSED_CODES = (1, 101)
# Long-lived tokens last 60 days and may be renewed once a day old: renewing a week ahead leaves room for outages.
RENEW_BEFORE_EXPIRY_DAYS = 7


async def refreshed(api: GraphApi, grant_type: str, credentials: Mapping[str, str]) -> dict[str, str]:
    """``credentials`` with the new token and its ``expires_at``."""
    params = {"grant_type": grant_type, "access_token": credentials.get("access_token", "")}
    answer = await api.request("GET", "/refresh_access_token", action="token refresh", params=params)
    return _with_token(api, answer, credentials)


async def long_lived(
    api: GraphApi, grant_type: str, app: Mapping[str, str], credentials: Mapping[str, str]
) -> dict[str, str]:
    """At connect: the code exchange's one-hour token traded for a 60-day one (``GET /access_token`` with
    ``th_exchange_token`` / ``ig_exchange_token``, authenticated by the app's secret)."""
    secret = app.get("client_secret")
    if not secret:
        raise Rejected(f"{api.name}: the long-lived token exchange needs the app's secret (its _CLIENT_SECRET)")
    params = {"grant_type": grant_type, "client_secret": secret, "access_token": credentials.get("access_token", "")}
    action = "long-lived token exchange"
    answer = await api.exchange("GET", "/access_token", action=action, params=params)
    if not 200 <= answer.status < 300:
        error = GraphError.of(answer.body)
        if error is not None and error.code in _APP_REFUSED_CODES:
            raise Rejected(
                f"{api.name} refused the app during the {action} ({error.describe()}): check the app's id and "
                "secret (its _CLIENT_ID and _CLIENT_SECRET)"
            )
        raise api.error_for(answer, action=action)
    return _with_token(api, answer.body, credentials)


def _with_token(api: GraphApi, answer: Any, credentials: Mapping[str, str]) -> dict[str, str]:
    token = non_empty_text(answer.get("access_token")) if isinstance(answer, Mapping) else None
    if token is None:
        raise Transient(f"{api.name} answered the token call without a token")
    updated = {**credentials, "access_token": token}
    expires_in = answer.get("expires_in")
    if isinstance(expires_in, int) and not isinstance(expires_in, bool):
        updated["expires_at"] = (datetime.now(UTC) + timedelta(seconds=expires_in)).isoformat()
    return updated
