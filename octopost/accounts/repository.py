"""Account queries, always scoped to a workspace and a mode (test keys see test accounts, live keys live ones)."""

from __future__ import annotations

from sqlalchemy import ColumnElement
from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from octopost.accounts.tables import Account


def _scope(workspace_id: str, is_test: bool) -> list[ColumnElement[bool]]:
    return [col(Account.workspace_id) == workspace_id, col(Account.is_test) == is_test]


async def list_all(
    session: AsyncSession, workspace_id: str, *, is_test: bool, platform: str | None = None
) -> list[Account]:
    """Active and inactive alike (an expired account stays visible, to be reconnected), oldest first."""
    query = select(Account).where(*_scope(workspace_id, is_test))
    if platform is not None:
        query = query.where(col(Account.platform) == platform)
    rows = await session.exec(query.order_by(col(Account.connected_at), col(Account.id)))
    return list(rows.all())


async def get(session: AsyncSession, workspace_id: str, account_id: str, *, is_test: bool) -> Account | None:
    query = select(Account).where(Account.id == account_id, *_scope(workspace_id, is_test))
    return (await session.exec(query)).first()


async def by_ids(session: AsyncSession, workspace_id: str, ids: list[str], *, is_test: bool) -> dict[str, Account]:
    if not ids:
        return {}
    rows = await session.exec(select(Account).where(col(Account.id).in_(ids), *_scope(workspace_id, is_test)))
    return {account.id: account for account in rows.all()}


async def defaults_for_platforms(
    session: AsyncSession, workspace_id: str, platforms: list[str], *, is_test: bool
) -> dict[str, Account]:
    """The account a post that names none publishes through, per platform: the active one marked default, else
    the newest active one (the default may have expired, or been removed)."""
    rows = await session.exec(
        select(Account)
        .where(*_scope(workspace_id, is_test), col(Account.platform).in_(platforms), col(Account.is_active).is_(True))
        .order_by(col(Account.is_default).desc(), col(Account.connected_at).desc(), col(Account.id))
    )
    found: dict[str, Account] = {}
    for account in rows.all():
        found.setdefault(account.platform, account)
    return found


async def make_default(session: AsyncSession, account: Account) -> None:
    """``account`` becomes its platform's one default (in its workspace and mode)."""
    await session.exec(
        update(Account)
        .where(
            *_scope(account.workspace_id, account.is_test),
            col(Account.platform) == account.platform,
            col(Account.id) != account.id,
        )
        .values(is_default=False)
    )
    account.is_default = True
    session.add(account)
