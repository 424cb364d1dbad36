"""The accounts a post publishes through: those it names (``accounts``, at most one per platform), else each
platform's default.

A named account is pinned on the post's target when it is queued, so the post publishes through exactly that
account or fails saying so; it never falls back to another one. A platform the post does not name resolves to its
default when the target publishes (the default may change while the post waits).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from adapters.registry import platform_info
from octopost.accounts import repository as accounts_repo
from octopost.accounts.tables import Account
from octopost.errors import Problems

MAX_NAMED = 32


def check_accounts_shape(value: Sequence[str] | None, problems: Problems) -> list[str] | None:
    """The list as sent, without duplicates: None (or []) means "each platform's default"."""
    if not value:
        return None
    if len(value) > MAX_NAMED:
        problems.add(f"accounts: at most {MAX_NAMED}")
        return None
    ids = list(dict.fromkeys(value))
    for account_id in ids:
        if not account_id.startswith("acc_"):
            problems.add(f"accounts: {account_id!r} is not an account id (acc_…)")
    return ids


async def named_accounts(
    session: AsyncSession, workspace_id: str, ids: list[str] | None, platforms: list[str], *, is_test: bool
) -> tuple[dict[str, Account], list[str]]:
    """The named accounts by platform, and what is wrong with the names: an id this workspace (in this mode)
    does not have, an account of a platform the post does not publish to, two accounts of one platform."""
    if not ids:
        return {}, []
    found = await accounts_repo.by_ids(session, workspace_id, ids, is_test=is_test)
    by_platform: dict[str, Account] = {}
    problems: list[str] = []
    for account_id in ids:
        account = found.get(account_id)
        if account is None:
            problems.append(f"accounts: {account_id} is not an account of this workspace")
        elif account.platform not in platforms:
            problems.append(f"accounts: {account_id} is a {account.platform} account, not one of the post's platforms")
        elif (twin := by_platform.get(account.platform)) is not None:
            name = platform_info(account.platform).display_name
            problems.append(f"accounts: {twin.id} and {account_id} are both {name} accounts; name at most one")
        else:
            by_platform[account.platform] = account
    return by_platform, problems


async def publishing_accounts(
    session: AsyncSession,
    workspace_id: str,
    ids: list[str] | None,
    platforms: list[str],
    *,
    is_test: bool,
    require_active: bool,
) -> tuple[dict[str, Account], list[str]]:
    """Every platform's account as a publish would use it now (named, else default), and the problems
    (``require_active``: a named account that is inactive is one)."""
    named, problems = await named_accounts(session, workspace_id, ids, platforms, is_test=is_test)
    for platform, account in named.items():
        if require_active and not account.is_active:
            name = platform_info(platform).display_name
            problems.append(
                f"accounts: {account.id} (@{account.username}) is inactive; reconnect your {name} account "
                "or name another"
            )
    missing = [p for p in platforms if p not in named]
    defaults = await accounts_repo.defaults_for_platforms(session, workspace_id, missing, is_test=is_test)
    return {**defaults, **named}, problems
