"""X credentials → how tweepy and our httpx calls authenticate, the same way for both.

- OAuth 2.0 user token (``{"access_token"}``): ``Authorization: Bearer <token>``; tweepy calls take
  ``user_auth=False`` (tweepy's bearer path, which X accepts for user-context tokens).
- OAuth 1.0a (``consumer_key``, ``consumer_secret``, ``access_token``, ``access_token_secret``): each request
  HMAC-SHA1 signed in the Authorization header; tweepy calls take ``user_auth=True``. For httpx we sign with
  oauthlib, which is what tweepy's requests-oauthlib uses underneath. JSON and multipart bodies are not part of
  an OAuth 1.0a signature (only form-encoded ones are, which we never send): it covers method + URL + query.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from dataclasses import dataclass, field

import httpx
from oauthlib.oauth1 import SIGNATURE_HMAC_SHA1, SIGNATURE_TYPE_AUTH_HEADER
from oauthlib.oauth1 import Client as OAuth1Client

from adapters.base import ReauthRequired

OAUTH1_KEYS = ("consumer_key", "consumer_secret", "access_token", "access_token_secret")
_OAUTH1_ONLY = frozenset({"consumer_key", "consumer_secret", "access_token_secret"})


class BearerAuth(httpx.Auth):
    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request

    def __repr__(self) -> str:
        return "BearerAuth(***)"


class OAuth1Auth(httpx.Auth):
    """OAuth 1.0a signing for httpx; oauthlib makes a fresh nonce and timestamp per request."""

    def __init__(self, consumer_key: str, consumer_secret: str, access_token: str, access_token_secret: str) -> None:
        self._client = OAuth1Client(
            consumer_key,
            client_secret=consumer_secret,
            resource_owner_key=access_token,
            resource_owner_secret=access_token_secret,
            signature_method=SIGNATURE_HMAC_SHA1,
            signature_type=SIGNATURE_TYPE_AUTH_HEADER,
        )

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        _, headers, _ = self._client.sign(str(request.url), http_method=request.method)
        request.headers["Authorization"] = headers["Authorization"]
        yield request

    def __repr__(self) -> str:
        return "OAuth1Auth(***)"


@dataclass(frozen=True)
class XAuth:
    """One account's way of authenticating: tweepy's constructor kwargs and ``user_auth`` flag, and httpx's."""

    user_auth: bool  # tweepy's flag: True = OAuth 1.0a signing, False = Bearer (OAuth 2.0 user token)
    tweepy_kwargs: Mapping[str, str] = field(repr=False)
    httpx_auth: httpx.Auth = field(repr=False)
    can_refresh: bool = False  # an OAuth 2.0 refresh token is stored with the account

    @property
    def scheme(self) -> str:
        return "OAuth 1.0a" if self.user_auth else "OAuth 2.0"


def x_auth(credentials: Mapping[str, str]) -> XAuth:
    """The auth for ``credentials``; ReauthRequired when they fit neither accepted shape."""
    # Present means stored, even if empty: whether a value is any good is X's call (401), not ours.
    present = {key for key, value in credentials.items() if value is not None}
    if present & _OAUTH1_ONLY:
        missing = [key for key in OAUTH1_KEYS if key not in present]
        if missing:
            raise ReauthRequired(f"X OAuth 1.0a credentials are incomplete (missing {', '.join(missing)})")
        values = {key: credentials[key] for key in OAUTH1_KEYS}
        return XAuth(user_auth=True, tweepy_kwargs=values, httpx_auth=OAuth1Auth(**values))
    if "access_token" not in present:
        raise ReauthRequired("X credentials need an OAuth 2.0 access_token or the four OAuth 1.0a keys")
    token = credentials["access_token"]
    return XAuth(
        user_auth=False,
        tweepy_kwargs={"bearer_token": token},
        httpx_auth=BearerAuth(token),
        can_refresh=bool(credentials.get("refresh_token")),
    )
