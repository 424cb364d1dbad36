"""The RFC 6749 token endpoint, for every platform alike: the authorization-code exchange (with the PKCE verifier)
and the refresh. Over the owner's guarded httpx client, so the operator's token URL is held to the network policy
like every other outbound call.

Confidential clients authenticate with HTTP Basic (client_id:client_secret), public PKCE clients send their
client_id in the form: what X documents, and RFC 6749 section 2.3.1 prefers. Platforms that want the secret in the
form instead (Meta, LinkedIn, TikTok) say so in their OAuthSpec, with the name they give the client id.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from adapters.answers import retry_after_seconds
from adapters.base import ClientAuth, RateLimited, ReauthRequired, Rejected, Transient
from octopost.oauth.apps import OAuthApp


def new_verifier() -> str:
    """A PKCE code verifier: 43 characters of base64url from 32 random bytes (RFC 7636 section 4.1)."""
    return secrets.token_urlsafe(32)


def challenge_of(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class Tokens:
    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    expires_at: datetime | None = None
    scope: str | None = None
    # What the answer says beside the tokens that the account keeps (OAuthSpec.token_fields: TikTok's open_id).
    identity: dict[str, str] = field(default_factory=dict)

    def credentials(self) -> dict[str, str]:
        """What the account stores (encrypted): the tokens and when the access token expires."""
        values = {**self.identity, "access_token": self.access_token}
        if self.refresh_token:
            values["refresh_token"] = self.refresh_token
        if self.expires_at is not None:
            values["expires_at"] = self.expires_at.isoformat()
        return values


class TokenClient:
    def __init__(self, app: OAuthApp, http: httpx.AsyncClient) -> None:
        self.app = app
        self.http = http

    def authorize_url(self, *, state: str, verifier: str, redirect_uri: str) -> str:
        spec = self.app.spec
        params = {
            "response_type": "code",
            spec.client_id_param: self.app.client_id,
            "redirect_uri": redirect_uri,
            "scope": spec.scope_separator.join(spec.scopes),
            "state": state,
            "code_challenge": challenge_of(verifier),
            "code_challenge_method": "S256",
            **dict(spec.authorize_params),
        }
        separator = "&" if "?" in self.app.authorize_url else "?"
        return f"{self.app.authorize_url}{separator}{urlencode(params, quote_via=quote)}"  # spaces as %20

    async def exchange(self, *, code: str, verifier: str, redirect_uri: str, now: datetime) -> Tokens:
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        return await self._grant(form | {"code_verifier": verifier}, now, action="the code exchange")

    async def refresh(self, refresh_token: str, now: datetime) -> Tokens:
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        return await self._grant(form, now, action="the token refresh")

    async def revoke(self, token: str, hint: str) -> None:
        """RFC 7009: the platform forgets ``token`` (``hint``: refresh_token or access_token). Raises like a grant."""
        if self.app.revoke_url is None:
            return
        form, headers = self._client_auth({"token": token, "token_type_hint": hint})
        try:
            response = await self.http.post(self.app.revoke_url, data=form, headers=headers)
        except httpx.HTTPError as exc:
            raise Transient(f"the revocation could not reach the platform ({type(exc).__name__})") from None
        if not response.is_success:
            raise _failure(response, _json(response), "the revocation")

    def _client_auth(self, form: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
        """The form and headers of a request that authenticates the client: Basic when confidential."""
        headers = {"Accept": "application/json"}
        client = {self.app.spec.client_id_param: self.app.client_id}
        if self.app.client_secret and self.app.spec.client_auth == ClientAuth.POST:
            return form | client | {"client_secret": self.app.client_secret}, headers
        if self.app.client_secret:
            pair = f"{self.app.client_id}:{self.app.client_secret}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
            return form, headers
        return form | client, headers

    async def _grant(self, form: dict[str, str], now: datetime, *, action: str) -> Tokens:
        form, headers = self._client_auth(form)
        try:
            response = await self.http.post(self.app.token_url, data=form, headers=headers)
        except httpx.HTTPError as exc:
            raise Transient(f"{action} could not reach the token endpoint ({type(exc).__name__})") from None
        body = _unwrapped(_json(response))
        if response.is_success and isinstance(body.get("access_token"), str):
            return _tokens(body, now, self.app.spec.token_fields)
        raise _failure(response, body, action)


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _unwrapped(body: dict[str, Any]) -> dict[str, Any]:
    """Instagram Login answers the code exchange as ``{"data": [{"access_token", "user_id", "permissions"}]}``;
    every other platform as RFC 6749's object itself."""
    data = body.get("data")
    if "access_token" not in body and isinstance(data, list) and len(data) == 1 and isinstance(data[0], dict):
        return dict(data[0])
    return body


def _tokens(body: dict[str, Any], now: datetime, kept: tuple[str, ...]) -> Tokens:
    lifetime = body.get("expires_in")
    expires_at = now + timedelta(seconds=int(lifetime)) if isinstance(lifetime, int | float) else None
    refresh = body.get("refresh_token")
    scope = body.get("scope")
    return Tokens(
        access_token=body["access_token"],
        refresh_token=refresh if isinstance(refresh, str) and refresh else None,
        expires_at=expires_at,
        scope=scope if isinstance(scope, str) else None,
        identity={name: str(body[name]) for name in kept if isinstance(body.get(name), str | int)},
    )


def _failure(response: httpx.Response, body: dict[str, Any], action: str) -> Exception:
    """RFC 6749 section 5.2's error codes: the grant refused → the user must reconnect; the client refused → the
    operator's app settings are wrong; the server's trouble → try again."""
    code = str(body.get("error") or f"HTTP {response.status_code}")
    detail = body.get("error_description")
    message = f"{action} was refused ({code}{': ' + str(detail) if detail else ''})"
    if response.status_code == 429:
        return RateLimited(message, retry_after_seconds(response.headers))
    if response.status_code >= 500:
        return Transient(message)
    if code == "invalid_grant":
        return ReauthRequired(message)
    if code in ("invalid_client", "unauthorized_client"):
        return Rejected(f"{message}: check the app's client id and secret")
    return Rejected(message)
