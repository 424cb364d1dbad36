"""Short-lived tokens shaped as the OAuth peer mints them (tests/fakes/authorization.py reads their claims and
checks no signature), for adapter tests that exchange one without running the peer."""

from __future__ import annotations

import base64
import json
import time

ISSUER = "http://127.0.0.1:9/oauth-peer-of-the-adapter-tests"
CLIENT_ID = "octopost-test-client"


def short_lived(scopes: tuple[str, ...], *, lifetime: float = 3600) -> str:
    """A token of ``ISSUER`` for ``CLIENT_ID`` carrying ``scopes`` (negative ``lifetime``: already expired)."""
    claims: dict[str, object] = {
        "iss": ISSUER,
        "client_id": CLIENT_ID,
        "exp": int(time.time() + lifetime),
        "scope": " ".join(scopes),
    }
    header: dict[str, object] = {"alg": "none"}
    return ".".join((_part(header), _part(claims), "unchecked"))


def _part(value: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()
