"""Presets every workspace has without creating them. They are computed, not stored: "All Platforms" is every
platform the workspace (in the key's mode) has an active account for, as it is when the preset is used."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from adapters.base import Platform
from octopost.accounts.tables import Account
from octopost.presets.tables import Preset

ALL_PLATFORMS_ID = "pre_all_platforms"
ALL_PLATFORMS_NAME = "All Platforms"
SYSTEM_IDS = frozenset({ALL_PLATFORMS_ID})
RESERVED_NAMES = frozenset({ALL_PLATFORMS_NAME.casefold()})


async def all_platforms(session: AsyncSession, workspace_id: str, *, is_test: bool) -> Preset:
    rows = await session.exec(
        select(Account.platform)
        .where(col(Account.workspace_id) == workspace_id, col(Account.is_test) == is_test, col(Account.is_active))
        .distinct()
    )
    connected = set(rows.all())
    return Preset(
        id=ALL_PLATFORMS_ID,
        workspace_id=workspace_id,
        is_test=is_test,
        name=ALL_PLATFORMS_NAME,
        platforms=[p.value for p in Platform if p.value in connected],  # the platforms' own order, stable
    )
