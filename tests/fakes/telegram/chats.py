"""The bots and chats the Telegram fake knows, the bot's place in each, and the messages sent there.

Any well-formed token (``<bot id>:<35 characters>``) is a bot, named after its id, except ``REVOKED_TOKEN``
(Unauthorized). Every bot has the same place in each chat:

- ``CHANNEL`` (@octopost_news): a public channel, the bot an administrator that may post;
- ``PRIVATE_CHANNEL_ID``: a channel without a username, the bot an administrator that may post;
- ``GROUP`` (@octopost_chat): a public supergroup, the bot a member, members may send;
- ``READ_ONLY_CHANNEL`` (@octopost_readonly): the bot an administrator without ``can_post_messages``;
- ``MUTED_GROUP_ID``: a supergroup where the bot is restricted from sending;
- ``KICKED_GROUP_ID``: a supergroup the bot was removed from (403 for everything);
- ``OLD_GROUP_ID``: a basic group already upgraded to the supergroup ``UPGRADED_GROUP_ID`` (400 with
  ``migrate_to_chat_id`` for everything), and ``BASIC_GROUP_ID``, a basic group the bot is a member of, until a test
  upgrades it (``POST /_fake/upgrade``).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

TOKEN_SHAPE = re.compile(r"(\d{1,15}):([A-Za-z0-9_-]{35})")
REVOKED_TOKEN = "1000000009:" + "R" * 35

CHANNEL, CHANNEL_ID = "@octopost_news", -1001000000001
PRIVATE_CHANNEL_ID = -1001000000002
GROUP, GROUP_ID = "@octopost_chat", -1001000000003
READ_ONLY_CHANNEL, READ_ONLY_CHANNEL_ID = "@octopost_readonly", -1001000000005
MUTED_GROUP_ID = -1001000000006
KICKED_GROUP_ID = -1001000000007
OLD_GROUP_ID, UPGRADED_GROUP_ID = -4000000001, -1001000000004
BASIC_GROUP_ID = -4000000002
_SUPERGROUP_IDS = itertools.count(-1001000000100, -1)  # for groups upgraded while the fake runs


def token_for(bot_id: int) -> str:
    """A well-formed token of the bot ``bot_id``."""
    return f"{bot_id}:AAF" + f"{bot_id:032d}"[-32:]


def bot_for(token: str) -> dict[str, Any] | None:
    """The User (getMe) a token belongs to; None when Telegram would answer Unauthorized."""
    match = TOKEN_SHAPE.fullmatch(token)
    if match is None or token == REVOKED_TOKEN:
        return None
    bot_id = int(match[1])
    return {
        "id": bot_id,
        "is_bot": True,
        "first_name": f"Fake bot {bot_id}",
        "username": f"fake_{bot_id}_bot",
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


@dataclass
class Chat:
    id: int
    type: str  # "channel", "supergroup", "group"
    title: str
    username: str | None = None
    member: dict[str, Any] = field(default_factory=lambda: {"status": "member"})  # the bot's, without its user
    members_may_send: bool = True
    kicked: bool = False
    migrated_to: int | None = None
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    next_message_id: int = 1

    def as_json(self) -> dict[str, Any]:
        """A Chat, as a message carries it."""
        body: dict[str, Any] = {"id": self.id, "type": self.type, "title": self.title}
        if self.username:
            body["username"] = self.username
        return body

    def full_info(self) -> dict[str, Any]:
        """A ChatFullInfo (getChat)."""
        body = {**self.as_json(), "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": _NO_GIFTS}
        if self.type != "channel":
            body["permissions"] = {"can_send_messages": self.members_may_send, "can_send_polls": self.members_may_send}
        return body

    def may_post(self) -> bool:
        status = self.member["status"]
        if self.type == "channel":
            return status == "creator" or (status == "administrator" and self.member.get("can_post_messages") is True)
        if status == "restricted":
            return self.member.get("can_send_messages") is True
        return status in ("creator", "administrator") or (status == "member" and self.members_may_send)


_NO_GIFTS = {"unlimited_gifts": False, "limited_gifts": False, "unique_gifts": False, "premium_subscription": False}


def _admin(*, can_post: bool) -> dict[str, Any]:
    rights = dict.fromkeys(
        (
            "can_manage_chat",
            "can_delete_messages",
            "can_manage_video_chats",
            "can_restrict_members",
            "can_promote_members",
            "can_change_info",
            "can_invite_users",
            "can_post_stories",
            "can_edit_stories",
            "can_delete_stories",
        ),
        False,
    )
    return {
        "status": "administrator",
        "can_be_edited": False,
        "is_anonymous": False,
        **rights,
        "can_post_messages": can_post,
        "can_edit_messages": False,
    }


def known_chats() -> dict[int, Chat]:
    chats = [
        Chat(CHANNEL_ID, "channel", "Octopost News", "octopost_news", _admin(can_post=True)),
        Chat(PRIVATE_CHANNEL_ID, "channel", "Octopost Private", None, _admin(can_post=True)),
        Chat(GROUP_ID, "supergroup", "Octopost Chat", "octopost_chat"),
        Chat(READ_ONLY_CHANNEL_ID, "channel", "Octopost Read-only", "octopost_readonly", _admin(can_post=False)),
        Chat(
            MUTED_GROUP_ID,
            "supergroup",
            "Octopost Muted",
            None,
            {"status": "restricted", "is_member": True, "can_send_messages": False, "until_date": 0},
        ),
        Chat(
            KICKED_GROUP_ID, "supergroup", "Octopost Kicked", None, {"status": "kicked", "until_date": 0}, kicked=True
        ),
        Chat(OLD_GROUP_ID, "group", "Octopost Old Group", migrated_to=UPGRADED_GROUP_ID),
        Chat(UPGRADED_GROUP_ID, "supergroup", "Octopost Old Group"),
        Chat(BASIC_GROUP_ID, "group", "Octopost Basic Group"),
    ]
    return {chat.id: chat for chat in chats}


def upgrade(chats: dict[int, Chat], chat_id: int) -> int:
    """The basic group ``chat_id`` becomes a new supergroup (its messages stay behind): the supergroup's id."""
    old = chats[chat_id]
    new = Chat(next(_SUPERGROUP_IDS), "supergroup", old.title, member=dict(old.member))
    chats[new.id] = new
    old.migrated_to = new.id
    return new.id
