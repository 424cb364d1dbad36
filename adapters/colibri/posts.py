"""Scaffold: replaced by the real adapter."""

from __future__ import annotations

from adapters.base import (
    Adapter,
    MediaRules,
    Platform,
    PlatformInfo,
    Profile,
    PublishedRef,
    PublishRequest,
    Rejected,
    TextCounting,
    TextRules,
    ThreadMode,
)


class ColibriAdapter(Adapter):
    info = PlatformInfo(
        platform=Platform.COLIBRI,
        display_name="ColibriSM",
        default_base_url="https://example.invalid",
        text=TextRules(max_chars=600, counting=TextCounting.CODEPOINTS),
        media=MediaRules(
            max_images=1,
            max_image_bytes=1,
            image_types=frozenset({"image/png"}),
            max_videos=0,
            max_video_bytes=1,
            video_types=frozenset(),
        ),
        thread_mode=ThreadMode.NATIVE_REPLY,
        credential_shapes=(frozenset({"token"}),),
    )

    async def verify(self) -> Profile:
        raise Rejected("not built yet")

    async def publish(self, request: PublishRequest) -> PublishedRef:
        raise Rejected("not built yet")
