"""The chat a Telegram account posts to: whether the bot may post there (checked when connecting), and the link of
a message in it.

A bot posts in a channel only as an administrator with ``can_post_messages``; in a group or supergroup as its
creator, an administrator, or a member the chat lets send messages (``permissions.can_send_messages``), and not once
restricted from sending (``ChatMemberRestricted.can_send_messages``) or gone (``left``, ``kicked``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

CHANNEL = "channel"


def why_bot_cannot_post(chat: Mapping[str, Any], member: Mapping[str, Any]) -> str | None:
    """None when the bot, ``member`` of ``chat`` (getChatMember, getChat), may post there; else why it may not."""
    status = member.get("status")
    channel = chat.get("type") == CHANNEL
    if status == "creator":
        return None
    if status == "administrator":
        if channel and member.get("can_post_messages") is not True:
            return "it is an administrator of the channel without the right to post messages"
        return None
    if channel:
        return "in a channel a bot posts as an administrator with the right to post messages, and it is not one"
    if status == "member":
        permissions = chat.get("permissions")
        allowed = permissions.get("can_send_messages", True) if isinstance(permissions, Mapping) else True
        return None if allowed is True else "the group does not let its members send messages"
    if status == "restricted":
        if member.get("is_member") is True and member.get("can_send_messages") is True:
            return None
        return "it is restricted from sending messages in the group"
    if status in ("left", "kicked"):
        return "it is not a member of the chat" if status == "left" else "it was removed from the chat"
    return f"its status in the chat is {status!r}"


def describe_chat(chat_id: str, chat: Mapping[str, Any] | None = None) -> str:
    """``'@name'``, or the title and id, for messages."""
    title = chat.get("title") if chat else None
    return f"{title!r} ({chat_id})" if isinstance(title, str) and title else repr(chat_id)


def message_url(chat_id: str, username: str, message_id: str) -> str:
    """``https://t.me/<username>/<id>`` for a chat with a public username; else the members-only link
    ``https://t.me/c/<id without -100>/<id>`` of a private channel or supergroup (a basic group or a private chat has
    no link of its own: the same shape is given, which opens for nobody)."""
    name = username or (chat_id[1:] if chat_id.startswith("@") else "")
    if name:
        return f"https://t.me/{name}/{message_id}"
    internal = chat_id.removeprefix("-100") if chat_id.startswith("-100") else chat_id.lstrip("-")
    return f"https://t.me/c/{internal}/{message_id}"
