"""What one Amity request carries: a post (``POST /api/v4/posts``), a comment on it (``POST /api/v3/comments``,
``referenceType: post``) and a poll (``POST /api/v3/polls``), with the ids we choose for them.

Field names and limits as Amity's API reference gives them: ``postId``/``commentId`` (custom ids, ≤900
characters), ``data.text``, ``attachments`` (``[{"fileId", "type"}]``, ≤10), ``targetType``/``targetId``,
``tags``, ``hashtags`` (≤30 of ≤100 characters), ``mentionees`` (≤2 items of ``{"type": "user", "userIds"}``),
``metadata``, ``isDiscoverable``; a poll post is ``dataType: "poll"`` with ``data.pollId``.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

from adapters.amity.options import AmityOptions
from adapters.base import Poll
from adapters.text import first_line

MAX_HASHTAGS = 30
MAX_HASHTAG_CHARS = 100
MAX_ID_CHARS = 900
MAX_POLL_QUESTION_CHARS = 500
# A "#word" that starts a word (not a URL's fragment, not "##"); Amity stores it without the "#".
_HASHTAG = re.compile(r"(?<![\w#&/])#(\w+)")
# Amity documents no charset for custom ids; this one is safe in any id and any URL path.
_SAFE_ID = re.compile(rf"[A-Za-z0-9_-]{{1,{MAX_ID_CHARS}}}")


def remote_id(idempotency_key: str) -> str:
    """The id we give the post or comment: the segment's key itself (a 13-character TID), or a stable digest of
    it where it would not do as an Amity id."""
    if _SAFE_ID.fullmatch(idempotency_key):
        return idempotency_key
    return base64.b32encode(hashlib.sha256(idempotency_key.encode()).digest()).decode().lower().rstrip("=")


def hashtags_in(text: str) -> list[str]:
    """The text's ``#tags`` as Amity's ``hashtags``: in order, each once, ≤100 characters each, the first 30."""
    found: list[str] = []
    for match in _HASHTAG.finditer(text):
        tag = match.group(1)
        if len(tag) <= MAX_HASHTAG_CHARS and tag not in found:
            found.append(tag)
    return found[:MAX_HASHTAGS]


def post_body(
    *,
    post_id: str,
    text: str,
    target_id: str,
    options: AmityOptions | None,
    attachments: list[dict[str, str]],
    poll_id: str | None = None,
) -> dict[str, Any]:
    """``POST /api/v4/posts``: the main post, on the target's feed."""
    chosen = options or AmityOptions()
    data: dict[str, Any] = {"text": text}
    body: dict[str, Any] = {"postId": post_id, "data": data, "targetType": chosen.target_type, "targetId": target_id}
    if poll_id is not None:
        data["pollId"] = poll_id
        body["dataType"] = "poll"
    elif attachments:
        body["attachments"] = attachments
    if chosen.tags:
        body["tags"] = list(chosen.tags)
    hashtags = hashtags_in(text)
    if hashtags:
        body["hashtags"] = hashtags
    mentioned = list(dict.fromkeys(chosen.mention_user_ids))
    if mentioned:
        body["mentionees"] = [{"type": "user", "userIds": mentioned}]
    if chosen.metadata is not None:
        body["metadata"] = chosen.metadata
    if chosen.discoverable is not None:
        body["isDiscoverable"] = chosen.discoverable
    return body


def comment_body(*, comment_id: str, post_id: str, text: str, attachments: list[dict[str, str]]) -> dict[str, Any]:
    """``POST /api/v3/comments``: a comment on the main post (a top-level comment: no ``parentId``)."""
    body: dict[str, Any] = {
        "commentId": comment_id,
        "referenceId": post_id,
        "referenceType": "post",
        "data": {"text": text},
    }
    if attachments:
        body["attachments"] = attachments
    return body


def poll_body(poll: Poll, text: str) -> dict[str, Any]:
    """``POST /api/v3/polls``: one answer per option, a single choice, closing after the poll's duration."""
    return {
        "question": poll.question or first_line(text, MAX_POLL_QUESTION_CHARS),
        "answers": [{"dataType": "text", "data": option} for option in poll.options],
        "answerType": "single",
        "closedIn": poll.duration_minutes * 60_000,  # milliseconds
    }
