"""Uploads: receive (sniffed, capped, probed, stored under the id), read, delete unless a pending post uses it, and
purge the unreferenced old ones. Their bytes are read straight from storage when a post is published."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import anyio

from octopost.errors import Conflict, NotFound, ValidationFailed
from octopost.ids import new_id
from octopost.keys.service import Caller
from octopost.posts.state import PostStatus
from octopost.runtime import Runtime
from octopost.settings import Settings
from octopost.uploads import repository, storage
from octopost.uploads.probe import probe
from octopost.uploads.schemas import MediaUpload
from octopost.uploads.tables import Upload
from octopost.uploads.views import upload_view

log = logging.getLogger("octopost.uploads")

PENDING = (PostStatus.DRAFT, PostStatus.SCHEDULED)
PURGE_BATCH = 200


def caps(settings: Settings) -> dict[str, int]:
    return {"image": settings.upload_max_image_bytes, "video": settings.upload_max_video_bytes}


async def create(runtime: Runtime, caller: Caller, chunks: AsyncIterator[bytes], declared: str | None) -> MediaUpload:
    data_dir = runtime.settings.data_dir
    try:
        temp, sniffed, size = await storage.receive(chunks, data_dir, caps(runtime.settings))
    except storage.Unacceptable as exc:
        raise ValidationFailed.of([f"file: {exc}"]) from None
    try:
        probed = await anyio.to_thread.run_sync(probe, temp, sniffed)
        row = Upload(
            id=new_id("med"),
            workspace_id=caller.workspace_id,
            is_test=caller.is_test,
            content_type=sniffed.content_type,
            kind=sniffed.kind,
            extension=sniffed.extension,
            size=size,
            width=probed.width,
            height=probed.height,
            duration_seconds=probed.duration_seconds,
        )
        storage.move_into_place(temp, data_dir, row.id)
    finally:
        temp.unlink(missing_ok=True)
    async with runtime.db.transaction() as session:
        session.add(row)
    log.info(
        "media uploaded",
        extra={"media_id": row.id, "content_type": row.content_type, "declared": declared, "size": size},
    )
    return upload_view(runtime.settings, row)


async def _own(runtime: Runtime, caller: Caller, media_id: str) -> Upload:
    async with runtime.db.session() as session:
        row = await repository.get(session, caller.workspace_id, caller.is_test, media_id)
    if row is None:
        raise NotFound(f"Media {media_id} not found")
    return row


async def get(runtime: Runtime, caller: Caller, media_id: str) -> MediaUpload:
    return upload_view(runtime.settings, await _own(runtime, caller, media_id))


async def delete(runtime: Runtime, caller: Caller, media_id: str) -> None:
    async with runtime.db.transaction() as session:
        row = await repository.get(session, caller.workspace_id, caller.is_test, media_id)
        if row is None:
            raise NotFound(f"Media {media_id} not found")
        posts = await repository.referencing_posts(session, row, PENDING)
        if posts:
            raise Conflict(
                f"Media {media_id} is used by post(s) not yet published: {', '.join(posts)}", {"post_ids": posts}
            )
        await session.delete(row)
    storage.remove(runtime.settings.data_dir, media_id)


async def stored_file(runtime: Runtime, media_id: str) -> tuple[Upload, Path] | None:
    """The upload and its file, whoever asks (the signed public route has checked the signature)."""
    async with runtime.db.session() as session:
        row = await session.get(Upload, media_id)
    path = storage.stored_path(runtime.settings.data_dir, media_id)
    if row is None or not path.exists():
        return None
    return row, path


async def purge_unreferenced(runtime: Runtime, now: datetime) -> int:
    """Removes uploads older than the setting that no post references (any status), with their files."""
    cutoff = now - timedelta(days=runtime.settings.upload_unreferenced_days)
    removed = []
    async with runtime.db.transaction() as session:
        for row in await repository.older_than(session, cutoff, PURGE_BATCH):
            if not await repository.referencing_posts(session, row):
                await session.delete(row)
                removed.append(row.id)
    for media_id in removed:
        storage.remove(runtime.settings.data_dir, media_id)
    return len(removed)
