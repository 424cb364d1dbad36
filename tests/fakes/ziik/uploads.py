"""The upload flow: ``POST /api/upload`` hands out a presigned URL of the fake's storage, ``PUT /storage/{uuid}``
takes the bytes by S3's rules (the signed headers exactly, no ``Authorization`` beside the presigned query, S3's
XML errors), and ``POST /api/file/{id}/finalise`` puts the file on its content item."""

from __future__ import annotations

import hashlib
import hmac
import uuid

from tests.fakes.http import Request, Response
from tests.fakes.ziik.contents import Ticket
from tests.fakes.ziik.errors import error, s3_error
from tests.fakes.ziik.state import ZiikState
from tests.fakes.ziik.tokens import SECRET


def signature(upload_uuid: str) -> str:
    return hmac.new(SECRET, upload_uuid.encode(), hashlib.sha256).hexdigest()


class UploadRoutes(ZiikState):
    async def _initiate_upload(self, request: Request) -> Response:
        caller = self._caller(request)
        if isinstance(caller, Response):
            return caller
        body = request.json_object()
        if body is None or set(body) != {"id", "type", "content_type", "filename"}:
            return error(422, "validation_failed", "id, type, content_type and filename are required, nothing else")
        if body["type"] != "contents":
            return error(422, "validation_failed", f"the fake knows entity type 'contents' only, not {body['type']!r}")
        content_id, mime, filename = body["id"], body["content_type"], body["filename"]
        content = self._contents.get(content_id) if type(content_id) is int else None
        if content is None or content.deleted:
            return error(404, "not_found", "The specified content could not be found")
        if not isinstance(mime, str) or mime.count("/") != 1 or not isinstance(filename, str) or not filename:
            return error(422, "validation_failed", "content_type must be a MIME type and filename a name")
        if len(content.tickets) >= content.expected_files:
            return error(422, "validation_failed", f"the content announced {content.expected_files} files (fileCount)")
        ticket = Ticket(uuid.uuid4().hex, next(self._file_ids), content_id, "", mime, filename)
        ticket.key = f"contents/{content_id}/{ticket.uuid}/{filename}"
        content.tickets.append(ticket)
        self._tickets[ticket.uuid] = ticket
        host = request.headers.get("host", "127.0.0.1")
        url = f"http://{host}/storage/{ticket.uuid}?X-Amz-Expires=900&X-Amz-Signature={signature(ticket.uuid)}"
        answer = {
            "uuid": ticket.uuid,
            "key": ticket.key,
            "url": url,
            "file": ticket.file_id,
            "headers": {"x-amz-acl": ["private"], "Content-Type": mime},
        }
        return Response(201, answer)

    async def _store(self, request: Request) -> Response:
        ticket = self._tickets.get(request.param("_uuid") or "")
        if ticket is None:
            return s3_error(404, "NoSuchKey", "The specified key does not exist.")
        if "authorization" in request.headers:
            return s3_error(400, "InvalidArgument", "Only one auth mechanism allowed")
        if not hmac.compare_digest(request.param("X-Amz-Signature") or "", signature(ticket.uuid)):
            return s3_error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match")
        if request.headers.get("content-type") != ticket.mime or request.headers.get("x-amz-acl") != "private":
            return s3_error(403, "SignatureDoesNotMatch", "The signed headers were not sent as signed")
        if not request.body:
            return s3_error(400, "MissingContent", "The file is empty")
        ticket.data = request.body
        etag = hashlib.md5(request.body, usedforsecurity=False).hexdigest()  # S3's ETag of a single-part upload
        return Response(200, b"", {"etag": f'"{etag}"'})

    async def _finalise(self, request: Request) -> Response:
        caller = self._caller(request)
        if isinstance(caller, Response):
            return caller
        raw = request.param("_file_id") or ""
        ticket = next((t for t in self._tickets.values() if str(t.file_id) == raw), None)
        if ticket is None or self._contents[ticket.content_id].deleted:
            return error(404, "not_found", "The specified file could not be found")
        body = request.json_object()
        if body is None or set(body) != {"key"} or body["key"] != ticket.key:
            return error(422, "validation_failed", "key must be the validation key of the upload", {"key": ["invalid"]})
        if ticket.data is None:
            return error(422, "validation_failed", "The file has not been uploaded")
        if ticket.finalised:
            return error(422, "validation_failed", "The upload is already finalised")
        ticket.finalised = True
        return Response(204, b"")
