"""Posts naming our uploads by URL: checked when a post is stored (this workspace's and mode's, of the right kind),
read straight from storage when it is published (no HTTP hop)."""

from __future__ import annotations

from typing import Any, Literal

import anyio

from adapters.base import MediaItem
from octopost.errors import ValidationFailed
from octopost.posts.tables import Post
from octopost.runtime import Runtime
from octopost.uploads import repository, storage
from octopost.uploads.links import own_media_id, own_prefix, signed_public_url
from octopost.uploads.tables import Upload


def media_urls(media: dict[str, Any] | None, segments: list[dict[str, Any]] | None) -> list[tuple[str, str, str]]:
    """(field, url, kind expected) of every media URL of a post as stored."""
    found = []
    media = media or {}
    for i, image in enumerate(media.get("images") or []):
        found.append((f"media.images[{i}].url", image["url"], "image"))
    if media.get("video"):
        found.append(("media.video.url", media["video"]["url"], "video"))
    for i, segment in enumerate(segments or []):
        for j, url in enumerate(segment.get("media_urls") or []):
            found.append((f"segments[{i}].media_urls[{j}]", url, ""))
    return found


def every_media_url(post: Post) -> list[tuple[str, str, str]]:
    """The post's own media URLs and each per-platform version's (``overrides.<platform>.…``)."""
    found = media_urls(post.media, post.segments)
    for platform, version in (post.overrides or {}).items():
        found += [
            (f"overrides.{platform}.{field}", url, kind)
            for field, url, kind in media_urls(version.get("media"), version.get("segments"))
        ]
    return found


async def check_own_media(runtime: Runtime, post: Post) -> None:
    """A 422 naming each of our media URLs that is no upload of the post's workspace and mode, or of another kind."""
    settings = runtime.settings
    named = [(f, url, kind, own_media_id(settings, url)) for f, url, kind in every_media_url(post)]
    ours = [(f, url, kind, media_id) for f, url, kind, media_id in named if url.startswith(own_prefix(settings))]
    if not ours:
        return
    async with runtime.db.session() as session:
        ids = [media_id for *_, media_id in ours if media_id]
        rows = {r.id: r for r in await repository.of_workspace(session, post.workspace_id, post.is_test, ids)}
    problems = []
    for field, url, kind, media_id in ours:
        row = rows.get(media_id or "")
        if row is None or row.extension != url.rsplit(".", 1)[-1]:
            problems.append(f"{field}: {url} is no uploaded media of this workspace (deleted, or never uploaded)")
        elif kind and row.kind != kind:
            problems.append(f"{field}: {url} is {row.content_type}, expected {kind}/*")
    if problems:
        raise ValidationFailed.of(problems)


PLATFORM_FETCH_TTL_SECONDS = 2 * 24 * 3600


async def read_own(
    runtime: Runtime, post: Post, url: str, kind: Literal["image", "video"], alt_text: str | None
) -> MediaItem | None:
    """Our upload's bytes from storage (None when ``url`` is not ours); ValueError when it is gone or unfit."""
    media_id = own_media_id(runtime.settings, url)
    if media_id is None:
        return None
    async with runtime.db.session() as session:
        row: Upload | None = await repository.get(session, post.workspace_id, post.is_test, media_id)
    path = storage.stored_path(runtime.settings.data_dir, media_id)
    if row is None or not path.exists():
        raise ValueError(f"uploaded media {url} no longer exists")
    data = await anyio.Path(path).read_bytes()
    return MediaItem(
        data=data,
        content_type=row.content_type,
        kind="video" if row.kind == "video" else "image",
        alt_text=alt_text,
        width=row.width,
        height=row.height,
        source_url=url,
        # For platforms that fetch the file themselves: long enough for a container to be made and processed
        # (Meta's expire after a day), and for a publish rescheduled by a rate limit.
        public_url=signed_public_url(runtime.settings, media_id, PLATFORM_FETCH_TTL_SECONDS),
    )
