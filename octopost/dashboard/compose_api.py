"""The Compose page's script endpoints: the live check of the draft and the image upload.

``POST /app/api/validate`` takes the form's fields as JSON and answers what ``POST /v1/posts/validate`` answers for
the create body those fields make (the same reader as submitting), plus each problem's input. ``POST /app/api/media``
takes a file's bytes as ``POST /v1/media`` does and stores it through the same upload service.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, post

from octopost.dashboard.compose_form import ComposeInput, fields_of, problems_by_field
from octopost.errors import BadRequest
from octopost.keys.service import Caller
from octopost.posts import preview
from octopost.runtime import Runtime
from octopost.uploads import service as uploads
from octopost.uploads.controllers import any_body
from octopost.uploads.schemas import MediaUpload


@post("/api/validate", status_code=200, opt={"scope": "posts:read"})
async def validate_draft(data: dict[str, Any], runtime: Runtime, caller: Caller) -> dict[str, Any]:
    typed = ComposeInput.read(fields_of(data))
    body, own = typed.create_body()
    checked = msgspec.to_builtins(await preview.preview_body(runtime, caller, body))
    checked["problems"] = [*own, *checked["problems"]]
    checked["valid"] = checked["valid"] and not own
    every = [*checked["problems"], *(p for found in checked["platforms"].values() for p in found["problems"])]
    checked["fields"] = problems_by_field(every, typed.versions)
    return dict(checked)


@post(
    "/api/media",
    status_code=201,
    opt={"scope": "media:write"},
    before_request=any_body,  # the bytes of the file, of its own type
    request_max_body_size=None,  # the upload service caps each kind while the body streams to disk
)
async def upload_media(request: Request[Any, Any, Any], runtime: Runtime, caller: Caller) -> MediaUpload:
    declared = request.headers.get("content-type")
    if declared and declared.startswith(("multipart/", "application/x-www-form-urlencoded")):
        raise BadRequest("Send the file's bytes as the body (the page's script does)")
    return await uploads.create(runtime, caller, request.stream(), declared)


COMPOSE_API = [validate_draft, upload_media]
