"""``platform_options.tiktok``: who sees the post (one of the creator's privacy options, read from creator_info at
publish time), the interactions to turn off, where the video comes from, and TikTok's disclosure flags."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from adapters.options import PlatformOptions

if TYPE_CHECKING:
    from adapters.info import TextRules
    from adapters.validation import PostShape

PrivacyLevel = Literal["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"]
MAX_PHOTO_TITLE = 90  # content/init's post_info.title


class TikTokOptions(PlatformOptions, frozen=True):  # frozen again: mypy does not inherit it
    # None: SELF_ONLY (what an unaudited app may post, and never more public than the user chose).
    privacy_level: PrivacyLevel | None = None
    disable_comment: bool = False
    disable_duet: bool = False
    disable_stitch: bool = False
    # FILE_UPLOAD sends our bytes; PULL_FROM_URL has TikTok fetch the video from our public media URL (its domain
    # must be verified in the TikTok app). Photos are always pulled.
    video_source: Literal["FILE_UPLOAD", "PULL_FROM_URL"] = "FILE_UPLOAD"
    video_cover_timestamp_ms: int | None = None
    photo_title: str | None = None
    auto_add_music: bool = False
    is_aigc: bool = False
    brand_content_toggle: bool = False
    brand_organic_toggle: bool = False

    def problems(self, post: PostShape, text: TextRules) -> list[str]:
        found = []
        if self.photo_title is not None and len(self.photo_title) > MAX_PHOTO_TITLE:
            found.append(f"platform_options.tiktok.photo_title is {len(self.photo_title)} characters; at most 90")
        if self.video_cover_timestamp_ms is not None and self.video_cover_timestamp_ms < 0:
            found.append("platform_options.tiktok.video_cover_timestamp_ms may not be negative")
        if self.brand_content_toggle and self.privacy_level == "SELF_ONLY":
            found.append("branded content (brand_content_toggle) cannot be private (SELF_ONLY) on TikTok")
        return found
