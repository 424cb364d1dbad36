"""Adapters written ahead of their registration (issue 11's platforms, waiting to be registered now that the
engine's processing step exists): the declaration checks that need no registry entry run over them too, so they
meet the contract the day they are registered. The integrator empties this as each one is registered."""

from __future__ import annotations

from adapters.base import Adapter, Platform
from adapters.facebook import FacebookAdapter
from adapters.instagram import InstagramAdapter
from adapters.linkedin import LinkedInAdapter
from adapters.threads import ThreadsAdapter
from adapters.tiktok import TikTokAdapter
from adapters.youtube import YouTubeAdapter

PENDING_REGISTRATION: dict[Platform, type[Adapter]] = {
    Platform.FACEBOOK: FacebookAdapter,
    Platform.INSTAGRAM: InstagramAdapter,
    Platform.LINKEDIN: LinkedInAdapter,
    Platform.THREADS: ThreadsAdapter,
    Platform.TIKTOK: TikTokAdapter,
    Platform.YOUTUBE: YouTubeAdapter,
}
