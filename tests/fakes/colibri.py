"""A ColibriSM site's mobile API (``/mobile_api/<endpoint>``) as the ColibriSM adapters (adapters/colibri/) need
it, one site serving the timeline and the direct messages: ``login``, ``refresh_access_token``, ``profile``,
``get_chats``, ``thread_data``, ``upload_post_media``, ``delete_post_media``, ``publish_post``, ``send_message``.
Fields, limits and answers as the seeds (colibri-create-post-api.txt, colibri-messages-api.txt) and the public
api_docs pages of ColibriSM sites give them; what no public page shows (login's and refresh's fields and answers,
thread_data's refusal, the fake's own refusals of unknown fields) is marked "not documented" below.

What it checks, as the site does: HTTP 200 for everything with the real status in the body's ``code``; every call
but login/refresh needs a known ``session_id`` (else ``{"code": 401, "message": "Unauthorized Access"}``, or the
variants of the ``unauthorized`` quirk: HTTP 401, ``{"status": 400, "error": "Invalid access token"}``); an unknown
endpoint answers ``{"status": "400", "err_code": "invalid_endpoint"}``. ``post_text`` past 600 characters is
**cropped silently**. Uploads attach to the user's **one draft** and ``publish_post`` takes every file waiting there
(two posts uploading at once merge); ≤10 images or one video; a GIF or a poll only without other media; polls of
2 to 4 ``{"value": ...}`` options (≤100 characters: not documented, our bound); ``privacy`` one of everyone,
followers, mentioned, ignored for replies (the site opens replies to everyone); a reply's ``thread_id`` is **not
checked**. Messages ≤3000 characters, one image (``type=media``); BOB takes messages, CAROL blocked ALICE, DAVE
takes messages from nobody. Stricter than the site on purpose: unknown fields are refused (a misspelt field fails a
test), files must look like what their ``type`` says.

Faults (``Conditions``) hit publish_post, send_message and upload_post_media, re-shaped as the site answers them: a
429 comes from the web server in front (HTML, Retry-After), a 500 is the application's own envelope (HTTP 200,
``code`` 500, "try again later") and was not applied. Control (``/_fake/...``): ``PUT quirks`` (``unauthorized``,
``php_warning`` endpoints, ``missing`` endpoints, ``http_error`` {endpoint, status, applied}), ``POST
expire_sessions``, ``GET posts|messages|drafts``. ``created()`` rows: one per post (``reply_to`` = its thread_id)
or message; ``account`` is the author's user id.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field, fields
from typing import Any
from urllib.parse import parse_qs

from tests.fakes.core import Created, FakePlatform, Route
from tests.fakes.http import Request, Response


@dataclass(frozen=True)
class User:
    id: int
    username: str
    first_name: str
    last_name: str
    password: str = ""
    takes_messages: bool = True
    blocked: frozenset[int] = frozenset()  # user ids this user blocked


ALICE = User(7, "alice", "Alice", "Liddell", password="alice-password")
BOB = User(8, "bob", "Bob", "Marley")
CAROL = User(9, "carol", "Carol", "Danvers", blocked=frozenset({ALICE.id}))
DAVE = User(10, "dave", "Dave", "Grohl", takes_messages=False)
USERS = {u.id: u for u in (ALICE, BOB, CAROL, DAVE)}
ALICE_SESSION = "a11ce5e55104de25cc16eb00960f076c1378c7b84ede29c0"  # as copied from the site's app

MAX_POST_CHARS, MAX_MESSAGE_CHARS, MAX_IMAGES, MAX_POLL_OPTION_CHARS = 600, 3000, 10, 100
PRIVACY = frozenset({"everyone", "followers", "mentioned"})
API = "/mobile_api/"
FAULTED = (API + "publish_post", API + "send_message", API + "upload_post_media")
PHP_WARNING = (
    b'<br />\n<b>Warning</b>:  Undefined array key "og_data" in <b>/var/www/html/core/apps/mobile_api/'
    b"app_ctrl.php</b> on line <b>217</b><br />\n"
)
_FIELDS = {  # per endpoint: the form fields it takes, then its file parts
    "login": ({"username", "password", "device_type"}, set()),
    "refresh_access_token": ({"refresh_token"}, set()),
    "profile": ({"session_id", "user_id"}, set()),
    "get_chats": ({"session_id"}, set()),
    "thread_data": ({"session_id", "thread_id"}, set()),
    "upload_post_media": ({"session_id", "type"}, {"file"}),
    "delete_post_media": ({"session_id", "type", "media_id"}, set()),
    "publish_post": ({"session_id", "post_text", "thread_id", "gif_src", "og_data", "poll_data", "privacy"}, set()),
    "send_message": ({"session_id", "user_id", "type", "message"}, {"image"}),
}
_PUBLICATION = "Invalid data for publication. Please check your details"
_ERROR = "An error occurred while processing your request. Please try again later."
_MEDIA_TYPE = "Media file type is missing or invalid"


def ok(data: Any = None, message: str = "", **more: Any) -> Response:
    return Response(200, {"code": 200, "message": message, "data": [] if data is None else data, **more})


def fail(code: int, message: str, **more: Any) -> Response:
    return Response(200, {"code": code, "message": message, "data": [], **more})


@dataclass
class Quirks:
    unauthorized: str = "body"  # body | http | invalid_access_token
    php_warning: list[str] = field(default_factory=list)  # endpoints ("*": all) whose answers PHP warnings precede
    missing: list[str] = field(default_factory=list)  # endpoints this site does not have
    http_error: dict[str, Any] | None = None  # {"endpoint", "status", "applied"}: the front server's error page


@dataclass
class Call:
    """One request as a handler sees it: the caller (None before login), its fields and its files."""

    user: User | None
    fields: dict[str, str]
    files: dict[str, tuple[str | None, bytes]]
    site: str  # the site's own URL (post URLs)
    at: float


Handler = Callable[[Call], Awaitable[Response]]


class FakeColibri(FakePlatform):
    write_paths = FAULTED

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._fresh()
        public = {"login": self._login, "refresh_access_token": self._refresh, "profile": self._profile}
        signed = {
            "get_chats": self._get_chats,
            "thread_data": self._thread_data,
            "publish_post": self._publish,
            "upload_post_media": self._upload,
            "delete_post_media": self._delete_media,
            "send_message": self._send_message,
        }
        gets = {"profile", "get_chats", "thread_data"}
        self._routes: dict[tuple[str, str], Route] = {
            ("GET" if name in gets else "POST", API + name): self._endpoint(name, handler, signed=name in signed)
            for name, handler in {**public, **signed}.items()
        }

    def _fresh(self) -> None:
        self.quirks = Quirks()
        self.sessions: dict[str, int] = {ALICE_SESSION: ALICE.id}
        self.expired: set[str] = set()
        self.refresh_tokens: dict[str, int] = {}
        self.drafts: dict[int, list[dict[str, Any]]] = {}
        self.posts: dict[int, dict[str, Any]] = {}
        self.messages: list[dict[str, Any]] = []
        self._post_ids, self._media_ids = itertools.count(13), itertools.count(4)
        self._message_ids = itertools.count(49)

    def routes(self) -> dict[tuple[str, str], Route]:
        return self._routes

    # ---- how every answer is shaped --------------------------------------------------------------------

    async def __call__(self, request: Request) -> Response:
        endpoint = request.path.removeprefix(API)
        response = await super().__call__(request)
        if request.path.startswith(API) and response.status == 404 and not isinstance(response.body, bytes):
            return Response(200, {"status": "400", "err_code": "invalid_endpoint"})  # no such endpoint on the site
        body = response.body if isinstance(response.body, dict) else {}
        if response.status == 429:  # the web server's rate limiter, in front of the application
            html = b"<html><body><h1>429 Too Many Requests</h1></body></html>"
            return Response(429, html, {"content-type": "text/html", "retry-after": response.headers["retry-after"]})
        if response.status == 500 and body.get("message") == "injected by the fake":
            return fail(500, _ERROR)  # the application's own error: it did not do it
        warned = self.quirks.php_warning if request.path.startswith(API) else []
        if ("*" in warned or endpoint in warned) and response.status == 200 and not isinstance(response.body, bytes):
            text = PHP_WARNING + json.dumps(response.body).encode()
            return Response(200, text, {"content-type": "text/html; charset=UTF-8"})
        return response

    def _endpoint(self, name: str, handler: Handler, *, signed: bool) -> Route:
        async def route(request: Request) -> Response:
            if name in self.quirks.missing:
                return Response(200, {"status": "400", "err_code": "invalid_endpoint"})
            error = self.quirks.http_error or {}
            if error.get("endpoint") == name and not error.get("applied"):
                return _error_page(int(error["status"]))
            call = _call(request, name)
            if isinstance(call, Response):
                return call
            session = call.fields.get("session_id", "")
            call.user = USERS.get(self.sessions.get(session, 0)) if session not in self.expired else None
            if signed and call.user is None:
                return self._unauthorized()
            response = await handler(call)
            return _error_page(int(error["status"])) if error.get("endpoint") == name else response

        return route

    def _unauthorized(self) -> Response:
        kind = self.quirks.unauthorized
        if kind == "invalid_access_token":
            return Response(200, {"status": 400, "error": "Invalid access token"})
        return Response(401 if kind == "http" else 200, {"code": 401, "data": [], "message": "Unauthorized Access"})

    # ---- the session (login and refresh: not documented) -----------------------------------------------------

    async def _login(self, call: Call) -> Response:
        user = next((u for u in USERS.values() if u.username == call.fields.get("username")), None)
        if user is None or not user.password or call.fields.get("password") != user.password:
            return fail(400, "Incorrect credentials")
        return self._new_session(user, "User logged in successfully")

    async def _refresh(self, call: Call) -> Response:
        user_id = self.refresh_tokens.pop(call.fields.get("refresh_token", ""), None)
        if user_id is None:
            return fail(400, "Refresh token is missing or invalid")
        self.stats["refreshes"] += 1
        for session in [s for s, owner in self.sessions.items() if owner == user_id]:  # other sessions: logged out
            del self.sessions[session]
        return self._new_session(USERS[user_id], "Access token refreshed successfully")

    def _new_session(self, user: User, message: str) -> Response:
        session, refresh = secrets.token_hex(24), secrets.token_hex(24)
        self.sessions[session] = user.id
        self.refresh_tokens[refresh] = user.id
        return ok(_user_json(user), message, auth={"session_id": session, "refresh_token": refresh})

    # ---- reads ----------------------------------------------------------------------------------------------

    async def _profile(self, call: Call) -> Response:
        user = USERS.get(int(call.fields["user_id"])) if call.fields.get("user_id", "").isdigit() else None
        if user is None:
            return fail(400, "User ID is missing or invalid", err_code="invalid_request_data")
        visitor = call.user.id if call.user else 0
        data = {
            **_user_json(user),
            "is_blocked_visitor": visitor in user.blocked,
            "is_following": False,
            "can_view_profile": True,
            "profile_privacy": "everyone",
            "member_since": "Sep 2020",
        }
        return ok(data, "Profile fetched successfully")

    async def _get_chats(self, call: Call) -> Response:
        assert call.user is not None
        me = call.user.id
        others = dict.fromkeys(
            m["sent_to"] if m["sent_by"] == me else m["sent_by"]
            for m in self.messages
            if me in (m["sent_by"], m["sent_to"])
        )
        chats = [
            {
                "user_id": u,
                "username": USERS[u].username,
                "chat_id": n + 1,
                "chat_url": f"{call.site}/conversation/@{USERS[u].username}",
            }
            for n, u in enumerate(others)
        ]
        return ok(chats, "Chats successfully")

    async def _thread_data(self, call: Call) -> Response:
        post = self.posts.get(int(call.fields["thread_id"])) if call.fields.get("thread_id", "").isdigit() else None
        if post is None:
            return fail(400, "Thread ID is missing or invalid")  # not documented
        replies = [p for p in self.posts.values() if p["thread_id"] == post["id"]]
        return ok({"can_reply": True, "post": post, "next": replies, "prev": []})

    # ---- the draft and posts --------------------------------------------------------------------------------

    async def _upload(self, call: Call) -> Response:
        assert call.user is not None
        kind = call.fields.get("type", "").lower()
        if kind not in ("image", "video"):
            return fail(400, _MEDIA_TYPE)
        name, data = call.files.get("file", (None, b""))
        if not name or _sniff(data) != kind:
            return fail(500, "Media file is missing or invalid")
        draft = self.drafts.setdefault(call.user.id, [])
        if kind == "image" and sum(m["type"] == "image" for m in draft) >= MAX_IMAGES:
            return fail(400, "You cannot attach more than 10 images to a post")
        if draft and "video" in {kind, *(m["type"] for m in draft)}:
            return fail(400, "A post takes up to 10 images or one video")  # the fake's own words
        media_id = next(self._media_ids)
        url = f"{call.site}/upload/{kind}s/{media_id}-{hashlib.sha256(data).hexdigest()[:12]}"
        draft.append({"media_id": media_id, "type": kind, "sha256": hashlib.sha256(data).hexdigest(), "src": url})
        if kind == "video":
            return ok(
                {"media_id": media_id, "type": "Video", "source": url, "poster": url + ".jpg"},
                "Media file uploaded successfully",
            )
        return ok({"media_id": media_id, "url": url, "type": "Image"}, "Media file uploaded successfully")

    async def _delete_media(self, call: Call) -> Response:
        assert call.user is not None
        draft = self.drafts.get(call.user.id, [])
        found = next(
            (
                m
                for m in draft
                if str(m["media_id"]) == call.fields.get("media_id")
                and m["type"] == call.fields.get("type", "").lower()
            ),
            None,
        )
        if found is None:
            return fail(400, _MEDIA_TYPE)
        draft.remove(found)
        return ok(None, "Media deleted successfully")

    async def _publish(self, call: Call) -> Response:
        assert call.user is not None
        f = call.fields
        text, thread_id, privacy, gif = f.get("post_text", ""), f.get("thread_id"), f.get("privacy"), f.get("gif_src")
        poll = _poll(f["poll_data"]) if "poll_data" in f else None
        draft = self.drafts.get(call.user.id, [])
        if (thread_id is not None and not (thread_id.isdigit() and int(thread_id) > 0)) or poll == []:
            return fail(400, _PUBLICATION)
        if (privacy is not None and privacy not in PRIVACY) or (gif is not None and not gif.startswith("http")):
            return fail(400, _PUBLICATION)
        if (gif and draft) or (poll and (draft or gif)) or not (text.strip() or draft or gif or poll):
            return fail(400, _PUBLICATION)
        post_id = next(self._post_ids)
        reply_to = int(thread_id) if thread_id else 0
        kind = draft[0]["type"] if draft else ("poll" if poll else ("gif" if gif else "text"))
        post = {
            "id": post_id,
            "user_id": call.user.id,
            "text": text[:MAX_POST_CHARS],
            "type": kind,  # cropped
            "thread_id": reply_to,
            "status": "active",
            "target": "publication",
            "url": f"{call.site}/thread/{post_id}",
            "media": list(draft),
            "poll": poll,
            "gif_src": gif,
            "privacy": "everyone" if reply_to else (privacy or "everyone"),
            "is_owner": True,
        }
        self.posts[post_id] = post
        self.drafts[call.user.id] = []  # the draft is taken whole
        self.record(
            Created(
                id=str(post_id),
                account=str(call.user.id),
                text=post["text"],
                idempotency_key=None,
                reply_to=str(reply_to) if reply_to else None,
                received_at=call.at,
            )
        )
        return ok(post, "Post published successfully", posts_total=len(self.posts))

    # ---- messages ---------------------------------------------------------------------------------------------

    async def _send_message(self, call: Call) -> Response:
        assert call.user is not None
        f = call.fields
        to = USERS.get(int(f["user_id"])) if f.get("user_id", "").isdigit() else None
        if to is None or to.id == call.user.id:
            return fail(400, "Interlocutor ID is missing or invalid")
        if call.user.id in to.blocked:
            return fail(400, "Your account has been blocked by this account")
        if not to.takes_messages:
            return fail(400, "You do not have permission direct messages to this chat")
        kind, text = f.get("type"), f.get("message", "")
        image = call.files.get("image")
        if kind not in ("text", "media") or (kind == "media" and (image is None or _sniff(image[1]) != "image")):
            return fail(400, "The media type of the message is invalid or missing")
        if (kind == "text" and not text.strip()) or len(text) > MAX_MESSAGE_CHARS or (kind == "text" and image):
            return fail(400, "Message text is missing or too long")  # the fake's own words
        message_id = next(self._message_ids)
        digest = hashlib.sha256(image[1]).hexdigest() if kind == "media" and image else None
        message = {
            "id": message_id,
            "sent_by": call.user.id,
            "sent_to": to.id,
            "owner": True,
            "message": text,
            "media_file": f"{call.site}/upload/images/{digest[:12]}.png" if digest else "",
            "media_type": "image" if digest else "none",
            "sha256": digest,
            "seen": "0",
            "side": "right",
        }
        self.messages.append(message)
        self.record(
            Created(
                id=str(message_id),
                account=str(call.user.id),
                text=text,
                idempotency_key=None,
                reply_to=None,
                received_at=call.at,
            )
        )
        return ok(message, "Message sent")

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
            if unknown or data.get("unauthorized", "body") not in ("body", "http", "invalid_access_token"):
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


# ---- requests ---------------------------------------------------------------------------------------------------


def _call(request: Request, endpoint: str) -> Call | Response:
    """The request's fields (query string for reads, form or multipart for posts), its files, the site's URL;
    a refusal for a field the endpoint does not take (stricter than the site)."""
    allowed, file_parts = _FIELDS[endpoint]
    values: dict[str, list[str]] = {}
    files: dict[str, tuple[str | None, bytes]] = {}
    if request.method == "GET":
        values = {k: v for k, v in request.query.items() if not k.startswith("_")}
    elif request.headers.get("content-type", "").startswith("multipart/form-data"):
        for name, filename, data in request.multipart():
            if name in file_parts:
                files[name] = (filename, data)
            else:
                values.setdefault(name, []).append(data.decode())
    else:
        values = parse_qs(request.body.decode(), keep_blank_values=True)
    unknown = sorted(set(values) - allowed)
    if unknown or any(len(v) > 1 for v in values.values()):
        return fail(400, f"The fake does not know the field {unknown[0] if unknown else 'twice'!r}")
    site = f"http://{request.headers.get('host', '127.0.0.1')}"
    return Call(None, {k: v[0] for k, v in values.items()}, files, site, request.received_at)


def _poll(raw: str) -> list[str]:
    """The options of ``poll_data`` (a JSON array of 2 to 4 ``{"value": ...}``); [] when it is not one."""
    try:
        options = json.loads(raw)
    except ValueError:
        return []
    if not isinstance(options, list) or not 2 <= len(options) <= 4:
        return []
    values = [o.get("value") if isinstance(o, dict) and set(o) == {"value"} else None for o in options]
    if not all(isinstance(v, str) and v.strip() and len(v) <= MAX_POLL_OPTION_CHARS for v in values):
        return []
    return [str(v) for v in values]


def _sniff(data: bytes) -> str | None:
    if data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")):
        return "image"
    return "video" if data[4:8] == b"ftyp" else None


def _user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "user_name": user.username,
        "is_verified": False,
        "post_count": 0,
        "follower_count": 0,
        "following_count": 0,
        "language": "english",
    }


def _error_page(status: int) -> Response:
    page = f"<html><body><h1>{status}</h1><p>The server could not complete the request.</p></body></html>"
    return Response(status, page.encode(), {"content-type": "text/html"})
