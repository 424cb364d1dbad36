"""An account row as the API (and the webhook events that carry accounts) show it: never its credentials."""

from __future__ import annotations

from octopost.accounts.schemas import AccountRead
from octopost.accounts.tables import Account
from octopost.timefmt import iso


def to_read(account: Account) -> AccountRead:
    return AccountRead(
        id=account.id,
        platform=account.platform,
        platform_user_id=account.platform_user_id,
        username=account.username,
        display_name=account.display_name,
        avatar_url=account.avatar_url,
        base_url=account.base_url,
        is_active=account.is_active,
        connected_at=iso(account.connected_at) or "",
        last_used_at=iso(account.last_used_at),
        is_default=account.is_default,
    )
