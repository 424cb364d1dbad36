"""Keeping an OAuth account's tokens fresh when several workers may refresh it at once.

A refresh is a compare-and-swap on the account's encrypted credentials: it is saved only if the row still holds
the credentials it started from. The loser (its swap finds newer credentials, or the platform refused its refresh
token with invalid_grant because the winner's refresh rotated it) re-reads the row and uses the winner's tokens,
so the newer refresh token is never overwritten with an older one, and a race never deactivates the account.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import update

from adapters.base import ReauthRequired
from octopost.accounts.tables import Account
from octopost.db import utcnow
from octopost.oauth.apps import OAuthApp
from octopost.oauth.client import TokenClient
from octopost.runtime import Runtime

# A token this close to expiring is refreshed before a publish uses it (a thread of uploads can take minutes).
REFRESH_AHEAD = timedelta(minutes=5)
# How long a refused refresh waits for a concurrent winner's save before calling the grant gone.
_WINNER_SAVE_POLLS, _WINNER_SAVE_INTERVAL = 30, 0.1
_account = Account.__table__  # type: ignore[attr-defined]


def expires_soon(credentials: Mapping[str, str], now: datetime) -> bool:
    expires_at = credentials.get("expires_at")
    if not expires_at or not credentials.get("refresh_token"):
        return False
    return datetime.fromisoformat(expires_at) - now <= REFRESH_AHEAD


def renew_due(credentials: Mapping[str, str], now: datetime, days: int | None) -> bool:
    """A token the platform renews itself (no refresh token) is within ``days`` of its ``expires_at``, unexpired."""
    expires_at = credentials.get("expires_at")
    if days is None or not expires_at:
        return False
    left = datetime.fromisoformat(expires_at) - now
    return timedelta(0) < left <= timedelta(days=days)


def is_expired(credentials: Mapping[str, str], now: datetime) -> bool:
    expires_at = credentials.get("expires_at")
    return expires_at is not None and datetime.fromisoformat(expires_at) <= now


async def refreshed(runtime: Runtime, app: OAuthApp, account_id: str, seen: str) -> str:
    """The account's credentials (encrypted) after a refresh from ``seen``, by us or by whoever won the race."""
    current = await _stored(runtime, account_id)
    if current != seen:
        return current  # another worker refreshed since we read it
    credentials = runtime.cipher.decrypt(seen)
    now = utcnow()
    try:
        tokens = await TokenClient(app, runtime.http).refresh(credentials["refresh_token"], now)
    except ReauthRequired:
        # Refused: either the winner of a race rotated our refresh token (its save follows its answer within
        # moments: use its tokens), or the grant is really gone (the user revoked the app).
        for _ in range(_WINNER_SAVE_POLLS):
            current = await _stored(runtime, account_id)
            if current != seen:
                return current
            await asyncio.sleep(_WINNER_SAVE_INTERVAL)
        raise
    fresh = runtime.cipher.encrypt({**credentials, **tokens.credentials()})
    async with runtime.db.transaction() as session:
        result = await session.exec(
            update(_account)
            .where(_account.c.id == account_id, _account.c.credentials_encrypted == seen)
            .values(credentials_encrypted=fresh)
        )
    if result.rowcount:
        return fresh
    return await _stored(runtime, account_id)  # lost the swap: keep what the winner saved


async def _stored(runtime: Runtime, account_id: str) -> str:
    async with runtime.db.session() as session:
        account = await session.get_one(Account, account_id)
        return account.credentials_encrypted
