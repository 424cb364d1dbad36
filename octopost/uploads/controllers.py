"""HTTP routes: /v1/media (upload, read, delete) and the signed public route platforms fetch files from."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, delete, get, post
from litestar.response import File
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from octopost.errors import NotFound, error_responses
from octopost.keys.service import Caller
from octopost.public_operation import PublicOperation
from octopost.runtime import Runtime
from octopost.uploads import service
from octopost.uploads.body import boundary_of, file_field
from octopost.uploads.links import PUBLIC_PATH, signature_valid
from octopost.uploads.schemas import MediaUpload


async def any_body(_: Request[Any, Any, Any]) -> None:
    """Uploads take any body type (the app's default before_request insists on JSON)."""


class MediaController(Controller):
    path = "/v1/media"
    tags = ["media"]
    opt = {"scope": "media:read"}

    @post(
        "/",
        summary="Upload an image or a video (multipart field `file`, or the raw body); its type is sniffed",
        description="The type is read from the bytes (JPEG, PNG, GIF, WebP, MP4, MOV, WebM), never from a name or "
        "a declared Content-Type; sizes are capped per kind (OCTOPOST_UPLOAD_MAX_IMAGE_BYTES / _VIDEO_BYTES). "
        "The answer's `url` can be used wherever a post takes a media URL.",
        status_code=HTTP_201_CREATED,
        responses=error_responses(422),
        opt={"scope": "media:write"},
        before_request=any_body,
        request_max_body_size=None,  # the per-kind caps are enforced while the body streams to disk
    )
    async def upload(self, request: Request[Any, Any, Any], runtime: Runtime, caller: Caller) -> MediaUpload:
        declared = request.headers.get("content-type")
        boundary = boundary_of(declared or "")
        chunks = file_field(request.stream(), boundary) if boundary else request.stream()
        return await service.create(runtime, caller, chunks, declared)

    @get("/{media_id:str}", summary="One uploaded file's details", responses=error_responses(404))
    async def get_media(self, media_id: str, runtime: Runtime, caller: Caller) -> MediaUpload:
        return await service.get(runtime, caller, media_id)

    @delete(
        "/{media_id:str}",
        summary="Delete an upload (refused while a draft or scheduled post uses it)",
        status_code=HTTP_204_NO_CONTENT,
        responses=error_responses(404, 409),
        opt={"scope": "media:write"},
    )
    async def delete_media(self, media_id: str, runtime: Runtime, caller: Caller) -> None:
        await service.delete(runtime, caller, media_id)


@get(
    f"{PUBLIC_PATH}/{{media_id:str}}",
    summary="An uploaded file, for platforms that fetch media themselves (signed, expiring URL; no API key)",
    tags=["media"],
    operation_class=PublicOperation,
    responses={code: spec for code, spec in error_responses(404).items() if code in (400, 404)},
    media_type="application/octet-stream",
)
async def public_media(media_id: str, expires: str, signature: str, runtime: Runtime) -> Response[Any]:
    # Anything malformed is as unknown as a forged link: 404, nothing said about why.
    valid = expires.isdigit() and signature_valid(runtime.settings, media_id, int(expires), signature)
    found = await service.stored_file(runtime, media_id) if valid else None
    if found is None:
        raise NotFound("No such media, or the link expired")
    row, path = found
    return File(
        path=path,
        filename=f"{row.id}.{row.extension}",
        media_type=row.content_type,
        content_disposition_type="inline",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=300"},
    )
