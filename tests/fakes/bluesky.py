"""A Bluesky PDS as far as the real adapter (adapters/bluesky/, the atproto SDK) needs it for text posts:
createSession / refreshSession / getSession, getRecord, createRecord with a caller-chosen record key (the
adapter's idempotency key; a taken key fails with 500 like the real PDS, and the adapter then finds the
record by that key), and resolveHandle. Blob uploads are not implemented.

An account is made by its first login; later logins must use the same password. Tokens are unsigned JWTs
whose payload the SDK reads (it refreshes shortly before ``exp``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time

from tests.fakes.core import Created, FakePlatform, Route
from tests.fakes.http import Request, Response

_POST = "app.bsky.feed.post"
_TOKEN_SECONDS = 2 * 3600


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _jwt(did: str, scope: str) -> str:
    now = int(time.time())
    header = {"alg": "HS256", "typ": "at+jwt"}
    payload = {"scope": scope, "sub": did, "iat": now, "exp": now + _TOKEN_SECONDS, "jti": secrets.token_hex(8)}
    return ".".join(_b64url(json.dumps(part).encode()) for part in (header, payload)) + "." + _b64url(b"fake")


def cid_of(record: object) -> str:
    """A CIDv1 (dag-cbor, sha2-256) in base32, the shape real record CIDs have (hashed over JSON here)."""
    digest = hashlib.sha256(json.dumps(record, sort_keys=True).encode()).digest()
    return "b" + base64.b32encode(bytes([0x01, 0x71, 0x12, 0x20]) + digest).decode().lower().rstrip("=")


def _did(handle: str) -> str:
    return "did:plc:" + base64.b32encode(hashlib.sha256(handle.encode()).digest()).decode().lower()[:24]


def _error(status: int, error: str, message: str) -> Response:
    return Response(status, {"error": error, "message": message})


class FakeBluesky(FakePlatform):
    write_paths = ("/xrpc/com.atproto.repo.createRecord",)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._passwords: dict[str, str] = {}  # handle → password
        self._handles: dict[str, str] = {}  # did → handle
        self._access: dict[str, str] = {}  # token → did
        self._refresh: dict[str, str] = {}
        self._records: dict[tuple[str, str, str], dict[str, object]] = {}  # (did, collection, rkey) → record
        self._routes: dict[tuple[str, str], Route] = {
            ("POST", "/xrpc/com.atproto.server.createSession"): self._create_session,
            ("POST", "/xrpc/com.atproto.server.refreshSession"): self._refresh_session,
            ("GET", "/xrpc/com.atproto.server.getSession"): self._get_session,
            ("GET", "/xrpc/com.atproto.repo.getRecord"): self._get_record,
            ("POST", "/xrpc/com.atproto.repo.createRecord"): self._create_record,
            ("GET", "/xrpc/com.atproto.identity.resolveHandle"): self._resolve_handle,
        }

    def routes(self) -> dict[tuple[str, str], Route]:
        return self._routes

    def _session(self, did: str) -> dict[str, object]:
        access, refresh = _jwt(did, "com.atproto.access"), _jwt(did, "com.atproto.refresh")
        self._access[access] = did
        self._refresh[refresh] = did
        return {"did": did, "handle": self._handles[did], "accessJwt": access, "refreshJwt": refresh, "active": True}

    def _caller(self, request: Request, tokens: dict[str, str]) -> str | None:
        token = request.bearer()
        return tokens.get(token) if token else None

    async def _create_session(self, request: Request) -> Response:
        body = request.json() or {}
        identifier, password = str(body.get("identifier") or ""), str(body.get("password") or "")
        if not identifier or not password:
            return _error(400, "InvalidRequest", "identifier and password are required")
        handle = identifier if "." in identifier else f"{identifier}.fake.test"
        known = self._passwords.setdefault(handle, password)  # the first login makes the account
        if known != password:
            return _error(401, "AuthenticationRequired", "Invalid identifier or password")
        did = _did(handle)
        self._handles[did] = handle
        return Response(200, self._session(did))

    async def _refresh_session(self, request: Request) -> Response:
        did = self._caller(request, self._refresh)
        if did is None:
            return _error(400, "ExpiredToken", "Token has expired")
        return Response(200, self._session(did))

    async def _get_session(self, request: Request) -> Response:
        did = self._caller(request, self._access)
        if did is None:
            return _error(401, "AuthenticationRequired", "Authentication Required")
        return Response(200, {"did": did, "handle": self._handles[did], "active": True})

    async def _get_record(self, request: Request) -> Response:
        repo, collection, rkey = request.param("repo"), request.param("collection"), request.param("rkey")
        did = repo if repo in self._handles else _did(repo or "")
        record = self._records.get((did, collection or "", rkey or ""))
        if record is None:
            return _error(400, "RecordNotFound", f"Could not locate record: at://{repo}/{collection}/{rkey}")
        return Response(200, record)

    async def _create_record(self, request: Request) -> Response:
        did = self._caller(request, self._access)
        if did is None:
            return _error(401, "AuthenticationRequired", "Authentication Required")
        body = request.json() or {}
        if body.get("repo") not in (did, self._handles[did]):
            return _error(400, "InvalidRequest", "Invalid repo")
        collection = str(body.get("collection") or "")
        rkey = str(body.get("rkey") or secrets.token_hex(7))
        value = body.get("record") or {}
        if (did, collection, rkey) in self._records:
            # What the real PDS answers for a taken record key (its unique constraint fails inside the commit).
            return _error(500, "InternalServerError", "Internal Server Error")
        uri = f"at://{did}/{collection}/{rkey}"
        cid = cid_of(value)
        self._records[(did, collection, rkey)] = {"uri": uri, "cid": cid, "value": value}
        if collection == _POST:
            reply = value.get("reply") if isinstance(value, dict) else None
            parent = reply.get("parent", {}).get("uri") if isinstance(reply, dict) else None
            text = str(value.get("text", "")) if isinstance(value, dict) else ""
            self.record(
                Created(
                    id=uri,
                    account=did,
                    text=text,
                    idempotency_key=rkey,
                    reply_to=parent,
                    received_at=request.received_at,
                )
            )
        return Response(200, {"uri": uri, "cid": cid, "validationStatus": "valid"})

    async def _resolve_handle(self, request: Request) -> Response:
        handle = request.param("handle") or ""
        if handle not in self._passwords:
            return _error(400, "InvalidRequest", "Unable to resolve handle")
        return Response(200, {"did": _did(handle)})
