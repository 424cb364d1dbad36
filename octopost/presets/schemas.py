"""Request and response bodies of /v1/presets."""

from __future__ import annotations

import msgspec
from msgspec import UNSET, UnsetType


class PresetCreate(msgspec.Struct):
    name: str
    platforms: list[str]
    primary_platform: str | None = None
    cross_link_enabled: bool = False
    # {platform} (the primary's name), {link} (its post's URL), {title} (the post's first line), {excerpt}.
    cross_link_template: str | None = None
    is_default: bool = False


class PresetUpdate(msgspec.Struct):
    """Omitted fields stay as they are."""

    name: str | UnsetType = UNSET
    platforms: list[str] | UnsetType = UNSET
    primary_platform: str | UnsetType | None = UNSET
    cross_link_enabled: bool | UnsetType = UNSET
    cross_link_template: str | UnsetType | None = UNSET
    is_default: bool | UnsetType = UNSET


class PresetRead(msgspec.Struct):
    id: str
    name: str
    platforms: list[str]
    primary_platform: str | None
    cross_link_enabled: bool
    cross_link_template: str | None
    is_default: bool
    is_system: bool
    created_at: str | None
    updated_at: str | None


class PresetList(msgspec.Struct):
    presets: list[PresetRead]
    total: int
