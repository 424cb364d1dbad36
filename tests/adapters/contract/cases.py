"""Per platform, what the contract test needs to drive its adapter against a platform that answers every request
the same way: credentials that reach the publish call without a login or lookup first, the platform's own failure
envelope for an HTTP status, and where its classification differs from the common expectation (tests/adapters/
contract/case.py). The platforms that process before they post are in cases_processing.py."""

from __future__ import annotations

import base64
import json
import time

from atproto_client.client.session import Session

from adapters.base import AuthExpired, Platform, ReauthRequired
from tests.adapters.bsky.support import unsigned_jwt
from tests.adapters.contract.case import RETRY_AFTER, Case, limits
from tests.adapters.contract.cases_processing import PROCESSING_CASES
from tests.fakes.http import Response


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


def _ziik_token(_url: str) -> dict[str, str]:
    """A JWT that expires in an hour: the adapter has nothing to renew before the publish call."""

    def part(value: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return {"token": f"{part({'alg': 'HS256'})}.{part({'sub': 1, 'exp': int(time.time()) + 3600})}.signature"}


def _colibri(status: int, message: str) -> Response:
    """ColibriSM answers HTTP 200 for everything, the real status in the body (its web server's own statuses:
    tests/adapters/colibri/test_front_server.py)."""
    return Response(200, {"code": status, "message": message, "data": []}, limits(status))


# Amity's error codes for each HTTP status it answers with.
_AMITY_CODES = {401: 400100, 403: 400300, 404: 400400, 429: 400311}


def _amity(status: int, message: str) -> Response:
    code = _AMITY_CODES.get(status, 400000 if status < 413 else 500000)
    return Response(status, {"status": "error", "code": code, "message": message}, limits(status))


CASES: dict[Platform, Case] = {
    Platform.AMITY: Case(lambda _url: {"access_token": "token", "user_id": "user-contract"}, _amity),
    Platform.BLUESKY: Case(
        _bluesky_credentials,
        lambda status, message: Response(status, {"error": "ContractError", "message": message}, limits(status)),
        # 401: the stored session is refused, the password login too (the same answer): reconnect. 403: Bluesky's
        # refusals of the account itself (takedown, deactivation) come as 403.
        {403: ReauthRequired},
    ),
    # The default recipient as connecting stores it (id and username): the send is the first request.
    Platform.COLIBRI: Case(lambda _url: {"session_id": "contract-session", "user_id": "7"}, _colibri),
    Platform.COLIBRI_DM: Case(
        lambda _url: {"session_id": "contract", "user_id": "7", "recipient_id": "8", "recipient_username": "bob"},
        _colibri,
    ),
    Platform.DISCORD: Case(
        lambda _url: {"bot_token": "bot.token", "channel_id": "1100000000000000010", "guild_id": "1100000000000000001"},
        lambda status, message: Response(status, {"code": 0, "message": message}, limits(status)),
    ),
    Platform.MASTODON: Case(
        lambda _url: {"access_token": "token"},
        lambda status, message: Response(status, {"error": message}, limits(status)),
    ),
    # Slack answers HTTP 200 with {"ok": false, "error": <code>}, but a rate limit (HTTP 429 + Retry-After) and its
    # edge's 503. (Its internal_error to a post is in doubt, not Transient: tests/adapters/slack/test_failures.py.)
    Platform.SLACK: Case(
        lambda _url: {"bot_token": "xoxb-contract", "channel_id": "C0CONTRACT1"},
        lambda status, _message: Response(
            status if status in (429, 503) else 200,
            {
                "ok": False,
                "error": {
                    401: "invalid_auth",
                    403: "not_in_channel",
                    404: "channel_not_found",
                    413: "msg_too_long",
                    422: "invalid_arguments",
                    429: "ratelimited",
                }.get(status, "service_unavailable"),
            },
            limits(status),
        ),
    ),
    # Telegram: {"ok": false, "error_code", "description", "parameters"}; every 403 ("Forbidden: bot was kicked…")
    # says the bot lost its place in the chat. The chat's username is stored: the send is the first request.
    Platform.TELEGRAM: Case(
        lambda _url: {"bot_token": "1000000001:" + "A" * 35, "chat_id": "-1001000000001", "chat_username": "news"},
        lambda status, message: Response(
            status,
            {"ok": False, "error_code": status, "description": f"Error: {message}"}
            | ({"parameters": {"retry_after": RETRY_AFTER}} if status == 429 else {}),
        ),
        {403: ReauthRequired},
    ),
    Platform.TWITTER: Case(
        lambda _url: {"access_token": "token"},
        lambda status, message: Response(
            status, {"title": "Contract", "detail": message, "type": "about:blank", "status": status}, limits(status)
        ),
    ),
    Platform.ZIIK: Case(
        _ziik_token,
        lambda status, message: Response(
            status, {"error": {"code": "contract", "message": message, "is_ziik_error": True}}, limits(status)
        ),
        {401: AuthExpired},  # a session to renew first (ZiikAdapter refreshes: the publisher retries once)
    ),
    **PROCESSING_CASES,
}
