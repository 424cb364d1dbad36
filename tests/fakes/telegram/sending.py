"""What the send methods do with a checked call (checks.py): the chat's rules for the bot, the files, the message
Telegram answers with (and keeps), and a poll as Telegram makes it.

Refused as Telegram refuses: a bot that may not post in the chat (400 "need administrator rights in the channel
chat" in a channel, "not enough rights to send … to the chat" in a group), a reply to a message the chat does not
have ("message to be replied not found"), a text empty once trimmed, a ``parse_mode`` that is none of HTML, Markdown,
MarkdownV2, a photo that is not a JPEG, PNG or WebP image or is over 10 MB, any upload over 50 MB (413), a
non-anonymous poll in a channel, ``open_period`` together with ``close_date``.
"""

from __future__ import annotations

import struct
import zlib
from typing import Any

from tests.fakes.telegram.answers import Refusal, bad_request
from tests.fakes.telegram.chats import Chat

PARSE_MODES = frozenset({"HTML", "Markdown", "MarkdownV2"})
MAX_PHOTO_BYTES = 10 * 1000 * 1000
MAX_UPLOAD_BYTES = 50 * 1000 * 1000
_WHAT = {
    "sendMessage": "text messages",
    "sendPhoto": "photos",
    "sendVideo": "videos",
    "sendPoll": "polls",
    "sendMediaGroup": "photos",
}
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"RIFF")


def check_send(method: str, chat: Chat, params: dict[str, Any], files: dict[str, bytes]) -> None:
    """Refusal when ``chat`` or the message's content is one Telegram refuses."""
    if not chat.may_post():
        if chat.type == "channel":
            raise bad_request("need administrator rights in the channel chat")
        raise bad_request(f"not enough rights to send {_WHAT[method]} to the chat")
    for name in ("parse_mode", "caption_parse_mode", "question_parse_mode", "description_parse_mode"):
        if name in params and params[name] not in PARSE_MODES:
            raise bad_request(f"unsupported parse_mode {params[name]!r}")
    if method == "sendMessage" and not params["text"].strip():
        raise bad_request("message text is empty")
    for name, data in files.items():
        if len(data) > MAX_UPLOAD_BYTES:
            raise Refusal(413, "Request Entity Too Large")
        if _is_photo(method, name, params) and (len(data) > MAX_PHOTO_BYTES or not data.startswith(_IMAGE_MAGIC)):
            raise bad_request("IMAGE_PROCESS_FAILED")
    if method == "sendPoll":
        if chat.type == "channel" and params.get("is_anonymous") is False:
            raise bad_request("non-anonymous polls can't be sent to channel chats")
        if "open_period" in params and "close_date" in params:
            raise bad_request("can't use open_period and close_date together")


def replied(chat: Chat, params: dict[str, Any]) -> dict[str, Any] | None:
    """The message ``reply_parameters`` names, without its own reply (Telegram nests one level)."""
    reply = params.get("reply_parameters")
    if reply is None:
        return None
    found = chat.messages.get(reply["message_id"])
    if found is None and reply.get("allow_sending_without_reply") is not True:
        raise bad_request("message to be replied not found")
    return None if found is None else {k: v for k, v in found.items() if k != "reply_to_message"}


def content(method: str, params: dict[str, Any], files: dict[str, bytes], number: int = 0) -> dict[str, Any]:
    """What a message of ``method`` carries (``number``: the album item)."""
    if method == "sendMessage":
        return {"text": params["text"]}
    if method == "sendPoll":
        return {"poll": _poll(params)}
    if method == "sendMediaGroup":
        item = params["media"][number]
        data = files[item["media"].removeprefix("attach://")]
        body = _photo(data) if item["type"] == "photo" else _video(data, item)
        return {**body, **({"caption": item["caption"]} if item.get("caption") else {})}
    data = files.get("photo" if method == "sendPhoto" else "video", b"")
    body = _photo(data) if method == "sendPhoto" else _video(data, params)
    return {**body, **({"caption": params["caption"]} if params.get("caption") else {})}


def _is_photo(method: str, name: str, params: dict[str, Any]) -> bool:
    if method == "sendPhoto":
        return name == "photo"
    if method == "sendMediaGroup":
        return any(i["type"] == "photo" and i["media"] == f"attach://{name}" for i in params["media"])
    return False


def _photo(data: bytes) -> dict[str, Any]:
    width, height = _png_size(data)
    unique = f"AQAD{len(data):08d}"
    return {
        "photo": [
            {
                "file_id": f"AgAC{unique}",
                "file_unique_id": unique,
                "width": width,
                "height": height,
                "file_size": len(data),
            }
        ]
    }


def _video(data: bytes, params: dict[str, Any]) -> dict[str, Any]:
    unique = f"AgAD{len(data):08d}"
    return {
        "video": {
            "file_id": f"BAAC{unique}",
            "file_unique_id": unique,
            "width": params.get("width", 640),
            "height": params.get("height", 360),
            "duration": params.get("duration", 0),
            "mime_type": "video/mp4",
            "file_size": len(data),
        }
    }


def _poll(params: dict[str, Any]) -> dict[str, Any]:
    poll: dict[str, Any] = {
        "id": f"5{zlib.crc32(params['question'].encode()):018d}",
        "question": params["question"],
        "options": [
            {"persistent_id": str(n), "text": o["text"], "voter_count": 0} for n, o in enumerate(params["options"])
        ],
        "total_voter_count": 0,
        "is_closed": params.get("is_closed", False),
        "is_anonymous": params.get("is_anonymous", True),
        "type": params.get("type", "regular"),
        "allows_multiple_answers": params.get("allows_multiple_answers", False),
        "allows_revoting": params.get("allows_revoting", True),
    }
    if "open_period" in params:
        poll["open_period"] = params["open_period"]
    if params.get("description"):
        poll["description"] = params["description"]
    return poll


def _png_size(data: bytes) -> tuple[int, int]:
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    return 1280, 720
