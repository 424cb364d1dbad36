"""Accounts whose access tokens cannot be refreshed (LinkedIn's 60-day tokens, for apps LinkedIn gives no refresh
token): an interval job of the ticker warns ``PlatformInfo.warns_before_expiry_days`` ahead with one
``account.expiring`` event per token, and ends the account once the token has expired (``is_active`` false and
``account.disconnected``), so the dashboard and the API say "reconnect" before a post fails on it.

``expires_at`` lives in the encrypted credentials, so the few accounts of such platforms are decrypted to read it.
Both writes are guarded updates: with several workers, each warning and each ending is announced once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import col, select

from adapters.registry import ADAPTERS
from octopost.accounts.tables import Account
from octopost.db import utcnow
from octopost.runtime import Runtime
from octopost.timefmt import iso
from octopost.webhooks.events import EventType
from octopost.webhooks.outbox import record_account_event
from scheduler.outcome import deactivate_account

log = logging.getLogger("octopost.scheduler")
_account = Account.__table__  # type: ignore[attr-defined]


def _warning_windows() -> dict[str, timedelta]:
    return {
        platform.value: timedelta(days=cls.info.warns_before_expiry_days)
        for platform, cls in ADAPTERS.items()
        if cls.info.warns_before_expiry_days is not None
    }


async def check_token_expiry(runtime: Runtime) -> None:
    try:
        await _check(runtime, utcnow())
    except Exception:
        log.exception("the token expiry check failed")


async def _check(runtime: Runtime, now: datetime) -> None:
    windows = _warning_windows()
    if not windows:
        return
    async with runtime.db.session() as session:
        accounts = (
            await session.exec(
                select(Account).where(col(Account.platform).in_(list(windows)), col(Account.is_active).is_(True))
            )
        ).all()
    for account in accounts:
        credentials = runtime.cipher.decrypt(account.credentials_encrypted)
        if credentials.get("refresh_token") or not credentials.get("expires_at"):
            continue  # refreshed before use: nothing to warn about
        expires_at = datetime.fromisoformat(credentials["expires_at"])
        if expires_at <= now:
            await deactivate_account(runtime.db, account.id)
            log.info("account token expired", extra={"account_id": account.id, "platform": account.platform})
        elif expires_at - now <= windows[account.platform] and account.expiry_warned_at is None:
            await _warn(runtime, account.id, expires_at, now)


async def _warn(runtime: Runtime, account_id: str, expires_at: datetime, now: datetime) -> None:
    async with runtime.db.transaction() as session:
        result = await session.exec(
            update(_account)
            .where(_account.c.id == account_id, _account.c.expiry_warned_at.is_(None))
            .values(expiry_warned_at=now)
        )
        if not result.rowcount:
            return  # another worker warned first
        account = await session.get_one(Account, account_id)
        data = {"expires_at": iso(expires_at)}
        await record_account_event(session, EventType.ACCOUNT_EXPIRING, account, extra=data)
    log.info("account token expires soon", extra={"account_id": account_id, "expires_at": iso(expires_at)})
