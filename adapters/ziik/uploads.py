"""A content item's files, by Ziik's upload flow (docs.ziik.io, "Upload file"), once per file:

1. ``POST /upload`` ``{"id": <content id>, "type": "contents", "content_type": <mime type>, "filename"}`` answers
   ``{"uuid", "key", "url", "headers", "file"}``: a presigned URL of Ziik's S3-compatible storage, the headers the
   upload must carry, and the new file's id;
2. ``PUT <url>`` with exactly those headers and the bytes, straight to the storage: the presigned URL is its only
   credential, so Ziik's Bearer token never goes there;
3. ``POST /file/<file>/finalise`` ``{"key"}`` answers 204: Ziik registers the file (and starts transcoding a video).

The content item was created announcing ``fileCount``; Ziik publishes it once the last file is in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from adapters.answers import non_empty_text
from adapters.base import MediaItem, MediaRejected, Transient
from adapters.http import Answer, ErrorTable, PlatformApi, path_segment
from adapters.ziik.api import ZiikApi, data_of

ENTITY_TYPE = "contents"  # Ziik's entity type of news, debates and events
_XML_FIELD = re.compile(r"<(Code|Message)>([^<]*)</\1>")


@dataclass(frozen=True)
class UploadTicket:
    """What ``POST /upload`` answers: where to put the bytes, with which headers, and how to finalise."""

    file_id: str
    key: str = field(repr=False)
    url: str = field(repr=False)  # presigned: it grants the upload, so it stays out of reprs and logs
    headers: Mapping[str, str] = field(repr=False)


class ZiikStorage(PlatformApi):
    """Ziik's S3-compatible file storage. Its failures are S3's XML (``<Error><Code>AccessDenied</Code>
    <Message>Request has expired</Message></Error>``); ``EntityTooLarge`` is the file, the rest are the statuses'."""

    name = "Ziik's file storage"
    errors: ClassVar[ErrorTable] = ErrorTable(codes={"EntityTooLarge": MediaRejected})

    def code_of(self, answer: Answer) -> Any:
        return _xml_fields(answer.text).get("Code")

    def message_of(self, answer: Answer) -> str:
        found = _xml_fields(answer.text)
        return " ".join(part for part in (found.get("Code"), found.get("Message")) if part)

    async def put(self, ticket: UploadTicket, data: bytes) -> None:
        """PUT is idempotent (the same object again): a lost answer is only Transient."""
        answer = await self.exchange("PUT", ticket.url, action="upload", headers=dict(ticket.headers), content=data)
        if not 200 <= answer.status < 300:
            raise self.error_for(answer, action="upload")


class Uploads:
    def __init__(self, api: ZiikApi, storage: ZiikStorage) -> None:
        self._api = api
        self._storage = storage

    async def attach(self, content_id: str, media: tuple[MediaItem, ...]) -> None:
        """Every file of ``media`` to the content item, in order."""
        for number, item in enumerate(media, start=1):
            ticket = await self._initiate(content_id, item, number)
            await self._storage.put(ticket, item.data)
            await self._api.no_content(
                "POST",
                f"/file/{path_segment(ticket.file_id)}/finalise",
                action="upload finalisation",
                json={"key": ticket.key},
            )

    async def _initiate(self, content_id: str, item: MediaItem, number: int) -> UploadTicket:
        body = {
            "id": int(content_id),
            "type": ENTITY_TYPE,
            "content_type": item.content_type,
            "filename": item.filename(number),
        }
        answer = data_of(await self._api.post("/upload", action="upload start", creates=True, json=body))
        file_id, key, url = answer.get("file"), non_empty_text(answer.get("key")), non_empty_text(answer.get("url"))
        if isinstance(file_id, bool) or not isinstance(file_id, int | str) or not str(file_id) or not key or not url:
            raise Transient("Ziik answered the upload start without its file id, key and URL")
        return UploadTicket(str(file_id), key, url, _headers(answer.get("headers")))


def _headers(given: Any) -> dict[str, str]:
    """The storage headers Ziik asks for; a value may come as a list (``"x-amz-acl": ["private"]``)."""
    if not isinstance(given, Mapping):
        return {}
    headers = {}
    for name, value in given.items():
        values = value if isinstance(value, list) else [value]
        texts = [str(v) for v in values if isinstance(v, str | int) and not isinstance(v, bool)]
        if isinstance(name, str) and texts:
            headers[name] = ", ".join(texts)
    return headers


def _xml_fields(text: str) -> dict[str, str]:
    return {name: value.strip() for name, value in _XML_FIELD.findall(text or "") if value.strip()}
