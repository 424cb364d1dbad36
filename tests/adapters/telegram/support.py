"""What the Telegram adapter tests share: a bot's token and credentials on the fake, what the fake received, and
requests to publish (as the publisher makes them)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from adapters.base import MediaItem, PublishedRef
from adapters.telegram import TelegramAdapter
from tests.adapters.discord.support import Part, request
from tests.fakes.running import RunningFake
from tests.fakes.telegram import CHANNEL, token_for

BOT_ID = 7000000001
TOKEN = token_for(BOT_ID)
CREDENTIALS = {"bot_token": TOKEN, "chat_id": CHANNEL}
# As connecting stores them: the chat's username known, so a publish makes no lookup first.
STORED = {**CREDENTIALS, "chat_username": "octopost_news"}

MakeAdapter = Callable[..., TelegramAdapter]

__all__ = ["BOT_ID", "CREDENTIALS", "STORED", "TOKEN", "MakeAdapter", "calls", "fields_of", "publish_thread", "request"]


def calls(fake: RunningFake) -> list[dict[str, Any]]:
    """Each send the fake took: method, chat_id, message_ids, params (as checked against the spec)."""
    return list(fake.control("GET", "messages"))


def fields_of(parts: list[Part]) -> dict[str, Any]:
    """A multipart body's text fields, JSON-serialized ones decoded."""
    found: dict[str, Any] = {}
    for part in parts:
        if part.filename is None:
            text = part.data.decode()
            try:
                found[part.name] = json.loads(text) if text[:1] in "[{" else text
            except ValueError:
                found[part.name] = text
    return found


async def publish_thread(
    adapter: TelegramAdapter, texts: list[str], media: dict[int, tuple[MediaItem, ...]] | None = None
) -> list[PublishedRef]:
    """The segments in order, each replying to the one before (native_reply, as the publisher links them)."""
    refs: list[PublishedRef] = []
    for index, text in enumerate(texts):
        parent = refs[-1] if refs else None
        segment = request(text, index=index, media=(media or {}).get(index, ()), root=refs[0] if refs else None)
        refs.append(await adapter.publish(replace(segment, parent=parent)))
    return refs
