"""What one segment sends: the Bot API method and its body, by what the segment carries.

Text alone is ``sendMessage``; one image ``sendPhoto`` and one video ``sendVideo``, the text as the caption; two to
ten images ``sendMediaGroup`` (an album), the caption on its first item; the main post's poll ``sendPoll``, the text
as the poll's description. Files go up in a multipart body, an album's as parts named by ``attach://<name>``;
objects inside a multipart body (``reply_parameters``, ``media``) are JSON-serialized, as the Bot API asks.

Nothing is sent with a ``parse_mode``: cross-posted text is plain text on Telegram, so ``*``, ``_`` or ``<b>`` in it
are shown as typed, never read as markup. A reply names the previous segment in ``reply_parameters`` (native_reply).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from adapters.base import MediaItem, MediaRejected, MediaRules, Poll, Rejected, Segment
from adapters.text import first_line, utf16_length
from adapters.validation import check_media_files

MAX_TEXT = 4096  # sendMessage text, in UTF-16 code units
MAX_CAPTION = 1024  # a caption, and a poll's description
MAX_ALBUM = 10  # items of sendMediaGroup
MAX_QUESTION = 300
MAX_PHOTO_SIDES = 10_000  # a photo's width + height
MAX_PHOTO_RATIO = 20
_MINUTE = 60


@dataclass(frozen=True)
class Send:
    """One Bot API call: its method and httpx's keyword arguments (``json=``, or ``data=`` and ``files=``)."""

    method: str
    body: dict[str, Any]

    @property
    def album(self) -> bool:
        """sendMediaGroup answers a list of messages, the others one."""
        return self.method == "sendMediaGroup"


def segment_send(chat_id: str, segment: Segment, reply_to: str | None, poll: Poll | None = None) -> Send:
    """The call that posts ``segment`` to ``chat_id``, replying to message ``reply_to`` when given."""
    fields: dict[str, Any] = {"chat_id": chat_param(chat_id)}
    if reply_to is not None:
        fields["reply_parameters"] = {"message_id": int(reply_to)}
    text, media = segment.text, segment.media
    if poll is not None:
        return Send("sendPoll", {"json": {**fields, **poll_fields(poll, text)}})
    if not media:
        return Send("sendMessage", {"json": {**fields, "text": text}})
    if text:
        fields["caption"] = text
    if len(media) == 1 and media[0].kind == "video":
        video = media[0]
        extra = {"supports_streaming": True, "width": video.width, "height": video.height}
        fields.update({k: v for k, v in extra.items() if v is not None})
        return Send("sendVideo", _multipart(fields, [("video", video)]))
    if len(media) == 1:
        return Send("sendPhoto", _multipart(fields, [("photo", media[0])]))
    caption = fields.pop("caption", None)
    items: list[dict[str, Any]] = []
    for n, item in enumerate(media):
        entry: dict[str, Any] = {"type": "photo" if item.kind == "image" else "video", "media": f"attach://file{n}"}
        if n == 0 and caption:
            entry["caption"] = caption
        items.append(entry)
    fields["media"] = items
    return Send("sendMediaGroup", _multipart(fields, [(f"file{n}", item) for n, item in enumerate(media)]))


def poll_fields(poll: Poll, text: str) -> dict[str, Any]:
    """sendPoll's question (``poll.question``, else the text's first line), answers, open period and description
    (the text, unless it is the question itself)."""
    question = poll.question or _fit(first_line(text, MAX_QUESTION), MAX_QUESTION)
    if not question:
        raise Rejected("Telegram: a poll needs a question: give poll.question, or text for the post's first line")
    fields: dict[str, Any] = {
        "question": question,
        "options": [{"text": option} for option in poll.options],
        "open_period": poll.duration_minutes * _MINUTE,
    }
    if text.strip() and text.strip() != question:
        fields["description"] = text
    return fields


def check_media(media: tuple[MediaItem, ...], rules: MediaRules) -> None:
    """Rejected before anything is sent, for what Telegram would refuse: more than ten files, a type or size past
    its limits, a photo whose sides are too large together or too unequal."""
    if len(media) > MAX_ALBUM:
        raise Rejected(f"Telegram: {len(media)} files; an album holds at most {MAX_ALBUM}")
    check_media_files("Telegram", media, rules)
    for number, item in enumerate(media, start=1):
        if item.kind != "image" or not item.width or not item.height:
            continue
        if item.width + item.height > MAX_PHOTO_SIDES:
            raise MediaRejected(f"Telegram: image {number}'s width and height exceed {MAX_PHOTO_SIDES:,} together")
        if max(item.width, item.height) > MAX_PHOTO_RATIO * min(item.width, item.height):
            raise MediaRejected(f"Telegram: image {number} is more than {MAX_PHOTO_RATIO} times as long as wide")


def chat_param(chat_id: str) -> int | str:
    """A numeric id as the integer it is; an ``@username`` as it is."""
    return int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id


def _multipart(fields: dict[str, Any], files: list[tuple[str, MediaItem]]) -> dict[str, Any]:
    data = {name: value if isinstance(value, str) else json.dumps(value) for name, value in fields.items()}
    parts = [
        (name, (item.filename(n + 1), item.data, item.content_type))
        for n, (name, item) in enumerate(files)
    ]
    return {"data": data, "files": parts}


def _fit(line: str, limit: int) -> str:
    """``line`` cut with "…" to ``limit`` UTF-16 code units (first_line counts code points)."""
    if utf16_length(line) <= limit:
        return line
    while line and utf16_length(line) > limit - 1:
        line = line[:-1]
    return line.rstrip() + "…"
