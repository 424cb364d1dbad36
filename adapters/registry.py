"""The one registry of platform adapters, keyed by Platform. No discovery by filename."""

from __future__ import annotations

from adapters.amity import AmityAdapter
from adapters.base import Adapter, Platform, PlatformInfo
from adapters.bluesky import BlueskyAdapter
from adapters.colibri import ColibriAdapter, ColibriMessagesAdapter
from adapters.discord import DiscordAdapter
from adapters.facebook import FacebookAdapter
from adapters.instagram import InstagramAdapter
from adapters.linkedin import LinkedInAdapter
from adapters.mastodon import MastodonAdapter
from adapters.slack import SlackAdapter
from adapters.telegram import TelegramAdapter
from adapters.threads import ThreadsAdapter
from adapters.tiktok import TikTokAdapter
from adapters.twitter import TwitterAdapter
from adapters.youtube import YouTubeAdapter
from adapters.ziik import ZiikAdapter

ADAPTERS: dict[Platform, type[Adapter]] = {
    Platform.AMITY: AmityAdapter,
    Platform.BLUESKY: BlueskyAdapter,
    Platform.COLIBRI: ColibriAdapter,
    Platform.COLIBRI_DM: ColibriMessagesAdapter,
    Platform.DISCORD: DiscordAdapter,
    Platform.FACEBOOK: FacebookAdapter,
    Platform.INSTAGRAM: InstagramAdapter,
    Platform.LINKEDIN: LinkedInAdapter,
    Platform.MASTODON: MastodonAdapter,
    Platform.SLACK: SlackAdapter,
    Platform.TELEGRAM: TelegramAdapter,
    Platform.THREADS: ThreadsAdapter,
    Platform.TIKTOK: TikTokAdapter,
    Platform.TWITTER: TwitterAdapter,
    Platform.YOUTUBE: YouTubeAdapter,
    Platform.ZIIK: ZiikAdapter,
}


class UnsupportedPlatform(LookupError):
    def __init__(self, platform: str) -> None:
        supported = ", ".join(sorted(p.value for p in ADAPTERS))
        super().__init__(f"no adapter for platform {platform!r}; publishing is supported for: {supported}")
        self.platform = platform


def adapter_class(platform: str) -> type[Adapter]:
    try:
        return ADAPTERS[Platform(platform)]
    except (ValueError, KeyError):
        raise UnsupportedPlatform(platform) from None


def platform_info(platform: str) -> PlatformInfo:
    return adapter_class(platform).info
