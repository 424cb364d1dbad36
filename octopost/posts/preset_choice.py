"""Which platforms a post goes to, and in what order: its own `platforms`, or a preset's (`preset_id`, else the
workspace's default preset). What a post takes from a preset is copied onto it, so a preset changed or deleted
later never changes a post already written."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from octopost.errors import Problems
from octopost.keys.service import Caller
from octopost.presets import repository
from octopost.presets.system import ALL_PLATFORMS_ID, all_platforms
from octopost.presets.tables import Preset


@dataclass(frozen=True)
class PresetChoice:
    platforms: list[str]
    preset_id: str | None = None
    primary_platform: str | None = None
    cross_link_template: str | None = None  # None: no cross-link


def of_preset(preset: Preset) -> PresetChoice:
    return PresetChoice(
        platforms=list(preset.platforms),
        preset_id=preset.id,
        primary_platform=preset.primary_platform,
        cross_link_template=preset.cross_link_template if preset.cross_link_enabled else None,
    )


async def choose(
    session: AsyncSession, caller: Caller, platforms: list[str] | None, preset_id: str | None, problems: Problems
) -> PresetChoice:
    if platforms is not None and preset_id is not None:
        problems.add("preset_id: give platforms or a preset_id, not both")
        return PresetChoice(platforms)
    if platforms is not None:
        return PresetChoice(platforms)
    if preset_id is None:
        default = await repository.default(session, caller.workspace_id, is_test=caller.is_test)
        if default is None:
            problems.add("platforms: give the platforms, or a preset_id (or mark a preset as the default)")
            return PresetChoice([])
        return of_preset(default)
    if preset_id == ALL_PLATFORMS_ID:
        preset = await all_platforms(session, caller.workspace_id, is_test=caller.is_test)
        if not preset.platforms:
            problems.add("preset_id: All Platforms has no platforms yet: connect an account first")
    else:
        found = await repository.get(session, caller.workspace_id, preset_id, is_test=caller.is_test)
        if found is None:
            problems.add(f"preset_id: preset {preset_id} not found")
            return PresetChoice([])
        preset = found
    return of_preset(preset)
