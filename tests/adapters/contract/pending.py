"""Adapters written ahead of the engine's processing step (issue 11), not in adapters/registry.py ADAPTERS yet: the
declaration contract runs over them too. The integrator empties this as each one is registered."""

from __future__ import annotations

from adapters.base import Adapter, Platform
from adapters.tiktok import TikTokAdapter
from adapters.youtube import YouTubeAdapter

PENDING_REGISTRATION: dict[Platform, type[Adapter]] = {
    Platform.TIKTOK: TikTokAdapter,
    Platform.YOUTUBE: YouTubeAdapter,
}
