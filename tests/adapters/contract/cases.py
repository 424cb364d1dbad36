"""Per platform, what the contract test needs to drive its adapter against a platform that answers every request
the same way: credentials that reach the publish call without a login or lookup first, the platform's own failure
envelope for an HTTP status, and where its classification differs from the common expectation."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from atproto_client.client.session import Session

from adapters.base import AdapterError, Platform, RateLimited, ReauthRequired, Rejected, Transient
from tests.adapters.bsky.support import unsigned_jwt
from tests.fakes.http import Response

RETRY_AFTER = 7  # seconds, in every 429 of the table
# How most platforms' failures are expected to be classified (MediaRejected counts as Rejected).
EXPECTED: dict[int, type[AdapterError]] = {
    401: ReauthRequired,
    403: Rejected,
    404: Rejected,
    413: Rejected,
    422: Rejected,
    429: RateLimited,
    500: Transient,
    503: Transient,
}
Envelope = Callable[[int, str], Response]


def _limits(status: int) -> dict[str, str]:
    """What a 429 carries: Retry-After, and the reset headers some platforms send instead."""
    if status != 429:
        return {}
    reset = str(int(time.time()) + RETRY_AFTER)
    return {"retry-after": str(RETRY_AFTER), "ratelimit-reset": reset}


@dataclass(frozen=True)
class Case:
    credentials: Callable[[str], dict[str, str]]  # from the answering platform's URL
    envelope: Envelope
    expected: dict[int, type[AdapterError]] = field(default_factory=dict)

    def expect(self, status: int) -> type[AdapterError]:
        return self.expected.get(status, EXPECTED[status])


def _bluesky_credentials(url: str) -> dict[str, str]:
    did = "did:plc:contractcontractcontract"
    session = Session(
        handle="contract.test",
        did=did,
        access_jwt=unsigned_jwt(did, "com.atproto.access"),
        refresh_jwt=unsigned_jwt(did, "com.atproto.refresh"),
        pds_endpoint=url,
    ).encode()
    return {"identifier": "contract.test", "password": "app-password", "session": session}


CASES: dict[Platform, Case] = {
    Platform.BLUESKY: Case(
        _bluesky_credentials,
        lambda status, message: Response(status, {"error": "ContractError", "message": message}, _limits(status)),
        # 401: the stored session is refused, the password login too (the same answer): reconnect. 403: Bluesky's
        # refusals of the account itself (takedown, deactivation) come as 403.
        {403: ReauthRequired},
    ),
    Platform.DISCORD: Case(
        lambda _url: {"bot_token": "bot.token", "channel_id": "1100000000000000010", "guild_id": "1100000000000000001"},
        lambda status, message: Response(status, {"code": 0, "message": message}, _limits(status)),
    ),
    Platform.MASTODON: Case(
        lambda _url: {"access_token": "token"},
        lambda status, message: Response(status, {"error": message}, _limits(status)),
    ),
    Platform.TWITTER: Case(
        lambda _url: {"access_token": "token"},
        lambda status, message: Response(
            status, {"title": "Contract", "detail": message, "type": "about:blank", "status": status}, _limits(status)
        ),
    ),
}
