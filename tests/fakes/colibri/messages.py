"""Direct messages: ``send_message`` (≤3000 characters, or one image as ``type=media``; refused to a user who
blocked the sender or takes no messages), ``get_chats`` and ``delete_message`` (a message of the caller's chats,
gone after; any other id is "not found", the seed's only refusals beside a missing id)."""

from __future__ import annotations

import hashlib

from tests.fakes.colibri.answers import fail, ok
from tests.fakes.colibri.calls import Call, sniff
from tests.fakes.colibri.state import ColibriSite
from tests.fakes.colibri.users import USERS
from tests.fakes.core import Created
from tests.fakes.http import Response

MAX_MESSAGE_CHARS = 3000


class MessageEndpoints(ColibriSite):
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
        if kind not in ("text", "media") or (kind == "media" and (image is None or sniff(image[1]) != "image")):
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

    async def _delete_message(self, call: Call) -> Response:
        assert call.user is not None
        raw = call.fields.get("message_id", "")
        if not raw.isdigit():
            return fail(400, "Message ID is missing or invalid")
        me = call.user.id
        found = next((m for m in self.messages if m["id"] == int(raw) and me in (m["sent_by"], m["sent_to"])), None)
        if found is None:
            return fail(400, "A message with this ID was not found. Please check your details!")
        self.messages.remove(found)
        return ok(None, "Message deleted successfully")
