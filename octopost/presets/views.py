"""Preset rows (stored or system) as API objects."""

from __future__ import annotations

from octopost.presets.schemas import PresetRead
from octopost.presets.system import SYSTEM_IDS
from octopost.presets.tables import Preset
from octopost.timefmt import iso


def to_read(preset: Preset) -> PresetRead:
    system = preset.id in SYSTEM_IDS
    return PresetRead(
        id=preset.id,
        name=preset.name,
        platforms=list(preset.platforms),
        primary_platform=preset.primary_platform,
        cross_link_enabled=preset.cross_link_enabled,
        cross_link_template=preset.cross_link_template,
        is_default=preset.is_default,
        is_system=system,
        created_at=None if system else iso(preset.created_at),
        updated_at=None if system else iso(preset.updated_at),
    )
