"""The workspace the fake holds: the bots its tokens name, its channels, the messages posted and the files uploaded.

How Slack renders a message's text matters to the adapter's escaping: ``rendered`` finds the mentions and links
Slack would make of it (``<@U…>``, ``<!here>``, ``<!channel>``, ``<!everyone>``, ``<!subteam^…>``, ``<url|label>``;
and, with ``link_names`` or ``parse=full``, a plain ``@here``/``@channel``/``@everyone``) and the text people see
(``&lt;``, ``&gt;``, ``&amp;`` shown as ``<``, ``>``, ``&``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

TEAM_ID = "T0FAKETEAM1"
TEAM_NAME = "Octopost Fake"
TEAM_URL = "https://octopost-fake.slack.com/"
CHANNEL_ID = "C0FAKEGNRL1"  # #general: the bot is a member
OUTSIDE_CHANNEL_ID = "C0FAKEOUTS1"  # #random: the bot was never invited
ARCHIVED_CHANNEL_ID = "C0FAKEARCH1"  # #old: archived
REVOKED_TOKEN = "xoxb-revoked"
NO_FILES_TOKEN = "xoxb-no-files-scope"  # an app installed without files:write
ALL_SCOPES = frozenset({"chat:write", "files:write", "channels:read", "groups:read"})

_CONTROL = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
_PLAIN_MENTION = re.compile(r"(?<![\w<])@(here|channel|everyone)\b")


@dataclass(frozen=True)
class Bot:
    user_id: str
    bot_id: str
    name: str
    scopes: frozenset[str]


def bot_for(token: str) -> Bot | None:
    """Any ``xoxb-`` token is a bot (the token names it), but ``REVOKED_TOKEN``; other tokens are not valid."""
    if not token.startswith("xoxb-") or token == REVOKED_TOKEN:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest().upper()
    scopes = ALL_SCOPES - {"files:write"} if token == NO_FILES_TOKEN else ALL_SCOPES
    return Bot(
        user_id=f"U0{digest[:9]}", bot_id=f"B0{digest[9:18]}", name=f"octobot-{digest[:4].lower()}", scopes=scopes
    )


@dataclass
class Channel:
    id: str
    name: str
    is_member: bool = True
    is_archived: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "name_normalized": self.name,
            "is_channel": True,
            "is_group": False,
            "is_im": False,
            "is_mpim": False,
            "is_private": False,
            "is_archived": self.is_archived,
            "is_general": self.name == "general",
            "is_member": self.is_member,
            "created": 1449252889,
            "creator": "W012A3BCD",
        }


def channels() -> dict[str, Channel]:
    return {
        CHANNEL_ID: Channel(CHANNEL_ID, "general"),
        OUTSIDE_CHANNEL_ID: Channel(OUTSIDE_CHANNEL_ID, "random", is_member=False),
        ARCHIVED_CHANNEL_ID: Channel(ARCHIVED_CHANNEL_ID, "old", is_archived=True),
    }


@dataclass
class Message:
    channel: str
    ts: str
    user: str
    text: str  # as sent
    thread_ts: str | None
    shown: str  # what people see
    mentions: list[str]
    links: list[str]

    def as_json(self, bot: Bot) -> dict[str, Any]:
        body = {"type": "message", "user": self.user, "bot_id": bot.bot_id, "text": self.text, "ts": self.ts}
        if self.thread_ts:
            body["thread_ts"] = self.thread_ts
        return {**body, "team": TEAM_ID}


@dataclass
class Upload:
    """A file between files.getUploadURLExternal and its completion."""

    file_id: str
    filename: str
    length: int
    alt_txt: str | None
    data: bytes | None = None  # the bytes, once POSTed to the upload URL
    completed: bool = False
    shared: dict[str, Any] = field(default_factory=dict)  # title, channel, thread_ts once completed


def rendered(text: str, *, plain_mentions: bool) -> tuple[str, list[str], list[str]]:
    """(the text people see, the mentions, the links) of a message's ``text``."""
    mentions: list[str] = []
    links: list[str] = []

    def control(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith(("@", "!", "#")):
            mentions.append(target)
        else:
            links.append(target)
        return label if label is not None else target

    shown = _CONTROL.sub(control, text)
    if plain_mentions:
        mentions.extend(f"!{name}" for name in _PLAIN_MENTION.findall(shown))
    shown = shown.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return shown, mentions, links
