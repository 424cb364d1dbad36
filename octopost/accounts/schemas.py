"""Request and response bodies of /v1/accounts."""

from __future__ import annotations

import msgspec


class AccountConnect(msgspec.Struct):
    platform: str
    credentials: dict[str, str]
    base_url: str | None = None


class AccountRead(msgspec.Struct):
    id: str
    platform: str
    platform_user_id: str
    username: str
    display_name: str | None
    avatar_url: str | None
    base_url: str
    is_active: bool
    connected_at: str
    last_used_at: str | None


class AccountList(msgspec.Struct):
    accounts: list[AccountRead]
