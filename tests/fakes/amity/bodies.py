"""Checks of request bodies shared by posts, comments and polls: a JSON object of known fields, text within
Amity's limit (counted in UTF-16 code units), tags and hashtags, mentionees, and the ids a client may choose."""

from __future__ import annotations

import secrets
import time
from typing import Any

from tests.fakes.amity.errors import Refusal, bad, invalid
from tests.fakes.http import Request

MAX_TEXT = 20_000
MAX_TAGS, MAX_TAG = 5, 24
MAX_HASHTAGS, MAX_HASHTAG = 30, 100
MAX_MENTIONEES = 2
MAX_ID = 900


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())


def json_object(request: Request, fields: frozenset[str]) -> dict[str, Any]:
    body = request.json_object()
    if body is None:
        raise bad("the body must be a JSON object")
    unknown = sorted(set(body) - fields)
    if unknown:
        raise bad(f"The fake does not know the field {unknown[0]!r}")
    return body


def text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise invalid("The 'data.text' field must be a string.")
    if utf16(value) > MAX_TEXT:
        raise invalid(f"The 'data.text' field length must be less than or equal to {MAX_TEXT} characters long.")
    return value


def strings(value: Any, name: str, most: int, longest: int) -> None:
    if value is None:
        return
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise invalid(f"The '{name}' field must be an array of strings.")
    if len(value) > most:
        raise invalid(f"The '{name}' field must contain less than or equal to {most} items.")
    for n, item in enumerate(value):
        if utf16(item) > longest:
            raise invalid(f"The '{name}[{n}]' field length must be less than or equal to {longest} characters long.")


def mentionees(value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, list) or len(value) > MAX_MENTIONEES:
        raise invalid(f"The 'mentionees' field must contain less than or equal to {MAX_MENTIONEES} items.")
    for n, item in enumerate(value):
        if not isinstance(item, dict) or set(item) - {"type", "userIds"} or item.get("type") != "user":
            raise invalid(f"The 'mentionees[{n}]' field must be {{type: 'user', userIds}}.")
        ids = item.get("userIds")
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i for i in ids):
            raise invalid(f"The 'mentionees[{n}].userIds' field must be a non-empty array of user ids.")


def new_id(chosen: Any, name: str, taken: dict[str, Any]) -> str:
    """The id the client chose (``postId``, ``commentId``), or a fresh one; a chosen id taken already: 400315."""
    if chosen is None:
        return secrets.token_hex(12)
    if not isinstance(chosen, str) or not chosen or len(chosen) > MAX_ID:
        raise invalid(f"The '{name}' field length must be less than or equal to {MAX_ID} characters long.")
    if chosen in taken:
        raise Refusal(403, 400315, "Data already exists")
    return chosen
