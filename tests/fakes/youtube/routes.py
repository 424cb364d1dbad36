"""``FakeYouTube``: the Data API v3 methods the adapter calls and the resumable upload protocol, byte-exact.

Every call's query parameters and JSON body are checked against Google's discovery document (discovery.py), then
against YouTube's own rules: a title of 1-100 characters, a description of at most 5,000 bytes, neither with ``<``
or ``>`` (invalidTitle / invalidDescription), a known category, the upload's declared length and type. Chunks must
continue exactly where the session stands, be multiples of 256 KiB but the last, and add up to the declared size.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import asdict
from typing import Any

from tests.fakes.core import Created, FakePlatform, Route
from tests.fakes.http import Request, Reset, Response
from tests.fakes.youtube import discovery
from tests.fakes.youtube.channel import (
    CHUNK_QUANTUM,
    PEER_CHANNEL,
    Account,
    Comment,
    UploadSession,
    Video,
    account_for,
    google_error,
)
from tests.fakes.youtube.comments import CommentRoutes

VIDEOS = "/upload/youtube/v3/videos"
THUMBNAILS = "/upload/youtube/v3/thumbnails/set"
DATA = "/youtube/v3"
CATEGORIES = frozenset({"1", "2", "10", "15", "17", "19", "20", "22", "23", "24", "25", "26", "27", "28"})
MAX_THUMBNAIL = 2 * 1024 * 1024
_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+)")
_STATUS = re.compile(r"bytes \*/(\d+)")


class FakeYouTube(CommentRoutes, FakePlatform):
    write_paths = (VIDEOS, "/youtube/v3/comment", THUMBNAILS)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._ids = itertools.count(1)
        self.on_reset()

    def on_reset(self) -> None:
        self.sessions: dict[str, UploadSession] = {}
        self.videos: dict[str, Video] = {}
        self.comments: dict[str, Comment] = {}
        self.quota_reason: str | None = None  # PUT /_fake/quota: every call answers 403 with it
        self.interrupt: dict[str, Any] | None = None  # PUT /_fake/interrupt {"chunk": k, "fault": ...}
        self.chunks_seen = 0

    def routes(self) -> dict[tuple[str, str], Route]:
        return {
            ("POST", VIDEOS): self._start_upload,
            ("PUT", VIDEOS): self._put_bytes,
            ("POST", THUMBNAILS): self._set_thumbnail,
            ("GET", f"{DATA}/channels"): self._channels,
            ("POST", f"{DATA}/commentThreads"): self._insert_thread,
            ("GET", f"{DATA}/commentThreads"): self._list_threads,
            ("POST", f"{DATA}/comments"): self._insert_comment,
            ("DELETE", f"{DATA}/videos"): self._delete_video,
            ("DELETE", f"{DATA}/comments"): self._delete_comment,
        }

    def control(self, request: Request) -> Response:
        if request.path == "/_fake/quota" and request.method == "PUT":
            self.quota_reason = (request.json() or {}).get("reason")
            return Response(200, {})
        if request.path == "/_fake/interrupt" and request.method == "PUT":
            self.interrupt, self.chunks_seen = request.json(), 0
            return Response(200, {})
        if request.path == "/_fake/expire_sessions" and request.method == "POST":
            for session in self.sessions.values():
                session.expired = session.video_id is None
            return Response(200, {})
        views = {
            "/_fake/videos": lambda: [
                {**v.as_json(), "size": v.size, "thumbnail": v.thumbnail} for v in self.videos.values()
            ],
            "/_fake/comments": lambda: [asdict(c) for c in self.comments.values()],
            "/_fake/sessions": lambda: [
                {"id": s.id, "size": s.size, "received": len(s.received), "starts": s.starts, "video_id": s.video_id}
                for s in self.sessions.values()
            ],
        }
        if request.method == "GET" and request.path in views:
            return Response(200, views[request.path]())
        return super().control(request)

    # ---- the checks every call goes through -----------------------------------------------------------

    def _caller(self, request: Request, resource: str, method: str, *, scope: str | None = None) -> Account | Response:
        token = request.bearer()
        granted = self.oauth_scopes(token)
        # A live token of the OAuth peer is the peer's channel with the scopes granted: it needs one of those Google
        # lists for the method, so a test through it proves the scopes Octopost asks for are enough.
        account = account_for(token) if granted is None else Account(str(token), PEER_CHANNEL, granted)
        if account is None:
            return google_error(401, "authError", "Request had invalid authentication credentials.", "global")
        if self.quota_reason:
            return google_error(
                403,
                self.quota_reason,
                "The request cannot be completed because you have exceeded your quota.",
                "youtube.quota",
            )
        needed = discovery.scopes(resource, method) if granted is not None else frozenset([scope] if scope else [])
        if needed and not needed & account.scopes:
            return google_error(
                403, "insufficientPermissions", "Request had insufficient authentication scopes.", "global"
            )
        problems = discovery.query_problems(resource, method, request.query)
        if request.headers.get("content-type", "").startswith("application/json"):
            problems += discovery.body_problems(resource, method, request.json())
        if problems:
            return google_error(400, "invalid", "; ".join(problems), "global")
        return account

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):0>9}"

    # ---- the upload ---------------------------------------------------------------------------------------

    async def _start_upload(self, request: Request) -> Response:
        account = self._caller(request, "videos", "insert")
        if isinstance(account, Response):
            return account
        if request.param("uploadType") != "resumable":
            return google_error(400, "badRequest", "uploadType must be resumable for this fake", "global")
        body = request.json_object() or {}
        parts = set((request.param("part") or "").split(","))
        problems = [f"part {p!r} is not one videos.insert writes" for p in parts - {"snippet", "status"}]
        problems += [f"body.{key} is not in part" for key in body if key not in parts]
        if problems:
            return google_error(400, "unexpectedPart", "; ".join(problems))
        refused = _metadata_refusal(body)
        if refused is not None:
            return refused
        size, kind = request.headers.get("x-upload-content-length"), request.headers.get("x-upload-content-type", "")
        if size is None or not size.isdigit() or int(size) == 0 or not kind.startswith("video/"):
            return google_error(
                400,
                "mediaBodyRequired",
                "X-Upload-Content-Length and a video/* X-Upload-Content-Type are required",
                "global",
            )
        session = UploadSession(self._new_id("up"), account.channel_id, body, int(size), kind)
        self.sessions[session.id] = session
        location = f"http://{request.headers['host']}{VIDEOS}?uploadType=resumable&upload_id={session.id}"
        return Response(200, b"", {"location": location, "content-type": "text/plain"})

    async def _put_bytes(self, request: Request) -> Response:
        session = self.sessions.get(request.param("upload_id") or "")
        if session is None or session.expired:
            return google_error(404, "notFound", "The upload session was not found or has expired.", "global")
        declared = request.headers.get("content-range", "")
        status = _STATUS.fullmatch(declared)
        if status is not None and not request.body:
            if int(status.group(1)) != session.size:
                return google_error(400, "badRequest", "the total does not match the declared length", "global")
            return self._progress(session)
        chunk = _RANGE.fullmatch(declared)
        if chunk is None:
            return google_error(400, "badRequest", f"Content-Range {declared!r} is not bytes a-b/total", "global")
        first, last, total = (int(g) for g in chunk.groups())
        problems = []
        if total != session.size:
            problems.append(f"total {total} is not the declared {session.size}")
        if first != len(session.received):
            problems.append(f"the chunk starts at {first}; the upload stands at {len(session.received)}")
        if len(request.body) != last - first + 1:
            problems.append(f"{len(request.body)} bytes sent for a range of {last - first + 1}")
        if last + 1 < total and len(request.body) % CHUNK_QUANTUM:
            problems.append("a chunk before the last must be a multiple of 256 KiB")
        if session.video_id is not None:
            problems.append("the upload is complete")
        if problems:
            return google_error(400, "badRequest", "; ".join(problems), "global")
        session.starts.append(first)
        return self._take(session, request.body)

    def _take(self, session: UploadSession, data: bytes) -> Response:
        self.chunks_seen += 1
        plan = self.interrupt if self.interrupt and self.interrupt.get("chunk") == self.chunks_seen else None
        fault = plan.get("fault") if plan else None
        if fault == "reset":
            raise Reset
        if fault == "503":
            return google_error(503, "backendError", "Backend Error", "global")
        if fault in ("partial", "partial_reset"):  # the server kept only the first quantum of it
            data = data[:CHUNK_QUANTUM]
        if fault == "partial_reset":  # ...and the connection dropped before it could answer
            session.received.extend(data)
            raise Reset
        session.received.extend(data)
        if len(session.received) == session.size and session.video_id is None:
            video = Video(self._new_id("vid"), session.account, session.resource, session.size)
            session.video_id = video.id
            self.videos[video.id] = video
            title = str(session.resource.get("snippet", {}).get("title", ""))
            self.record(Created(video.id, session.account, title, None, None, 0.0))
        answer = self._progress(session)
        if fault == "reset_after":
            raise Reset
        return answer

    def _progress(self, session: UploadSession) -> Response:
        if session.video_id is not None:
            return Response(200, self.videos[session.video_id].as_json())
        headers = {"range": f"bytes=0-{len(session.received) - 1}"} if session.received else {}
        return Response(308, b"", {**headers, "content-type": "text/plain"})

    async def _set_thumbnail(self, request: Request) -> Response:
        account = self._caller(request, "thumbnails", "set")
        if isinstance(account, Response):
            return account
        video = self.videos.get(request.param("videoId") or "")
        if video is None or video.account != account.channel_id:
            return google_error(404, "videoNotFound", "The video that you are trying to update cannot be found.")
        if request.headers.get("content-type") not in ("image/jpeg", "image/png") or not request.body:
            return google_error(400, "mediaBodyRequired", "The request does not include the image content.")
        if len(request.body) > MAX_THUMBNAIL:
            return google_error(400, "invalidImage", "The provided image content is invalid.")
        video.thumbnail = len(request.body)
        return Response(200, {"kind": "youtube#thumbnailSetResponse", "items": [{"default": {"url": "x"}}]})

    async def _delete_video(self, request: Request) -> Response:
        account = self._caller(request, "videos", "delete")
        if isinstance(account, Response):
            return account
        video = self.videos.get(request.param("id") or "")
        if video is None or video.account != account.channel_id:
            return google_error(404, "videoNotFound", "The video that you are trying to delete cannot be found.")
        del self.videos[video.id]
        return Response(204, b"")


def _metadata_refusal(body: dict[str, Any]) -> Response | None:
    snippet = body.get("snippet") or {}
    title, description = snippet.get("title") or "", snippet.get("description") or ""
    if not title.strip() or len(title) > 100 or "<" in title or ">" in title:
        return google_error(400, "invalidTitle", "The request metadata specifies an invalid or empty video title.")
    if len(description.encode()) > 5000 or "<" in description or ">" in description:
        return google_error(400, "invalidDescription", "The request metadata specifies an invalid video description.")
    if "categoryId" in snippet and snippet["categoryId"] not in CATEGORIES:
        return google_error(
            400, "invalidCategoryId", "The snippet.categoryId property specifies an invalid category ID."
        )
    if "privacyStatus" not in (body.get("status") or {}):
        return google_error(400, "invalidVideoMetadata", "this fake wants status.privacyStatus said")
    return None
