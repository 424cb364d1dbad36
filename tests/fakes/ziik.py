"""Ziik's content API (one tenant, mounted at ``/api`` as ``https://<tenant>.ziik.io/api`` is) as far as the real
adapter (adapters/ziik/) needs it, from docs.ziik.io (the ziikio/docs repository: authentication, content,
file/upload, errors, users) and the content API reference (shared/seeds/workplace-content-api.txt):

- ``POST /api/authenticate`` ``{"username", "password"}`` → ``[{"jwt", "expires"}]``, 422 for a wrong password;
  ``POST /api/renew`` (Bearer) → a new grant, 401 once the token expired or was revoked. The JWTs are HS256, signed
  here, with ``exp`` after ``lifetime_seconds`` (3600; ``PUT /_fake/tokens`` changes it);
- Bearer auth on every other route: missing, forged, expired or revoked → 401 in Ziik's envelope;
- ``GET /api/users/current``; ``POST /api/content`` (201, ``Location``); ``DELETE /api/content/{id}``;
- the upload flow: ``POST /api/upload`` → a presigned URL of the fake's storage, ``PUT /storage/{uuid}`` (S3's
  rules: the signed headers exactly, no ``Authorization`` beside the presigned query, S3's XML errors),
  ``POST /api/file/{id}/finalise`` → 204. An item created with ``fileCount`` n is published once n files are in.

Failures answer Ziik's documented envelope ``{"error": {"code", "message", "is_ziik_error"}}`` (the codes are the
fake's own: Ziik documents the envelope and the statuses, not its codes), with ``errors`` per field on a 422. The
shared faults (``Conditions``: 429 with Retry-After, 500) hit the writes (content, uploads, finalising) and are
re-shaped into that envelope; ``POST /_fake/fail_next`` makes the next n calls to a path fail with a status.

Strict where Ziik is (title required ≤255, the documented types, ``publish_on`` Unix seconds, group membership) and
stricter where that catches our mistakes: unknown fields are refused at every level, ``group`` and ``owner_unit``
together are refused, a body over 65,535 bytes (an undocumented limit we assume: a TEXT column), a poll needs a
question (≤255), 2+ distinct choices ``[{"title"}]`` (≤255) and a future ``close_at``, ``pinned.until`` must be in
the future, times that look like milliseconds are refused, and ``event`` is not modelled (refused).

Known: ``USERNAME``/``PASSWORD`` (user ``USER_ID``), and in tests/fakes/ziik_content.py (the body's checks) units
``HOME_UNIT`` and ``SECOND_UNIT``, ``GROUP_ID`` (a member), ``FOREIGN_GROUP_ID`` (not a member: 403), any other
group 404. ``created()`` rows: one per content item
(``text`` is its HTML body). ``GET /_fake/contents``: every item with its request, files and state.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.core import Created, FakePlatform, Route
from tests.fakes.http import Request, Response
from tests.fakes.ziik_content import GROUP_ID, HOME_UNIT, SECOND_UNIT, Invalid, check_content

USERNAME = "editor@example.com"
PASSWORD = "correct-horse-battery-staple"
USER_ID = 7
_SECRET = b"the fake ziik's signing key"

_USER = {
    "content_type": "user",
    "id": USER_ID,
    "name": "Erna Langworth",
    "first_name": "Erna",
    "last_name": "Langworth",
    "title": "Communications",
    "active": True,
    "email": USERNAME,
    "avatar": None,
    "url": f"api/users/{USER_ID}",
    "memberUnits": [{"unit": {"content_type": "unit", "id": u, "name": f"Unit {u}"}} for u in (HOME_UNIT, SECOND_UNIT)],
    "memberGroups": [{"id": GROUP_ID, "name": "Announcements"}],
}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _error(
    status: int,
    code: str,
    message: str,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    envelope: dict[str, Any] = {"code": code, "message": message, "is_ziik_error": status < 500}
    if errors:
        envelope["errors"] = errors
    return Response(status, {"error": envelope}, headers or {})


def _s3_error(status: int, code: str, message: str) -> Response:
    xml = f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>{message}</Message></Error>'
    return Response(status, xml.encode(), {"content-type": "application/xml"})


@dataclass
class _Ticket:
    uuid: str
    file_id: int
    content_id: int
    key: str
    mime: str
    filename: str
    data: bytes | None = None
    finalised: bool = False


@dataclass
class _Content:
    id: int
    request: dict[str, Any]
    created_at: int
    tickets: list[_Ticket] = field(default_factory=list)
    deleted: bool = False

    @property
    def expected_files(self) -> int:
        return int(self.request.get("fileCount") or 0)

    @property
    def files(self) -> list[_Ticket]:
        return [t for t in self.tickets if t.finalised]

    def published_at(self, now: float) -> int | None:
        publish = self.request.get("publish") or {}
        when = publish.get("publish_on")
        waiting = len(self.files) < self.expected_files  # "publishing will wait until files have been uploaded"
        if not publish.get("status") or when is None or when > now or waiting:
            return None
        return max(int(when), self.created_at)

    def as_json(self, now: float) -> dict[str, Any]:
        r = self.request
        publish = r.get("publish") or {}
        return {
            "id": self.id,
            "content_type": "news",
            "title": r["title"],
            "body": r.get("body") or "",
            "show_in_feed": r.get("show_in_feed", True),
            "important": r.get("important", False),
            "actively_requires_action": False,
            "pinned": r.get("pinned") or {},
            "confirm": {"enabled": (r.get("confirm") or {}).get("enabled", False), "total": 0},
            "publish": {
                "status": publish.get("status", False),
                "publish_on": publish.get("publish_on"),
                "unpublish_on": publish.get("unpublish_on"),
                "published_at": self.published_at(now),
                "created_at": self.created_at,
                "updated_at": self.created_at,
            },
            "comments": {"enabled": (r.get("comments") or {}).get("enabled", True), "count": 0},
            "visibility": r.get("visibility") or {},
            "sharing": r.get("sharing") or {"shares": []},
            "uploading_files": self.expected_files - len(self.files),
            "files": [
                {
                    "id": t.file_id,
                    "name": t.filename,
                    "mime": t.mime,
                    "size": len(t.data or b""),
                    "type": t.mime.split("/")[0],
                    "uploaded": True,
                }
                for t in self.files
            ],
            "group": {"id": r["group"]} if r.get("group") else None,
            "author": {"content_type": "user", "id": USER_ID, "name": _USER["name"]},
            "poll": r.get("poll"),
            "permissions": {"edit": True, "delete": True},
            "url": f"api/content/{self.id}",
        }


class FakeZiik(FakePlatform):
    write_paths = ("/api/content", "/api/upload", "/api/file")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._reset_state()
        self._routes: dict[tuple[str, str], Route] = {
            ("POST", "/api/authenticate"): self._authenticate,
            ("POST", "/api/renew"): self._renew,
            ("GET", "/api/users/current"): self._current_user,
            ("POST", "/api/content"): self._create_content,
            ("DELETE", "/api/content/{content_id}"): self._delete_content,
            ("POST", "/api/upload"): self._initiate_upload,
            ("PUT", "/storage/{uuid}"): self._store,
            ("POST", "/api/file/{file_id}/finalise"): self._finalise,
        }

    def _reset_state(self) -> None:
        self._contents: dict[int, _Content] = {}
        self._tickets: dict[str, _Ticket] = {}
        self._content_ids = itertools.count(1001)
        self._file_ids = itertools.count(5001)
        self._jtis = itertools.count(1)
        self._revoked_through = 0  # tokens with a jti up to this one are refused
        self._lifetime = 3600
        self._wrapped = False  # answer the created item as {"data": {...}}, as Ziik's older docs show it
        self._failures: list[dict[str, Any]] = []

    def routes(self) -> dict[tuple[str, str], Route]:
        return self._routes

    async def __call__(self, request: Request) -> Response:
        path, method = request.path, request.method
        if path == "/_fake/reset" and method == "POST":
            self._reset_state()
        elif not path.startswith("/_fake/"):
            failure = self._injected(method, path)
            if failure is not None:
                return _ziik_shaped(path, failure)
        response = await super().__call__(request)
        return response if path.startswith("/_fake/") else _ziik_shaped(path, response)

    # ---- auth -------------------------------------------------------------------------------------------

    async def _authenticate(self, request: Request) -> Response:
        self.stats["logins"] += 1
        body = request.json_object() if request.headers.get("content-type", "").startswith("application/json") else None
        if body is None or set(body) != {"username", "password"}:
            return _error(422, "invalid_request", "username and password are required (a JSON object)")
        if body["username"] != USERNAME or not hmac.compare_digest(str(body["password"]), PASSWORD):
            return _error(422, "invalid_credentials", "The username or password is incorrect")
        return Response(200, [self._grant(self._lifetime)])

    async def _renew(self, request: Request) -> Response:
        self.stats["renewals"] += 1
        caller = self._caller(request)
        return caller if isinstance(caller, Response) else Response(200, [self._grant(self._lifetime)])

    def _grant(self, lifetime: float) -> dict[str, Any]:
        now = int(time.time())
        expires = int(now + lifetime)
        claims = {"iss": "fake-ziik", "sub": USER_ID, "iat": now, "exp": expires, "jti": next(self._jtis)}
        head = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + _b64(json.dumps(claims).encode())
        signature = _b64(hmac.new(_SECRET, head.encode(), hashlib.sha256).digest())
        return {"jwt": f"{head}.{signature}", "expires": expires}

    def _caller(self, request: Request) -> int | Response:
        token = request.bearer()
        if not token:
            return _error(401, "token_missing", "A token is required")
        head, _, signature = token.rpartition(".")
        expected = _b64(hmac.new(_SECRET, head.encode(), hashlib.sha256).digest())
        if not head or not hmac.compare_digest(signature, expected):
            return _error(401, "token_invalid", "The token is invalid")
        payload = head.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        if claims["exp"] <= time.time():
            return _error(401, "token_expired", "The token has expired")
        if claims["jti"] <= self._revoked_through:
            return _error(401, "token_revoked", "The token has been revoked")
        return int(claims["sub"])

    async def _current_user(self, request: Request) -> Response:
        caller = self._caller(request)
        return caller if isinstance(caller, Response) else Response(200, {"data": _USER})

    # ---- content ------------------------------------------------------------------------------------------

    async def _create_content(self, request: Request) -> Response:
        caller = self._caller(request)
        if isinstance(caller, Response):
            return caller
        body = request.json_object()
        if body is None:
            return _error(400, "bad_request", "The request body must be a JSON object")
        try:
            check_content(body, time.time())
        except Invalid as exc:
            code = "validation_failed" if exc.status == 422 else "forbidden" if exc.status == 403 else "not_found"
            return _error(exc.status, code, exc.message, {exc.field: [exc.message]} if exc.status == 422 else None)
        content = _Content(next(self._content_ids), body, int(request.received_at))
        self._contents[content.id] = content
        self.record(
            Created(
                id=str(content.id),
                account=str(caller),
                text=body.get("body") or "",
                idempotency_key=None,
                reply_to=None,
                received_at=request.received_at,
            )
        )
        item = content.as_json(time.time())
        location = f"http://{request.headers.get('host', '127.0.0.1')}/api/content/{content.id}"
        return Response(201, {"data": item} if self._wrapped else item, {"location": location})

    async def _delete_content(self, request: Request) -> Response:
        found = self._own_content(request)
        if isinstance(found, Response):
            return found
        found.deleted = True
        return Response(204, b"")

    def _own_content(self, request: Request) -> _Content | Response:
        caller = self._caller(request)
        if isinstance(caller, Response):
            return caller
        raw = request.param("_content_id") or ""
        content = self._contents.get(int(raw)) if raw.isdigit() else None
        if content is None or content.deleted:
            return _error(404, "not_found", "The specified content could not be found")
        return content

    # ---- files ----------------------------------------------------------------------------------------------

    async def _initiate_upload(self, request: Request) -> Response:
        caller = self._caller(request)
        if isinstance(caller, Response):
            return caller
        body = request.json_object()
        if body is None or set(body) != {"id", "type", "content_type", "filename"}:
            return _error(422, "validation_failed", "id, type, content_type and filename are required, nothing else")
        if body["type"] != "contents":
            return _error(422, "validation_failed", f"the fake knows entity type 'contents' only, not {body['type']!r}")
        content_id, mime, filename = body["id"], body["content_type"], body["filename"]
        content = self._contents.get(content_id) if type(content_id) is int else None
        if content is None or content.deleted:
            return _error(404, "not_found", "The specified content could not be found")
        if not isinstance(mime, str) or mime.count("/") != 1 or not isinstance(filename, str) or not filename:
            return _error(422, "validation_failed", "content_type must be a MIME type and filename a name")
        if len(content.tickets) >= content.expected_files:
            return _error(422, "validation_failed", f"the content announced {content.expected_files} files (fileCount)")
        ticket = _Ticket(uuid.uuid4().hex, next(self._file_ids), content_id, "", mime, filename)
        ticket.key = f"contents/{content_id}/{ticket.uuid}/{filename}"
        content.tickets.append(ticket)
        self._tickets[ticket.uuid] = ticket
        host = request.headers.get("host", "127.0.0.1")
        url = f"http://{host}/storage/{ticket.uuid}?X-Amz-Expires=900&X-Amz-Signature={_signature(ticket.uuid)}"
        answer = {
            "uuid": ticket.uuid,
            "key": ticket.key,
            "url": url,
            "file": ticket.file_id,
            "headers": {"x-amz-acl": ["private"], "Content-Type": mime},
        }
        return Response(201, answer)

    async def _store(self, request: Request) -> Response:
        ticket = self._tickets.get(request.param("_uuid") or "")
        if ticket is None:
            return _s3_error(404, "NoSuchKey", "The specified key does not exist.")
        if "authorization" in request.headers:
            return _s3_error(400, "InvalidArgument", "Only one auth mechanism allowed")
        if not hmac.compare_digest(request.param("X-Amz-Signature") or "", _signature(ticket.uuid)):
            return _s3_error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match")
        if request.headers.get("content-type") != ticket.mime or request.headers.get("x-amz-acl") != "private":
            return _s3_error(403, "SignatureDoesNotMatch", "The signed headers were not sent as signed")
        if not request.body:
            return _s3_error(400, "MissingContent", "The file is empty")
        ticket.data = request.body
        etag = hashlib.md5(request.body, usedforsecurity=False).hexdigest()  # S3's ETag of a single-part upload
        return Response(200, b"", {"etag": f'"{etag}"'})

    async def _finalise(self, request: Request) -> Response:
        caller = self._caller(request)
        if isinstance(caller, Response):
            return caller
        raw = request.param("_file_id") or ""
        ticket = next((t for t in self._tickets.values() if str(t.file_id) == raw), None)
        if ticket is None or self._contents[ticket.content_id].deleted:
            return _error(404, "not_found", "The specified file could not be found")
        body = request.json_object()
        if body is None or set(body) != {"key"} or body["key"] != ticket.key:
            return _error(
                422, "validation_failed", "key must be the validation key of the upload", {"key": ["invalid"]}
            )
        if ticket.data is None:
            return _error(422, "validation_failed", "The file has not been uploaded")
        if ticket.finalised:
            return _error(422, "validation_failed", "The upload is already finalised")
        ticket.finalised = True
        return Response(204, b"")

    # ---- the control plane ------------------------------------------------------------------------------

    def control(self, request: Request) -> Response:
        path, method, body = request.path, request.method, request.json() if request.body else {}
        if path == "/_fake/contents" and method == "GET":
            now = time.time()
            return Response(200, [_describe(c, now) for c in self._contents.values()])
        if path == "/_fake/tokens" and method == "PUT":
            self._lifetime = int(body["lifetime_seconds"])
            return Response(200, {"lifetime_seconds": self._lifetime})
        if path == "/_fake/tokens" and method == "POST":  # a token as if the user had copied one from a login
            return Response(200, self._grant(float(body.get("lifetime_seconds", self._lifetime))))
        if path == "/_fake/tokens/revoke" and method == "POST":
            self._revoked_through = next(self._jtis)
            return Response(200, {"revoked_through": self._revoked_through})
        if path == "/_fake/fail_next" and method == "POST":
            self._failures.append(
                {
                    "method": body["method"],
                    "path": body["path"],
                    "status": int(body["status"]),
                    "times": int(body.get("times", 1)),
                    "code": body.get("code"),  # the storage's S3 error code
                }
            )
            return Response(200, {"failures": self._failures})
        if path == "/_fake/answers" and method == "PUT":
            self._wrapped = bool(body["wrapped"])
            return Response(200, {"wrapped": self._wrapped})
        return super().control(request)

    def _injected(self, method: str, path: str) -> Response | None:
        for failure in self._failures:
            if failure["times"] > 0 and failure["method"] == method and path.startswith(failure["path"]):
                failure["times"] -= 1
                self.stats[f"injected_{failure['status']}"] += 1
                status = failure["status"]
                if path.startswith("/storage/"):
                    code = failure["code"] or ("InternalError" if status >= 500 else "AccessDenied")
                    return _s3_error(status, code, "injected")
                return Response(status, {"error": "injected"}, {"retry-after": "1"} if status == 429 else {})
        return None


def _signature(upload_uuid: str) -> str:
    return hmac.new(_SECRET, upload_uuid.encode(), hashlib.sha256).hexdigest()


def _describe(content: _Content, now: float) -> dict[str, Any]:
    return {
        "id": str(content.id),
        "request": content.request,
        "deleted": content.deleted,
        "published": content.published_at(now) is not None,
        "uploading_files": content.expected_files - len(content.files),
        "files": [
            {"id": t.file_id, "name": t.filename, "mime": t.mime, "sha256": hashlib.sha256(t.data or b"").hexdigest()}
            for t in content.files
        ],
    }


# Ziik's documented statuses, with the fake's codes (Ziik documents the envelope and the statuses, not its codes).
_STATUS_ERRORS = {
    400: ("bad_request", "Bad Request"),
    401: ("unauthorized", "Unauthorized"),
    403: ("forbidden", "Forbidden"),
    404: ("not_found", "The specified content could not be found"),
    405: ("method_not_allowed", "Method Not Allowed"),
    406: ("not_acceptable", "Not Acceptable"),
    410: ("gone", "Gone"),
    422: ("validation_failed", "Unprocessable Entity"),
    429: ("too_many_requests", "Slow down!"),
    503: ("service_unavailable", "Service Unavailable"),
}


def _ziik_shaped(path: str, response: Response) -> Response:
    """The shared faults (and a route the fake lacks) answer in a generic shape; Ziik's look like this."""
    body = response.body
    if response.status < 400 or (isinstance(body, dict) and isinstance(body.get("error"), dict)):
        return response
    if path.startswith("/storage/"):
        return response if isinstance(body, bytes) else _s3_error(response.status, "InternalError", "injected")
    code, message = _STATUS_ERRORS.get(response.status, ("server_error", "Internal Server Error"))
    return _error(response.status, code, message, headers=response.headers)
