"""An upload row as the API shows it."""

from __future__ import annotations

from octopost.settings import Settings
from octopost.timefmt import iso
from octopost.uploads.links import media_url
from octopost.uploads.schemas import MediaUpload
from octopost.uploads.tables import Upload


def upload_view(settings: Settings, row: Upload) -> MediaUpload:
    return MediaUpload(
        id=row.id,
        url=media_url(settings, row.id, row.extension),
        content_type=row.content_type,
        size=row.size,
        width=row.width,
        height=row.height,
        duration_seconds=row.duration_seconds,
        created_at=iso(row.created_at) or "",
    )
