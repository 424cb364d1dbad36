"""Preset queries, scoped to a workspace and a mode."""

from __future__ import annotations

from sqlalchemy import update as sql_update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from octopost.presets.tables import Preset


async def listed(session: AsyncSession, workspace_id: str, *, is_test: bool) -> list[Preset]:
    rows = await session.exec(
        select(Preset)
        .where(col(Preset.workspace_id) == workspace_id, col(Preset.is_test) == is_test)
        .order_by(col(Preset.created_at), col(Preset.id))
    )
    return list(rows.all())


async def get(session: AsyncSession, workspace_id: str, preset_id: str, *, is_test: bool) -> Preset | None:
    query = select(Preset).where(
        col(Preset.id) == preset_id, col(Preset.workspace_id) == workspace_id, col(Preset.is_test) == is_test
    )
    return (await session.exec(query)).first()


async def default(session: AsyncSession, workspace_id: str, *, is_test: bool) -> Preset | None:
    query = select(Preset).where(
        col(Preset.workspace_id) == workspace_id, col(Preset.is_test) == is_test, col(Preset.is_default)
    )
    return (await session.exec(query)).first()


async def named(session: AsyncSession, workspace_id: str, name: str, *, is_test: bool) -> Preset | None:
    query = select(Preset).where(
        col(Preset.workspace_id) == workspace_id, col(Preset.is_test) == is_test, col(Preset.name) == name
    )
    return (await session.exec(query)).first()


async def clear_default(session: AsyncSession, workspace_id: str, *, is_test: bool) -> None:
    """Before marking one default: a workspace has at most one."""
    await session.exec(
        sql_update(Preset)
        .where(col(Preset.workspace_id) == workspace_id, col(Preset.is_test) == is_test, col(Preset.is_default))
        .values(is_default=False)
    )
