"""A request as an endpoint's handler sees it (``Call``): the fields each endpoint takes (query string for reads,
form or multipart for posts) and its files, refused when it holds a field the endpoint does not take (stricter than
the site); and what a file's bytes are."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import parse_qs

from tests.fakes.colibri.answers import fail
from tests.fakes.colibri.users import User
from tests.fakes.http import Request, Response

API = "/mobile_api/"
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
    "delete_message": ({"session_id", "message_id"}, set()),
}


@dataclass
class Call:
    """One request as a handler sees it: the caller (None before login), its fields and its files."""

    user: User | None
    fields: dict[str, str]
    files: dict[str, tuple[str | None, bytes]]
    site: str  # the site's own URL (post URLs)
    at: float


Handler = Callable[[Call], Awaitable[Response]]


def call(request: Request, endpoint: str) -> Call | Response:
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


def sniff(data: bytes) -> str | None:
    if data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")):
        return "image"
    return "video" if data[4:8] == b"ftyp" else None
