"""Preset use cases: list, read, create, change, delete. System presets are read-only (403)."""

from __future__ import annotations

from msgspec import UNSET
from sqlmodel.ext.asyncio.session import AsyncSession

from octopost.db import utcnow
from octopost.errors import Conflict, Forbidden, NotFound, Problems
from octopost.ids import new_id
from octopost.keys.service import Caller
from octopost.posts.validation import check_platforms
from octopost.presets import repository
from octopost.presets.crosslink import DEFAULT_TEMPLATE, template_problems
from octopost.presets.schemas import PresetCreate, PresetList, PresetRead, PresetUpdate
from octopost.presets.system import ALL_PLATFORMS_ID, RESERVED_NAMES, SYSTEM_IDS, all_platforms
from octopost.presets.tables import Preset
from octopost.presets.views import to_read
from octopost.runtime import Runtime

MAX_NAME_CHARS = 100


def _check(preset: Preset, problems: Problems) -> None:
    """The whole preset as it would be stored (after an update, its merged fields)."""
    name = preset.name.strip()
    if not name:
        problems.add("name: is required and must not be empty")
    elif len(name) > MAX_NAME_CHARS:
        problems.add(f"name: is {len(name)} characters; at most {MAX_NAME_CHARS}")
    elif name.casefold() in RESERVED_NAMES:
        problems.add(f"name: {name!r} is a system preset's name")
    preset.name = name
    check_platforms(preset.platforms, problems)
    if preset.primary_platform is not None and preset.primary_platform not in preset.platforms:
        problems.add(f"primary_platform: {preset.primary_platform!r} is not one of the preset's platforms")
    if preset.cross_link_enabled:
        if preset.primary_platform is None:
            problems.add("cross_link_enabled: needs a primary_platform (the post the others link to)")
        if len(preset.platforms) < 2:
            problems.add("cross_link_enabled: needs a platform besides the primary one to link from")
        if preset.cross_link_template is None:
            preset.cross_link_template = DEFAULT_TEMPLATE
    if preset.cross_link_template is not None:
        for problem in template_problems(preset.cross_link_template):
            problems.add(problem)


async def list_presets(runtime: Runtime, caller: Caller) -> PresetList:
    async with runtime.db.session() as session:
        system = await all_platforms(session, caller.workspace_id, is_test=caller.is_test)
        own = await repository.listed(session, caller.workspace_id, is_test=caller.is_test)
    presets = [to_read(system), *(to_read(p) for p in own)]
    return PresetList(presets=presets, total=len(presets))


async def get(runtime: Runtime, caller: Caller, preset_id: str) -> PresetRead:
    async with runtime.db.session() as session:
        if preset_id == ALL_PLATFORMS_ID:
            return to_read(await all_platforms(session, caller.workspace_id, is_test=caller.is_test))
        preset = await repository.get(session, caller.workspace_id, preset_id, is_test=caller.is_test)
    if preset is None:
        raise NotFound(f"Preset {preset_id} not found")
    return to_read(preset)


async def create(runtime: Runtime, caller: Caller, data: PresetCreate) -> PresetRead:
    now = utcnow()
    preset = Preset(
        id=new_id("pre"),
        workspace_id=caller.workspace_id,
        is_test=caller.is_test,
        name=data.name,
        platforms=list(data.platforms),
        primary_platform=data.primary_platform,
        cross_link_enabled=data.cross_link_enabled,
        cross_link_template=data.cross_link_template,
        is_default=data.is_default,
        created_at=now,
        updated_at=now,
    )
    problems = Problems()
    _check(preset, problems)
    problems.raise_if_any()
    async with runtime.db.transaction() as session:
        await _ensure_name_free(session, preset)
        if preset.is_default:
            await repository.clear_default(session, caller.workspace_id, is_test=caller.is_test)
        session.add(preset)
    return to_read(preset)


async def update(runtime: Runtime, caller: Caller, preset_id: str, data: PresetUpdate) -> PresetRead:
    _ensure_not_system(preset_id, "changed")
    async with runtime.db.transaction() as session:
        preset = await repository.get(session, caller.workspace_id, preset_id, is_test=caller.is_test)
        if preset is None:
            raise NotFound(f"Preset {preset_id} not found")
        for field in ("name", "platforms", "primary_platform", "cross_link_enabled", "cross_link_template"):
            value = getattr(data, field)
            if value is not UNSET:
                setattr(preset, field, value)
        problems = Problems()
        _check(preset, problems)
        problems.raise_if_any()
        await _ensure_name_free(session, preset)
        if data.is_default is not UNSET:
            if data.is_default:
                await repository.clear_default(session, caller.workspace_id, is_test=caller.is_test)
            preset.is_default = data.is_default
        preset.updated_at = utcnow()
        session.add(preset)
    return to_read(preset)


async def delete(runtime: Runtime, caller: Caller, preset_id: str) -> None:
    """Posts made with it keep what they took from it (their platforms, primary platform and cross-link)."""
    _ensure_not_system(preset_id, "deleted")
    async with runtime.db.transaction() as session:
        preset = await repository.get(session, caller.workspace_id, preset_id, is_test=caller.is_test)
        if preset is None:
            raise NotFound(f"Preset {preset_id} not found")
        await session.delete(preset)


def _ensure_not_system(preset_id: str, what: str) -> None:
    if preset_id in SYSTEM_IDS:
        raise Forbidden(f"System presets cannot be {what}", {"preset_id": preset_id})


async def _ensure_name_free(session: AsyncSession, preset: Preset) -> None:
    other = await repository.named(session, preset.workspace_id, preset.name, is_test=preset.is_test)
    if other is not None and other.id != preset.id:
        raise Conflict(f"A preset named {preset.name!r} exists already", {"preset_id": other.id})
