"""Request and response bodies of POST /v1/accounts/connect."""

from __future__ import annotations

import msgspec


class ConnectStart(msgspec.Struct):
    platform: str
    return_to: str | None = None  # where the browser goes after the callback, with ?account_id=…
    base_url: str | None = None  # the platform's API server (default: the platform's own)
    # The platform's non-secret account fields, where it has any: Facebook's page_id (the Page to post as),
    # LinkedIn's organization_id (post as that organization).
    fields: dict[str, str] | None = None


class ConnectStarted(msgspec.Struct):
    authorize_url: str  # open it in the user's browser
    state: str
    expires_at: str
