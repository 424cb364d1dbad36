"""``FakeColibri``: the endpoint groups put together under ``/mobile_api/``, every answer shaped as the site (and
the web server in front of it) gives it, and the control plane (see the package's docstring)."""

from __future__ import annotations

import json
from dataclasses import asdict, fields

from tests.fakes.colibri.answers import ERROR, error_page, fail, invalid_endpoint
from tests.fakes.colibri.calls import API, Handler, call
from tests.fakes.colibri.messages import MessageEndpoints
from tests.fakes.colibri.posts import PostEndpoints
from tests.fakes.colibri.quirks import PHP_WARNING, UNAUTHORIZED_KINDS, Quirks, unauthorized
from tests.fakes.colibri.sessions import SessionEndpoints
from tests.fakes.colibri.users import USERS
from tests.fakes.core import Route
from tests.fakes.http import Request, Response

FAULTED = (API + "publish_post", API + "send_message", API + "upload_post_media", API + "delete_message")


class FakeColibri(SessionEndpoints, PostEndpoints, MessageEndpoints):
    write_paths = FAULTED

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        public = {"login": self._login, "refresh_access_token": self._refresh, "profile": self._profile}
        signed = {
            "get_chats": self._get_chats,
            "thread_data": self._thread_data,
            "publish_post": self._publish,
            "upload_post_media": self._upload,
            "delete_post_media": self._delete_media,
            "send_message": self._send_message,
            "delete_message": self._delete_message,
        }
        gets = {"profile", "get_chats", "thread_data"}
        self._routes: dict[tuple[str, str], Route] = {
            ("GET" if name in gets else "POST", API + name): self._endpoint(name, handler, signed=name in signed)
            for name, handler in {**public, **signed}.items()
        }

    def routes(self) -> dict[tuple[str, str], Route]:
        return self._routes

    # ---- how every answer is shaped --------------------------------------------------------------------

    async def __call__(self, request: Request) -> Response:
        endpoint = request.path.removeprefix(API)
        response = await super().__call__(request)
        if request.path.startswith(API) and response.status == 404 and not isinstance(response.body, bytes):
            return invalid_endpoint()
        body = response.body if isinstance(response.body, dict) else {}
        if response.status == 429:  # the web server's rate limiter, in front of the application
            html = b"<html><body><h1>429 Too Many Requests</h1></body></html>"
            return Response(429, html, {"content-type": "text/html", "retry-after": response.headers["retry-after"]})
        if response.status == 500 and body.get("message") == "injected by the fake":
            return fail(500, ERROR)  # the application's own error: it did not do it
        warned = self.quirks.php_warning if request.path.startswith(API) else []
        if ("*" in warned or endpoint in warned) and response.status == 200 and not isinstance(response.body, bytes):
            text = PHP_WARNING + json.dumps(response.body).encode()
            return Response(200, text, {"content-type": "text/html; charset=UTF-8"})
        return response

    def _endpoint(self, name: str, handler: Handler, *, signed: bool) -> Route:
        async def route(request: Request) -> Response:
            if name in self.quirks.missing:
                return invalid_endpoint()
            error = self.quirks.http_error or {}
            if error.get("endpoint") == name and not error.get("applied"):
                return error_page(int(error["status"]))
            found = call(request, name)
            if isinstance(found, Response):
                return found
            session = found.fields.get("session_id", "")
            found.user = USERS.get(self.sessions.get(session, 0)) if session not in self.expired else None
            if signed and found.user is None:
                return unauthorized(self.quirks)
            response = await handler(found)
            return error_page(int(error["status"])) if error.get("endpoint") == name else response

        return route

    # ---- control --------------------------------------------------------------------------------------------

    def _control(self, request: Request) -> Response:
        if request.path == "/_fake/reset" and request.method == "POST":
            self._fresh()
        return super()._control(request)

    def control(self, request: Request) -> Response:
        where = (request.method, request.path.removeprefix("/_fake/"))
        if where == ("PUT", "quirks"):
            data = request.json_object() or {}
            unknown = set(data) - {f.name for f in fields(Quirks)}
            if unknown or data.get("unauthorized", "body") not in UNAUTHORIZED_KINDS:
                return Response(400, {"error": f"bad quirks: {sorted(unknown) or data.get('unauthorized')}"})
            self.quirks = Quirks(**data)
            return Response(200, asdict(self.quirks))
        if where == ("POST", "expire_sessions"):
            self.expired |= set(self.sessions)
            return Response(200, {"expired": len(self.expired)})
        views = {
            "posts": lambda: list(self.posts.values()),
            "messages": lambda: self.messages,
            "drafts": lambda: {str(k): v for k, v in self.drafts.items()},
        }
        if request.method == "GET" and where[1] in views:
            return Response(200, views[where[1]]())
        return super().control(request)
