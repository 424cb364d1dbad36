"""The bot a token names: any token is a bot, except ``REVOKED_TOKEN``."""

from __future__ import annotations

import hashlib
from typing import Any

REVOKED_TOKEN = "revoked.bot.token"


def bot(token: str) -> dict[str, Any]:
    digest = hashlib.sha256(token.encode()).hexdigest()
    number = 1_200_000_000_000_000_000 + int(digest[:15], 16) % 10**17
    return {
        "id": str(number),
        "username": f"fakebot{number % 10**6}",
        "global_name": f"Fake Bot {number % 1000}",
        "avatar": digest[:32],
        "discriminator": "0",
        "bot": True,
        "public_flags": 0,
        "flags": 0,
    }
