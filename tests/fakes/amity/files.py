"""Uploads (``POST /api/v4/images``, ``/videos``, ``/files``: multipart ``files``), a file's alt text
(``PUT``/``GET /api/v3/files/{fileId}``), and the ``attachments`` of posts and comments that name uploaded files."""

from __future__ import annotations

import secrets
from typing import Any

from tests.fakes.amity.bodies import json_object, now
from tests.fakes.amity.errors import Refusal, bad, invalid
from tests.fakes.amity.state import AmityState
from tests.fakes.http import Request, Response

MAX_ATTACHMENTS = 10
MAX_ALT_TEXT = 180
MAX_UPLOAD_BYTES = 1024**3
_UPLOAD_PARTS = frozenset({"files", "preferredFilename", "accessType", "feedType"})


def kind_of(data: bytes) -> str | None:
    """What an upload's bytes are: Amity takes JPG and PNG images, and videos it can transcode."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff"):
        return "image"
    if data[4:8] == b"ftyp" or data.startswith(b"\x1a\x45\xdf\xa3"):  # MP4/QuickTime, WebM/Matroska
        return "video"
    return None


class FileRoutes(AmityState):
    async def _upload(self, request: Request) -> Response:
        user = self._caller(request, writes=True)
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            raise bad("the upload must be multipart/form-data")
        kind = {"/api/v4/images": "image", "/api/v4/videos": "video"}.get(request.path, "file")
        uploaded = []
        for name, filename, data in request.multipart():
            if name not in _UPLOAD_PARTS:
                raise bad(f"The fake does not know the form field {name!r}")
            if name != "files":
                continue
            if not filename or not data:
                raise bad("each file needs a filename and content")
            if len(data) > MAX_UPLOAD_BYTES:
                raise Refusal(413, 500000, "Payload too large.")
            if kind != "file" and kind_of(data) != kind:
                if kind == "video":
                    raise Refusal(400, 400002, "Video format invalid")
                raise bad(f"{filename} is not a JPG or PNG image")
            file_id = secrets.token_hex(16)
            self._files[file_id] = {
                "fileId": file_id,
                "type": kind,
                "accessType": "public",
                "altText": None,
                "owner": user["userId"],
                "fileUrl": f"https://api.amity.example/api/v3/files/{file_id}/download",
                "createdAt": now(),
                "attributes": {"name": filename, "size": len(data), "extension": filename.rsplit(".", 1)[-1]},
            }
            uploaded.append(self._public(self._files[file_id]))
        if not uploaded:
            raise invalid("The 'files' field is required.")
        return Response(200, uploaded)

    async def _update_file(self, request: Request) -> Response:
        user = self._caller(request, writes=True)
        file = self._file(request.param("_file_id") or "")
        body = json_object(request, frozenset({"altText"}))
        alt = body.get("altText")
        if not isinstance(alt, str):
            raise invalid("The 'altText' field must be a string.")
        if len(alt) > MAX_ALT_TEXT:
            raise invalid(f"The 'altText' field length must be less than or equal to {MAX_ALT_TEXT} characters long.")
        if file["owner"] != user["userId"]:
            raise Refusal(403, 400301, "Permission denied")
        file["altText"] = alt
        return Response(200, [self._public(file)])

    async def _get_file(self, request: Request) -> Response:
        self._caller(request)
        return Response(200, self._public(self._file(request.param("_file_id") or "")))

    def _attachments(self, value: Any, *, kinds: tuple[str, ...]) -> list[dict[str, str]]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise invalid("The 'attachments' field must be an array.")
        if len(value) > MAX_ATTACHMENTS:
            raise invalid(f"The 'attachments' field must contain less than or equal to {MAX_ATTACHMENTS} items.")
        found = []
        for n, item in enumerate(value):
            if not isinstance(item, dict) or set(item) - {"fileId", "type", "displayMode", "isMuted"}:
                raise bad(f"attachments[{n}] must be {{fileId, type}}")
            if item.get("type") not in kinds:
                raise invalid(f"The 'attachments[{n}].type' field does not match any of the allowed values.")
            file = self._file(str(item.get("fileId")))
            if file["type"] != item["type"]:
                raise bad(f"attachments[{n}] is a {file['type']}, not a {item['type']}")
            found.append({"fileId": file["fileId"], "type": file["type"]})
        return found
