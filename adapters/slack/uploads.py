"""Files through Slack's external upload flow, in two halves so that nothing visible happens before the message:

1. ``prepare``: per file, ``files.getUploadURLExternal`` (filename, length in bytes, ``alt_txt`` for an image) →
   an ``upload_url`` and a ``file_id``; then the bytes are POSTed to that URL. Until it is completed an upload is
   private to the bot and is dropped by Slack, so a failure here (or a retry) leaves nothing behind to see.
2. ``share``: one ``files.completeUploadExternal`` with ``files=[{id, title}]`` into ``channel_id`` and
   ``thread_ts``: the files appear in the thread.

Slack takes alt text for images only (``alt_txt``, at most 1000 characters); a video's description has nowhere to go.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from adapters.answers import non_empty_text
from adapters.base import MediaItem, Transient
from adapters.slack.api import SlackApi


@dataclass(frozen=True)
class Upload:
    """A file whose bytes Slack holds, waiting to be completed: its id and the title it will show."""

    file_id: str
    title: str


async def prepare(api: SlackApi, media: tuple[MediaItem, ...]) -> list[Upload]:
    uploads = []
    for number, item in enumerate(media, start=1):
        filename = item.filename(number)
        arguments = {"filename": filename, "length": str(len(item.data))}
        if item.alt_text and item.kind == "image":
            arguments["alt_txt"] = item.alt_text
        action = f"upload of {item.kind} {number}"
        ticket = await api.write("files.getUploadURLExternal", action=action, creates=False, **arguments)
        url, file_id = non_empty_text(ticket.get("upload_url")), non_empty_text(ticket.get("file_id"))
        if url is None or file_id is None or not url.startswith(("https://", "http://")):
            raise Transient(f"Slack {action}: files.getUploadURLExternal answered without an upload_url and file_id")
        await api.upload(url, item.data, action=action)
        uploads.append(Upload(file_id, filename))
    return uploads


async def share(api: SlackApi, uploads: list[Upload], *, channel: str, thread_ts: str) -> None:
    files = json.dumps([{"id": upload.file_id, "title": upload.title} for upload in uploads])
    await api.write(
        "files.completeUploadExternal",
        action="sharing of the files",
        creates=True,
        files=files,
        channel_id=channel,
        thread_ts=thread_ts,
    )
