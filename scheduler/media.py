"""Fetch a post's media once per publish, shared by all of its targets."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from typing import Literal

from adapters.base import MediaItem, Segment
from octopost.media.fetch import MediaFetchError, fetch_media
from octopost.posts.tables import Post
from octopost.posts.validation import is_video_url
from octopost.posts.versions import Version, all_versions, version_for
from octopost.runtime import Runtime
from octopost.uploads.references import read_own


@dataclass(frozen=True)
class MediaRef:
    url: str
    kind: Literal["image", "video"]
    alt_text: str | None = None


def segment_media(version: Version) -> list[list[MediaRef]]:
    """The media of each segment (main post first), as references still to fetch."""
    media = version.media or {}
    main = [MediaRef(i["url"], "image", i.get("alt_text")) for i in media.get("images") or []]
    if media.get("video"):
        main.append(MediaRef(media["video"]["url"], "video"))
    replies = [
        [MediaRef(url, "video" if is_video_url(url) else "image") for url in s.get("media_urls") or []]
        for s in version.segments or []
    ]
    return [main, *replies]


@dataclass
class PostMedia:
    """Fetched bytes per URL (or the reason it could not be fetched)."""

    items: dict[str, MediaItem | MediaFetchError] = field(default_factory=dict)

    def segments(self, post: Post, platform: str, *, primary_url: str | None = None) -> list[Segment]:
        """The post as ``platform``'s adapter segments (its version, linking to ``primary_url`` where the post
        cross-links); raises the MediaFetchError of the first unusable file."""
        version = version_for(post, platform, primary_url=primary_url)
        texts = [version.content, *(s["content"] for s in version.segments or [])]
        built = []
        for index, (text, refs) in enumerate(zip(texts, segment_media(version), strict=True)):
            items = []
            for ref in refs:
                fetched = self.items[ref.url]
                if isinstance(fetched, MediaFetchError):
                    raise fetched
                items.append(fetched if fetched.alt_text == ref.alt_text else replace(fetched, alt_text=ref.alt_text))
            built.append(Segment(index=index, text=text, media=tuple(items)))
        return built


async def fetch_post_media(runtime: Runtime, post: Post) -> PostMedia:
    # Every platform's version: a URL two versions share is fetched once.
    refs = {ref.url: ref for version in all_versions(post) for refs in segment_media(version) for ref in refs}

    async def one(ref: MediaRef) -> MediaItem | MediaFetchError:
        try:
            own = await read_own(runtime, post, ref.url, ref.kind, ref.alt_text)  # ours: from storage, no HTTP
        except ValueError as exc:
            return MediaFetchError(str(exc))
        if own is not None:
            return own
        try:
            return await fetch_media(
                runtime.http, ref.url, kind=ref.kind, max_bytes=runtime.settings.media_max_bytes, alt_text=ref.alt_text
            )
        except MediaFetchError as exc:
            return exc

    results = await asyncio.gather(*(one(ref) for ref in refs.values()))
    return PostMedia(items=dict(zip(refs, results, strict=True)))
