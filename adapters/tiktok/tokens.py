"""TikTok's token refresh: not RFC 6749's client authentication (octopost/oauth/client.py sends ``client_id``, with
HTTP Basic for a confidential client), but a form with ``client_key`` and ``client_secret``, answered with a new
access token (2 hours) and a new refresh token (the old one stops working): both are returned together so the
account saves them in one write."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from adapters.base import ReauthRequired, Rejected, Secrets, Transient
from adapters.http import default_error

TOKEN_PATH = "/v2/oauth/token/"


async def refreshed(
    http: httpx.AsyncClient, token_url: str, app: Mapping[str, str], credentials: Secrets
) -> dict[str, str]:
    refresh_token = credentials.get("refresh_token")
    if not refresh_token:
        raise ReauthRequired("TikTok: no refresh token is stored; connect the account again")
    if not app.get("client_id") or not app.get("client_secret"):
        raise Rejected("TikTok: the refresh needs the app's client key and secret (OCTOPOST_TIKTOK_CLIENT_ID/_SECRET)")
    form = {
        "client_key": app["client_id"],
        "client_secret": app["client_secret"],
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
    }
    try:
        response = await http.post(token_url, data=form, headers={"Cache-Control": "no-cache"})
    except httpx.HTTPError as exc:
        raise Transient(f"TikTok token refresh could not reach TikTok ({type(exc).__name__})") from None
    try:
        body: Any = response.json()
    except ValueError:
        body = {}
    if response.is_success and isinstance(body, Mapping) and isinstance(body.get("access_token"), str):
        return _credentials(body, credentials)
    error = body.get("error") if isinstance(body, Mapping) else None
    detail = body.get("error_description") if isinstance(body, Mapping) else None
    message = f"TikTok token refresh was refused ({error or response.status_code}: {detail or ''})".replace(": )", ")")
    if error == "invalid_grant":
        raise ReauthRequired(message + "; connect the account again")
    raise default_error(response.status_code if response.status_code >= 400 else 400)(message)


def _credentials(body: Mapping[str, Any], stored: Secrets) -> dict[str, str]:
    now = datetime.now(UTC)
    values = {**stored, "access_token": str(body["access_token"])}
    if isinstance(body.get("refresh_token"), str):
        values["refresh_token"] = body["refresh_token"]
    for field, key in (("expires_in", "expires_at"), ("refresh_expires_in", "refresh_expires_at")):
        seconds = body.get(field)
        if isinstance(seconds, int | float):
            values[key] = (now + timedelta(seconds=seconds)).isoformat()
    if isinstance(body.get("open_id"), str):
        values["open_id"] = body["open_id"]
    return values
