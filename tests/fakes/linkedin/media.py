"""The media half of the LinkedIn fake: ``/rest/images`` and ``/rest/videos`` (initializeUpload, finalizeUpload,
a video's status), the upload URLs they hand out (on the fake itself) and what a post's content may name."""

from __future__ import annotations

import hashlib
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from tests.fakes.http import Request, Response
from tests.fakes.linkedin.members import Member, failure, forbidden, unprocessable


@dataclass
class Settings:
    part_size: int = 4 * 1024 * 1024  # LinkedIn's video parts are 4 MiB
    processing_polls: int = 2  # status reads a video stays PROCESSING after finalizeUpload
    fail_processing: bool = False


@dataclass
class Upload:
    urn: str
    owner: str
    kind: str
    size: int = 0  # declared (videos)
    data: bytes = b""
    parts: dict[int, bytes] = field(default_factory=dict)
    etags: list[str] = field(default_factory=list)
    status: str = "WAITING_UPLOAD"
    polls_left: int = 0
    status_reads: int = 0


class MediaRoutes:
    """The upload calls; the fake holds ``uploads`` and ``settings`` (reset with the rest)."""

    settings: Settings
    uploads: dict[str, Upload]
    _ids: itertools.count[int]
    _member: Callable[[Request], tuple[Member | None, Response | None]]

    def _upload_url(self, request: Request, path: str) -> str:
        return f"http://{request.headers.get('host', '127.0.0.1')}{path}"

    async def _images(self, request: Request, member: Member) -> Response:
        if request.param("action") != "initializeUpload":
            return failure(400, "Unknown action", code="ILLEGAL_ARGUMENT")
        body = request.json_object() or {}
        owner = (body.get("initializeUploadRequest") or {}).get("owner")
        if not isinstance(owner, str):
            return unprocessable("/initializeUploadRequest/owner :: field is required but not found")
        if not member.may_act_as(owner):
            return forbidden("images.ACTION-initializeUpload")
        image_id = f"D4E{next(self._ids)}"
        self.uploads[image_id] = Upload(urn=f"urn:li:image:{image_id}", owner=owner, kind="image")
        value = {
            "uploadUrlExpiresAt": int(time.time() * 1000) + 3_600_000,
            "uploadUrl": self._upload_url(request, f"/upload/images/{image_id}"),
            "image": f"urn:li:image:{image_id}",
        }
        return Response(200, {"value": value})

    async def _put_image(self, request: Request) -> Response:
        upload = self.uploads.get(request.param("_id") or "")
        if upload is None or upload.kind != "image":
            return Response(404, b"")
        if self._member(request)[1] is not None:
            return Response(401, b"")
        if not request.body:
            return Response(400, b"")
        upload.data, upload.status = request.body, "AVAILABLE"
        return Response(201, b"")

    async def _videos(self, request: Request, member: Member) -> Response:
        body = request.json_object() or {}
        action = request.param("action")
        if action == "initializeUpload":
            return self._init_video(request, member, body.get("initializeUploadRequest") or {})
        if action == "finalizeUpload":
            return self._finalize_video(member, body.get("finalizeUploadRequest") or {})
        return failure(400, "Unknown action", code="ILLEGAL_ARGUMENT")

    def _init_video(self, request: Request, member: Member, init: dict[str, Any]) -> Response:
        owner, size = init.get("owner"), init.get("fileSizeBytes")
        if not isinstance(owner, str) or not isinstance(size, int) or size <= 0:
            return unprocessable("/initializeUploadRequest :: owner and fileSizeBytes are required")
        if not member.may_act_as(owner):
            return forbidden("videos.ACTION-initializeUpload")
        video_id = f"C5F{next(self._ids)}"
        urn = f"urn:li:video:{video_id}"
        self.uploads[video_id] = Upload(urn=urn, owner=owner, kind="video", size=size)
        step = self.settings.part_size
        instructions = [
            {
                "uploadUrl": self._upload_url(request, f"/upload/videos/{video_id}/{n}"),
                "firstByte": first,
                "lastByte": min(first + step, size) - 1,
            }
            for n, first in enumerate(range(0, size, step))
        ]
        value = {
            "uploadUrlsExpireAt": int(time.time() * 1000) + 3_600_000,
            "video": urn,
            "uploadInstructions": instructions,
            "uploadToken": "",
        }
        return Response(200, {"value": value})

    def _finalize_video(self, member: Member, finalize: dict[str, Any]) -> Response:
        urn = finalize.get("video")
        upload = self.uploads.get(str(urn).removeprefix("urn:li:video:"))
        if upload is None or upload.kind != "video":
            return failure(404, f"Video {urn} not found", code="NOT_FOUND")
        if not member.may_act_as(upload.owner):
            return forbidden("videos.ACTION-finalizeUpload")
        received = sum(map(len, upload.parts.values()))
        if received != upload.size or finalize.get("uploadedPartIds") != upload.etags:
            return failure(
                400, "Upload not complete or uploadedPartIds mismatch the uploaded parts", code="ILLEGAL_ARGUMENT"
            )
        upload.status, upload.polls_left = "PROCESSING", self.settings.processing_polls
        return Response(200, b"")

    async def _put_part(self, request: Request) -> Response:
        upload = self.uploads.get(request.param("_id") or "")
        part = int(request.param("_part") or -1)
        if upload is None or upload.kind != "video" or upload.status != "WAITING_UPLOAD":
            return Response(404, b"")
        step = self.settings.part_size
        expected = min((part + 1) * step, upload.size) - part * step
        if part < 0 or len(request.body) != expected:
            return Response(400, b"")
        upload.parts[part] = request.body
        etag = f"/ambry-video/signedId/{hashlib.sha256(request.body).hexdigest()[:24]}"
        while len(upload.etags) <= part:
            upload.etags.append("")
        upload.etags[part] = etag
        return Response(200, b"", {"etag": etag})

    async def _video_status(self, request: Request, member: Member) -> Response:
        urn = unquote(request.param("_urn") or "")
        upload = self.uploads.get(urn.removeprefix("urn:li:video:"))
        if upload is None or upload.kind != "video":
            return failure(404, f"Video {urn} not found", code="NOT_FOUND")
        if not member.may_act_as(upload.owner):
            return forbidden("videos.GET")
        upload.status_reads += 1
        if upload.status == "PROCESSING":
            if upload.polls_left > 0:
                upload.polls_left -= 1
            else:
                upload.status = "PROCESSING_FAILED" if self.settings.fail_processing else "AVAILABLE"
        return Response(
            200,
            {
                "id": urn,
                "owner": upload.owner,
                "status": upload.status,
                "aspectRatioWidth": 16.0,
                "aspectRatioHeight": 9.0,
            },
        )

    def finish_processing(self) -> None:
        """``POST /_fake/finish_processing``: every video LinkedIn is processing is done at its next status read."""
        for upload in self.uploads.values():
            upload.polls_left = 0

    def _media_problem(self, item: Any, author: str, where: str, kinds: tuple[str, ...]) -> Response | None:
        urn = item.get("id") if isinstance(item, dict) else None
        upload = next((u for u in self.uploads.values() if u.urn == urn), None)
        if upload is None or upload.kind not in kinds:
            return unprocessable(f"{where}/id :: {urn} is not a known media URN")
        if upload.owner != author:
            return unprocessable(f"{where}/id :: {urn} is owned by another entity than the author")
        if upload.status != "AVAILABLE":
            return unprocessable(f"{where}/id :: {urn} is not AVAILABLE (status {upload.status})")
        return None
