"""``GET /access_token?grant_type=th_exchange_token|ig_exchange_token&client_secret=...&access_token=...``: the
short-lived token of the code exchange traded for a long-lived (60-day) one, as Meta's Threads and Instagram
references describe it, and as strict:

- the grant type must be the platform's (else 100);
- the app's secret must be there and be the app's (else 101 when missing, and Meta's answer to a wrong one:
  code 1, "Error validating client secret.");
- the token must be a live short-lived token: one the OAuth peer issued to the app (tests/fakes/authorization.py),
  not expired (Meta: expired short-lived tokens cannot be exchanged; else 190);
- it must carry the permissions Octopost's calls need (``FakeGraph.exchange_scopes``; else 10), so a connect
  that asked for too little fails here rather than at the first post.

The app's secret is the OAuth peer's default client secret (tests/peers/oauth_server.py), so a service configured
with ``tests.api.oauth_support.octopost_for`` holds it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.fakes.http import Request, Response
from tests.fakes.meta.graph import graph_error, invalid_parameter, new_id

if TYPE_CHECKING:
    from tests.fakes.meta.base import FakeGraph

APP_SECRET = "octopost-test-secret"


def exchange(fake: FakeGraph, request: Request) -> Response:
    if request.param("grant_type") != fake.exchange_grant:
        return invalid_parameter(f"Param grant_type must be {fake.exchange_grant}")
    secret = request.param("client_secret")
    if not secret:
        return graph_error("Error validating application. Missing client_secret.", code=101)
    if secret != APP_SECRET:
        return graph_error("Error validating client secret.", code=1)
    scopes = fake.oauth_scopes(request.param("access_token"))
    if scopes is None:
        return graph_error("Invalid OAuth access token - Cannot parse access token", code=190)
    missing = sorted(fake.exchange_scopes - scopes)
    if missing:
        return graph_error(f"(#10) The user has not granted the permission(s) {','.join(missing)}", code=10)
    fake.stats["exchanges"] += 1
    token = f"{fake.token_prefix}-long-lived-{new_id()}"
    return Response(200, {"access_token": token, "token_type": "bearer", "expires_in": fake.expires_in})
