"""Graph's long-lived token exchange, ``GET /oauth/access_token?grant_type=fb_exchange_token&client_id=
&client_secret=&fb_exchange_token=``: the app must be the fake's (the OAuth peer's default client) and the token a
live one of the OAuth peer the fake trusts, carrying the scopes posting as a Page needs. The answer is a long-lived
user token the fake knows (``Settings.exchange_token``: which Pages /me/accounts then lists)."""

from __future__ import annotations

from tests.fakes.facebook.base import GraphBase, invalid
from tests.fakes.facebook.graph import APP_ID, APP_SECRET, EXCHANGE_SCOPES, LONG_LIVED_SECONDS, graph_failure
from tests.fakes.http import Request, Response

EXCHANGE_PARAMS = frozenset({"grant_type", "client_id", "client_secret", "fb_exchange_token"})


class TokenExchange(GraphBase):
    async def _exchange_token(self, request: Request) -> Response:
        self.stats["token_exchanges"] += 1
        unknown = sorted(set(request.query) - EXCHANGE_PARAMS)
        if unknown:
            return invalid(f"Param {unknown[0]} is not a valid parameter of this edge (the fake is strict)")
        if request.param("grant_type") != "fb_exchange_token":
            return invalid("The grant_type is not supported here (the fake plays fb_exchange_token)")
        if request.param("client_id") != APP_ID:
            return graph_failure(400, 101, "Error validating application. Invalid application ID.")
        if request.param("client_secret") != APP_SECRET:
            return graph_failure(400, 1, "Error validating client secret.")
        scopes = self.oauth_scopes(request.param("fb_exchange_token"))
        if scopes is None:
            return graph_failure(400, 190, "Invalid OAuth access token - Cannot parse access token")
        missing = sorted(EXCHANGE_SCOPES - scopes)
        if missing:
            return graph_failure(
                403, 200, f"(#200) The user has not granted the permissions {', '.join(missing)} to the app"
            )
        body = {"access_token": self.settings.exchange_token, "token_type": "bearer", "expires_in": LONG_LIVED_SECONDS}
        return Response(200, body)
