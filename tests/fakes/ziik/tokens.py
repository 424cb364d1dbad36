"""The JWTs the fake grants (HS256, signed here with its own key, ``exp`` after the token lifetime) and what a
Bearer token says: its user, or Ziik's 401 for one missing, forged, expired or revoked."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

from tests.fakes.http import Response
from tests.fakes.ziik.errors import error
from tests.fakes.ziik.users import USER_ID

SECRET = b"the fake ziik's signing key"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def grant(jti: int, lifetime: float) -> dict[str, Any]:
    now = int(time.time())
    expires = int(now + lifetime)
    claims = {"iss": "fake-ziik", "sub": USER_ID, "iat": now, "exp": expires, "jti": jti}
    head = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + _b64(json.dumps(claims).encode())
    signature = _b64(hmac.new(SECRET, head.encode(), hashlib.sha256).digest())
    return {"jwt": f"{head}.{signature}", "expires": expires}


def token_user(token: str | None, revoked_through: int) -> int | Response:
    """The user id a Bearer token names; tokens with a jti up to ``revoked_through`` are revoked."""
    if not token:
        return error(401, "token_missing", "A token is required")
    head, _, signature = token.rpartition(".")
    expected = _b64(hmac.new(SECRET, head.encode(), hashlib.sha256).digest())
    if not head or not hmac.compare_digest(signature, expected):
        return error(401, "token_invalid", "The token is invalid")
    payload = head.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    if claims["exp"] <= time.time():
        return error(401, "token_expired", "The token has expired")
    if claims["jti"] <= revoked_through:
        return error(401, "token_revoked", "The token has been revoked")
    return int(claims["sub"])
