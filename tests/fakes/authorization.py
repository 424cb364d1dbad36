"""Access tokens minted by the OAuth peer (tests/peers/oauth_server.py), as a platform fake accepts them.

A real platform accepts the tokens its own authorization server issued. In the through-the-API tests that server
is the OAuth peer, so a fake is told the peer's issuer and client (``PUT /_fake/authorization_server``) and then
accepts a bearer JWT only when it came from there: the issuer and client match, it has not expired, and it carries
the scopes the call needs. The signature is not checked (the peer's keys live in another process); everything the
platform decides on is.
"""

from __future__ import annotations

import base64
import json
import re
import time
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AuthorizationServer:
    issuer: str
    client_id: str

    @classmethod
    def from_json(cls, body: Any) -> AuthorizationServer:
        if not isinstance(body, dict) or not all(isinstance(body.get(k), str) for k in ("issuer", "client_id")):
            raise ValueError("authorization_server needs {issuer, client_id}")
        return cls(body["issuer"], body["client_id"])

    def scopes(self, token: str | None) -> frozenset[str] | None:
        """The scopes of ``token`` when it is a live token of this server for this client, else None."""
        claims = _claims(token or "")
        if claims is None or claims.get("iss") != self.issuer or claims.get("client_id") != self.client_id:
            return None
        if not isinstance(claims.get("exp"), int | float) or claims["exp"] <= time.time():
            return None
        return frozenset(scope for scope in re.split(r"[ ,]", str(claims.get("scope") or "")) if scope)


def _claims(token: str) -> dict[str, Any] | None:
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None
