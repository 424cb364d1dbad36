"""``FakeZiik``: sign-in and renewal, the current user, content items, the uploads (uploads.py) and the control
plane, every failure in Ziik's envelope (see the package's docstring)."""

from __future__ import annotations

import hmac
import time

from tests.fakes.core import Created, Route
from tests.fakes.http import Request, Response
from tests.fakes.ziik.content_checks import Invalid, check_content
from tests.fakes.ziik.contents import Content, describe
from tests.fakes.ziik.errors import error, s3_error, ziik_shaped
from tests.fakes.ziik.uploads import UploadRoutes
from tests.fakes.ziik.users import OTHER_USER_ID, PASSWORD, USER, USER_ID, USERNAME


class FakeZiik(UploadRoutes):
    write_paths = ("/api/content", "/api/upload", "/api/file")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
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

    def routes(self) -> dict[tuple[str, str], Route]:
        return self._routes

    async def __call__(self, request: Request) -> Response:
        path, method = request.path, request.method
        if path == "/_fake/reset" and method == "POST":
            self._reset_state()
        elif not path.startswith("/_fake/"):
            failure = self._injected(method, path)
            if failure is not None:
                return ziik_shaped(path, failure)
        response = await super().__call__(request)
        return response if path.startswith("/_fake/") else ziik_shaped(path, response)

    # ---- auth -------------------------------------------------------------------------------------------

    async def _authenticate(self, request: Request) -> Response:
        self.stats["logins"] += 1
        body = request.json_object() if request.headers.get("content-type", "").startswith("application/json") else None
        if body is None or set(body) != {"username", "password"}:
            return error(422, "invalid_request", "username and password are required (a JSON object)")
        if body["username"] != USERNAME or not hmac.compare_digest(str(body["password"]), PASSWORD):
            return error(422, "invalid_credentials", "The username or password is incorrect")
        return Response(200, [self._grant(self._lifetime)])

    async def _renew(self, request: Request) -> Response:
        self.stats["renewals"] += 1
        caller = self._caller(request)
        return caller if isinstance(caller, Response) else Response(200, [self._grant(self._lifetime)])

    async def _current_user(self, request: Request) -> Response:
        caller = self._caller(request)
        return caller if isinstance(caller, Response) else Response(200, {"data": USER})

    # ---- content ------------------------------------------------------------------------------------------

    async def _create_content(self, request: Request) -> Response:
        caller = self._caller(request)
        if isinstance(caller, Response):
            return caller
        body = request.json_object()
        if body is None:
            return error(400, "bad_request", "The request body must be a JSON object")
        try:
            check_content(body, time.time())
        except Invalid as exc:
            code = "validation_failed" if exc.status == 422 else "forbidden" if exc.status == 403 else "not_found"
            return error(exc.status, code, exc.message, {exc.field: [exc.message]} if exc.status == 422 else None)
        content = Content(next(self._content_ids), body, int(request.received_at))
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
        if found.author_id != USER_ID:  # the user has no permission to delete another's news
            return error(403, "forbidden", "You do not have permission to delete this content")
        found.deleted = True
        return Response(204, b"")

    def _own_content(self, request: Request) -> Content | Response:
        caller = self._caller(request)
        if isinstance(caller, Response):
            return caller
        raw = request.param("_content_id") or ""
        content = self._contents.get(int(raw)) if raw.isdigit() else None
        if content is None or content.deleted:
            return error(404, "not_found", "The specified content could not be found")
        return content

    # ---- the control plane ------------------------------------------------------------------------------

    def control(self, request: Request) -> Response:
        path, method, body = request.path, request.method, request.json() if request.body else {}
        if path == "/_fake/contents" and method == "GET":
            now = time.time()
            return Response(200, [describe(c, now) for c in self._contents.values()])
        if path == "/_fake/foreign_content" and method == "POST":  # a published item another user wrote
            publish = {"status": True, "publish_on": int(time.time())}
            content = Content(next(self._content_ids), {"title": "Theirs", "publish": publish}, int(time.time()))
            content.author_id = OTHER_USER_ID
            self._contents[content.id] = content
            return Response(200, {"id": str(content.id)})
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
                    return s3_error(status, code, "injected")
                return Response(status, {"error": "injected"}, {"retry-after": "1"} if status == 429 else {})
        return None
