"""Saving a verified account, the one way every connect (pasted credentials or OAuth) ends.

A workspace keeps several accounts per platform. Connecting the same platform user again (same server, same mode)
is a reconnect: it updates that row (new credentials, fresh profile, active again) instead of adding a twin, so
posts and results keep naming one account id. The first active account of a platform becomes its default.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from adapters.base import Profile
from octopost.accounts.tables import Account
from octopost.ids import new_id
from octopost.runtime import Runtime
from octopost.webhooks.events import EventType
from octopost.webhooks.outbox import record_account_event


async def save_connected(
    runtime: Runtime,
    *,
    workspace_id: str,
    is_test: bool,
    platform: str,
    base_url: str,
    profile: Profile,
    credentials: Mapping[str, str],
) -> Account:
    encrypted = runtime.cipher.encrypt(dict(credentials))
    async with runtime.db.transaction() as session:
        account = (
            await session.exec(
                select(Account).where(
                    Account.workspace_id == workspace_id,
                    Account.is_test == is_test,
                    Account.platform == platform,
                    Account.base_url == base_url,
                    Account.platform_user_id == profile.platform_user_id,
                )
            )
        ).first()
        if account is None:
            account = Account(
                id=new_id("acc"),
                workspace_id=workspace_id,
                platform=platform,
                base_url=base_url,
                platform_user_id=profile.platform_user_id,
                username=profile.username,
                credentials_encrypted=encrypted,
                is_test=is_test,
            )
        account.username = profile.username
        account.display_name = profile.display_name
        account.avatar_url = profile.avatar_url
        account.credentials_encrypted = encrypted
        account.is_active = True
        account.disconnected_at = None
        account.expiry_warned_at = None  # a new token: warned afresh before it expires
        if not account.is_default:
            account.is_default = not await _has_default(session, account)
        session.add(account)
        await session.flush()
        await record_account_event(session, EventType.ACCOUNT_CONNECTED, account)
    return account


async def _has_default(session: AsyncSession, account: Account) -> bool:
    """Whether another active account of the platform (same workspace and mode) is already its default."""
    query = select(Account.id).where(
        Account.workspace_id == account.workspace_id,
        Account.is_test == account.is_test,
        Account.platform == account.platform,
        Account.id != account.id,
        col(Account.is_active).is_(True),
        col(Account.is_default).is_(True),
    )
    return (await session.exec(query)).first() is not None
