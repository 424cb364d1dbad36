"""Message request bodies: a JSON body, or multipart ``files[n]`` + ``payload_json``, and the attachments they
declare."""

from __future__ import annotations

import json
from typing import Any

from tests.fakes.discord.errors import error, invalid
from tests.fakes.http import Request, Response

MAX_CONTENT = 2000
MAX_NONCE = 25
MAX_FILES = 10
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_DESCRIPTION = 1024
MESSAGE_FIELDS = frozenset(
    {
        "content",
        "nonce",
        "enforce_nonce",
        "tts",
        "embeds",
        "allowed_mentions",
        "message_reference",
        "components",
        "sticker_ids",
        "attachments",
        "flags",
        "poll",
    }
)


def message_request(request: Request) -> tuple[dict[str, Any], dict[int, tuple[str, bytes]], Response | None]:
    """(the JSON fields, files[n] → (filename, bytes), a refusal): from a JSON body or multipart + payload_json."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        body = request.json_object()
        if body is None:
            return {}, {}, error(400, 50109, "The request body contains invalid JSON.")
        return body, {}, None
    files: dict[int, tuple[str, bytes]] = {}
    body = {}
    for name, filename, data in request.multipart():
        if name == "payload_json":
            try:
                body = json.loads(data)
            except ValueError:
                return {}, {}, error(400, 50109, "The request body contains invalid JSON.")
        elif name.startswith("files[") and name.endswith("]") and name[6:-1].isdigit():
            if not filename:
                return {}, {}, invalid(name, "FILE_NAME_REQUIRED", "Files need a filename")
            if len(data) > MAX_FILE_BYTES:
                return {}, {}, error(413, 40005, "Request entity too large")
            files[int(name[6:-1])] = (filename, data)
        else:
            return {}, {}, invalid(name, "UNKNOWN_FIELD", f"The fake does not know the form field {name!r}")
    if len(files) > MAX_FILES:
        return {}, {}, invalid("files", "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_FILES} or fewer in length.")
    if not isinstance(body, dict):
        return {}, {}, error(400, 50109, "The request body contains invalid JSON.")
    return body, files, None


def attachments(declared: Any, files: dict[int, tuple[str, bytes]]) -> tuple[list[dict[str, Any]], Response | None]:
    """Each ``attachments[i]`` must name an uploaded ``files[n]`` by ``id`` (n as a snowflake string or number)."""
    if declared is None:
        declared = [{"id": str(n)} for n in sorted(files)]  # files without attachment metadata are still attached
    if not isinstance(declared, list):
        return [], invalid("attachments", "BASE_TYPE_LIST", "Must be a list.")
    found = []
    for index, item in enumerate(declared):
        ident = item.get("id") if isinstance(item, dict) else None
        number = int(ident) if isinstance(ident, int | str) and str(ident).isdigit() else None
        if number is None or number not in files:
            return [], invalid(f"attachments.{index}", "ATTACHMENT_NOT_FOUND", "Attachment data not found")
        description = item.get("description")
        if description is not None and (not isinstance(description, str) or len(description) > MAX_DESCRIPTION):
            return [], invalid(
                f"attachments.{index}.description",
                "BASE_TYPE_BAD_LENGTH",
                f"Must be {MAX_DESCRIPTION} or fewer in length.",
            )
        filename, data = files[number]
        found.append({"filename": item.get("filename") or filename, "size": len(data), "description": description})
    return found, None
