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
    # The platform's account a post uses when it names none (while active; else the newest active one).
    is_default: bool = False


class AccountChange(msgspec.Struct):
    """PUT /v1/accounts/{id}: only ``{"is_default": true}`` (a default is replaced, never left empty)."""

    is_default: bool


class AccountList(msgspec.Struct):
    accounts: list[AccountRead]
