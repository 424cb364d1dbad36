"""A Mastodon instance as far as the real adapter (adapters/mastodon.py, Mastodon.py) needs it for text posts:
verify_credentials, the v2 (and v1) instance document with the status limits, and POST /api/v1/statuses with
Idempotency-Key honoured the way Mastodon does it (the same key from the same account answers the first
status again instead of creating another). Media uploads are not implemented.

Any bearer token is an account (the token names it); there is nothing to register first. The instance's status
limit is 500 unless a test sets another (``PUT /_fake/instance {"max_characters": N}``): instances differ.
"""

from __future__ import annotations

import hashlib
import html
import itertools
from datetime import UTC, datetime

from tests.fakes.core import Created, FakePlatform, Route
from tests.fakes.http import Request, Response

MAX_CHARACTERS = 500


def _account(token: str) -> dict[str, object]:
    number = int(hashlib.sha256(token.encode()).hexdigest()[:12], 16)
    username = f"fake{number % 10**8}"
    return {
        "id": str(number),
        "username": username,
        "acct": username,
        "display_name": f"Fake {username}",
        "avatar": "",
        "url": f"https://fake.invalid/@{username}",
        "created_at": "2024-01-01T00:00:00.000Z",
    }


class FakeMastodon(FakePlatform):
    write_paths = ("/api/v1/statuses",)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._ids = itertools.count(110_000_000_000_000_000)
        self._by_key: dict[tuple[str, str], dict[str, object]] = {}  # (token, Idempotency-Key) → status
        self.max_characters = MAX_CHARACTERS
        self._routes: dict[tuple[str, str], Route] = {
            ("GET", "/api/v1/accounts/verify_credentials"): self._verify_credentials,
            ("GET", "/api/v2/instance"): self._instance_v2,
            ("GET", "/api/v1/instance"): self._instance_v1,
            ("POST", "/api/v1/statuses"): self._post_status,
        }

    def routes(self) -> dict[tuple[str, str], Route]:
        return self._routes

    async def _verify_credentials(self, request: Request) -> Response:
        token = request.bearer()
        if not token:
            return Response(401, {"error": "The access token is invalid"})
        return Response(200, _account(token))

    def control(self, request: Request) -> Response:
        if request.path == "/_fake/instance" and request.method == "PUT":
            limit = (request.json_object() or {}).get("max_characters")
            if type(limit) is not int or limit < 1:
                return Response(400, {"error": "max_characters must be a positive integer"})
            self.max_characters = limit
            return Response(200, {"max_characters": limit})
        return super().control(request)

    async def _instance_v2(self, request: Request) -> Response:
        statuses = {
            "max_characters": self.max_characters,
            "characters_reserved_per_url": 23,
            "max_media_attachments": 4,
        }
        return Response(200, {"domain": "fake.invalid", "version": "4.2.0", "configuration": {"statuses": statuses}})

    async def _instance_v1(self, request: Request) -> Response:
        return Response(200, {"uri": "fake.invalid", "version": "4.2.0", "max_toot_chars": self.max_characters})

    async def _post_status(self, request: Request) -> Response:
        token = request.bearer()
        if not token:
            return Response(401, {"error": "The access token is invalid"})
        key = request.headers.get("idempotency-key")
        if key and (token, key) in self._by_key:
            return Response(200, self._by_key[(token, key)])
        form = request.form()
        text = (form.get("status") or [""])[0]
        if not text.strip():
            return Response(422, {"error": "Validation failed: Text can't be blank"})
        if len(text) > self.max_characters:
            limit = self.max_characters
            return Response(422, {"error": f"Validation failed: Text character limit of {limit} exceeded"})
        reply_to = (form.get("in_reply_to_id") or [None])[0]
        account = _account(token)
        status_id = str(next(self._ids))
        url = f"https://fake.invalid/@{account['username']}/{status_id}"
        status: dict[str, object] = {
            "id": status_id,
            "uri": url,
            "url": url,
            "content": f"<p>{html.escape(text)}</p>",
            "created_at": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "in_reply_to_id": reply_to,
            "visibility": "public",
            "account": account,
            "media_attachments": [],
        }
        if key:
            self._by_key[(token, key)] = status
        account_id = str(account["id"])
        self.record(
            Created(
                id=status_id,
                account=account_id,
                text=text,
                idempotency_key=key,
                reply_to=reply_to,
                received_at=request.received_at,
            )
        )
        return Response(200, status)
