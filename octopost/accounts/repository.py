"""Account queries, always scoped to a workspace and a mode (test keys see test accounts, live keys live ones)."""

from __future__ import annotations

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from octopost.accounts.tables import Account
from octopost.db import utcnow


async def list_active(session: AsyncSession, workspace_id: str, *, is_test: bool) -> list[Account]:
    rows = await session.exec(
        select(Account)
        .where(Account.workspace_id == workspace_id, Account.is_test == is_test, col(Account.is_active).is_(True))
        .order_by(col(Account.connected_at))
    )
    return list(rows.all())


async def get(session: AsyncSession, workspace_id: str, account_id: str, *, is_test: bool) -> Account | None:
    query = select(Account).where(
        Account.id == account_id, Account.workspace_id == workspace_id, Account.is_test == is_test
    )
    return (await session.exec(query)).first()


async def active_for_platforms(
    session: AsyncSession, workspace_id: str, platforms: list[str], *, is_test: bool
) -> dict[str, Account]:
    rows = await session.exec(
        select(Account).where(
            Account.workspace_id == workspace_id,
            Account.is_test == is_test,
            col(Account.platform).in_(platforms),
            col(Account.is_active).is_(True),
        )
    )
    return {account.platform: account for account in rows.all()}


async def deactivate_platform(session: AsyncSession, workspace_id: str, platform: str, *, is_test: bool) -> None:
    await session.exec(
        update(Account)
        .where(
            col(Account.workspace_id) == workspace_id,
            col(Account.is_test) == is_test,
            col(Account.platform) == platform,
            col(Account.is_active),
        )
        .values(is_active=False, disconnected_at=utcnow())
    )
