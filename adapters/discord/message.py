"""What one Discord message request carries: the body (JSON, or multipart with the files), the nonce that makes a
resend return the first message, the media checks Discord would fail us on, and the name of a thread.

Field names as in Discord's v10 spec (MessageCreateRequest, MessageAttachmentRequest,
CreateTextThreadWithMessageRequest): ``content``, ``nonce`` (≤25 characters) + ``enforce_nonce``,
``allowed_mentions``, ``poll`` (poll.py), and with files a ``payload_json`` part whose ``attachments[].id`` is the
n of ``files[n]``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from adapters.base import MediaItem, MediaRules, Rejected, Segment
from adapters.text import first_line
from adapters.validation import check_media_files

MAX_NONCE_CHARS = 25
MAX_ATTACHMENTS = 10
MAX_THREAD_NAME_CHARS = 100
FALLBACK_THREAD_NAME = "Thread"
# Cross-posted text was not written for Discord: "@everyone" or a role mention in it must not ping anyone.
_NO_PINGS: dict[str, list[str]] = {"parse": []}


def nonce_for(idempotency_key: str) -> str:
    """The key itself (a 13-character TID) when Discord can take it, else a stable 25-character digest of it."""
    if len(idempotency_key) <= MAX_NONCE_CHARS:
        return idempotency_key
    digest = hashlib.sha256(idempotency_key.encode()).digest()
    return base64.b32encode(digest).decode().lower()[:MAX_NONCE_CHARS]


def message_body(segment: Segment, idempotency_key: str, poll: dict[str, Any] | None = None) -> dict[str, Any]:
    """httpx keyword arguments for ``POST /channels/{id}/messages``: ``json=`` for text, ``files=`` with media.
    ``poll``: the message's poll object (poll.py), on the main message."""
    payload: dict[str, Any] = {
        "nonce": nonce_for(idempotency_key),
        "enforce_nonce": True,  # a repeat from this bot with this nonce answers the first message
        "allowed_mentions": _NO_PINGS,
    }
    if segment.text:
        payload["content"] = segment.text
    if poll is not None:
        payload["poll"] = poll
    if not segment.media:
        return {"json": payload}
    parts: list[tuple[str, tuple[str | None, bytes | str, str]]] = []
    attachments: list[dict[str, str]] = []
    for n, item in enumerate(segment.media):
        filename = item.filename(n + 1)
        attachment = {"id": str(n), "filename": filename}  # the spec's id is a snowflake string
        if item.alt_text:
            attachment["description"] = item.alt_text
        attachments.append(attachment)
        parts.append((f"files[{n}]", (filename, item.data, item.content_type)))
    payload["attachments"] = attachments
    return {"files": [("payload_json", (None, json.dumps(payload), "application/json")), *parts]}


def check_media(media: tuple[MediaItem, ...], rules: MediaRules) -> None:
    """Rejected before anything is sent, for what Discord would refuse: too many files, a type it does not show
    inline, a file over the upload limit, alt text over 1024 characters."""
    if len(media) > MAX_ATTACHMENTS:
        raise Rejected(f"Discord: {len(media)} files; at most {MAX_ATTACHMENTS} per message")
    check_media_files("Discord", media, rules)


def thread_name(*texts: str) -> str:
    """The first line of the first text that has one, cut to Discord's 100 characters."""
    for text in texts:
        line = first_line(text, MAX_THREAD_NAME_CHARS)
        if line:
            return line
    return FALLBACK_THREAD_NAME
