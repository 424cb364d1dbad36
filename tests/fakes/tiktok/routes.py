"""``FakeTikTok``: the Content Posting API as the adapter uses it, strict to TikTok's docs: creator_info, video/init
(FILE_UPLOAD with its chunk rules, PULL_FROM_URL fetched for real), the upload URL (byte-exact chunks in order, 206
then 201), content/init for photos (pulled), status/fetch moving over N polls to PUBLISH_COMPLETE (the post created
once, then) or FAILED, and user/info. Tokens: its own ``act.`` ones, or the trusted OAuth peer's (the scopes each call
needs checked: the token endpoint is the peer's)."""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import asdict
from typing import Any

import httpx

from tests.fakes.core import Created, FakePlatform, Route
from tests.fakes.http import Request, Reset, Response
from tests.fakes.tiktok.envelope import (
    BASIC_USER_FIELDS,
    PEER_OPEN_ID,
    PHOTO_POST_INFO,
    POST_SCOPE,
    PRIVACY_LEVELS,
    USER_SCOPE,
    VIDEO_POST_INFO,
    Creator,
    Publish,
    chunk_problems,
    creator_for,
    envelope,
    fail,
    utf16_length,
)

API = "/v2/post/publish"
_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+)")
PEER_CREATOR = "octopost.peer"  # the creator the OAuth peer's tokens post as


class FakeTikTok(FakePlatform):
    write_paths = (f"{API}/video/init", f"{API}/content/init", "/upload")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._ids = itertools.count(1)
        self.on_reset()

    def on_reset(self) -> None:
        self.publishes: dict[str, Publish] = {}
        self.creator_settings: dict[str, Any] = {
            "privacy_level_options": list(PRIVACY_LEVELS),
            "comment_disabled": False,
            "duet_disabled": False,
            "stitch_disabled": False,
            "max_video_post_duration_sec": 600,
        }
        self.processing: dict[str, Any] = {"polls": 2, "fail_reason": None}
        self.next_error: dict[str, Any] | None = None  # {"path", "code", "status"}
        self.audited = True  # False: the OAuth peer's client is an app TikTok has not audited (SELF_ONLY only)
        self._hashers: dict[str, Any] = {}  # publish id -> SHA-256 of the chunks received so far

    def routes(self) -> dict[tuple[str, str], Route]:
        return {
            ("POST", f"{API}/creator_info/query"): self._creator_info,
            ("POST", f"{API}/video/init"): self._video_init,
            ("POST", f"{API}/content/init"): self._content_init,
            ("POST", f"{API}/status/fetch"): self._status,
            ("PUT", "/upload"): self._upload,
            ("GET", "/v2/user/info"): self._user_info,
        }

    def control(self, request: Request) -> Response:
        body = request.json() if request.method == "PUT" else None
        if request.path == "/_fake/creator" and request.method == "PUT":
            self.creator_settings.update(body or {})
            return Response(200, self.creator_settings)
        if request.path == "/_fake/processing" and request.method == "PUT":
            self.processing.update(body or {})
            return Response(200, self.processing)
        if request.path == "/_fake/processing/finish" and request.method == "POST":
            # TikTok is done processing: every publish still waiting completes at its next status fetch.
            for publish in self.publishes.values():
                if publish.polls_left > 0:  # -1: its upload is not complete yet, nothing to finish
                    publish.polls_left = 0
            return Response(200, {})
        if request.path == "/_fake/app" and request.method == "PUT":
            self.audited = bool((body or {}).get("audited", True))
            return Response(200, {"audited": self.audited})
        if request.path == "/_fake/next_error" and request.method == "GET":  # {} once it has happened
            return Response(200, self.next_error or {})
        if request.path == "/_fake/next_error" and request.method == "PUT":
            self.next_error = body
            return Response(200, {})
        if request.path == "/_fake/publishes" and request.method == "GET":
            return Response(200, [asdict(p) for p in self.publishes.values()])
        return super().control(request)

    async def _answer(self, request: Request) -> Response:
        planned = self.next_error
        if planned and request.path.rstrip("/") == planned.get("path", "").rstrip("/"):
            if planned["code"] == "reset_after":  # applied, but the answer never reaches the client
                if request.path.startswith("/upload") and not self._is_last_chunk(request):
                    return await super()._answer(request)
                self.next_error = None
                await super()._answer(request)
                raise Reset
            self.next_error = None
            return fail(planned["code"], planned.get("message", "injected by the fake"), planned.get("status"))
        return await super()._answer(request)

    def _is_last_chunk(self, request: Request) -> bool:
        publish = self.publishes.get(request.param("upload_id") or "")
        return publish is not None and publish.chunks + 1 == publish.plan.get("total_chunk_count")

    # ---- checks -------------------------------------------------------------------------------------------

    def _caller(self, request: Request, scope: str = POST_SCOPE, *, body: bool = True) -> Creator | Response:
        """Who calls: a token of the fake's own, or a live one of the trusted OAuth peer that carries ``scope``."""
        token = request.bearer()
        creator = creator_for(token)
        granted = self.oauth_scopes(token)
        if creator is None and granted is not None:
            if scope not in granted:
                return fail("scope_not_authorized", f"The user did not authorize the scope required ({scope}).")
            creator = Creator(PEER_CREATOR, PEER_OPEN_ID, unaudited=not self.audited)
        if creator is None:
            return fail("access_token_invalid", "The access token is invalid or not found in the request.")
        if body and not request.headers.get("content-type", "").startswith("application/json"):
            return fail("invalid_param", "Content-Type must be application/json; charset=UTF-8")
        return creator

    def _privacy_refusal(self, creator: Creator, info: dict[str, Any], allowed: set[str]) -> Response | None:
        unknown = set(info) - allowed
        if unknown:
            return fail("invalid_param", f"unknown post_info fields: {sorted(unknown)}")
        privacy = info.get("privacy_level")
        if privacy not in self.creator_settings["privacy_level_options"]:
            return fail("privacy_level_option_mismatch", f"privacy_level {privacy!r} is not one the creator offers")
        if creator.unaudited and privacy != "SELF_ONLY":
            return fail(
                "unaudited_client_can_only_post_to_private_accounts",
                "Unaudited clients can only post to a private account",
            )
        for setting, flag in (("comment", "disable_comment"), ("duet", "disable_duet"), ("stitch", "disable_stitch")):
            if self.creator_settings[f"{setting}_disabled"] and flag in allowed and info.get(flag) is not True:
                return fail("invalid_param", f"the creator has turned {setting}s off: {flag} must be true")
        return None

    def _new(self, creator: Creator, kind: str, text: str, info: dict[str, Any], status: str) -> Publish:
        number = next(self._ids)
        prefix = "v_pub_file" if kind == "video" else "p_pub_url"
        publish = Publish(
            f"{prefix}~v2-1.{7300000000000000000 + number}",
            creator.username,
            kind,
            text,
            info,
            status,
            int(self.processing["polls"]),
        )
        publish.upload_token = Publish.token_of(publish.id)
        self.publishes[publish.id] = publish
        return publish

    # ---- the routes -------------------------------------------------------------------------------------

    async def _user_info(self, request: Request) -> Response:
        creator = self._caller(request, USER_SCOPE, body=False)
        if isinstance(creator, Response):
            return creator
        fields = [f for f in (request.param("fields") or "").split(",") if f]
        if not fields:
            return fail("invalid_param", "fields is required")
        beyond = sorted(set(fields) - BASIC_USER_FIELDS)
        if beyond:
            return fail("scope_not_authorized", f"fields {beyond} need user.info.profile or user.info.stats")
        user = {
            "open_id": creator.open_id,
            "union_id": f"union-{creator.open_id}",
            "avatar_url": "https://p16.tiktokcdn.com/fake.jpeg",
            "avatar_url_100": "https://p16.tiktokcdn.com/fake-100.jpeg",
            "avatar_large_url": "https://p16.tiktokcdn.com/fake-large.jpeg",
            "display_name": "Octopost Fake",
        }
        return envelope({"user": {name: user[name] for name in fields}})

    async def _creator_info(self, request: Request) -> Response:
        creator = self._caller(request)
        if isinstance(creator, Response):
            return creator
        data = {
            "creator_avatar_url": "https://p16.tiktokcdn.com/fake.jpeg",
            "creator_username": creator.username,
            "creator_nickname": "Octopost Fake",
            **self.creator_settings,
        }
        return envelope(data)

    async def _video_init(self, request: Request) -> Response:
        creator = self._caller(request)
        if isinstance(creator, Response):
            return creator
        body = request.json_object() or {}
        info, source = body.get("post_info") or {}, body.get("source_info") or {}
        refused = self._privacy_refusal(creator, info, VIDEO_POST_INFO)
        if refused is not None:
            return refused
        if utf16_length(str(info.get("title", ""))) > 2200:
            return fail("invalid_param", "post_info.title is over 2200 UTF-16 runes")
        if source.get("source") == "FILE_UPLOAD":
            problems = chunk_problems(source)
            if problems or set(source) != {"source", "video_size", "chunk_size", "total_chunk_count"}:
                return fail("invalid_param", "; ".join(problems) or "source_info has fields FILE_UPLOAD does not take")
            publish = self._new(creator, "video", str(info.get("title", "")), info, "PROCESSING_UPLOAD")
            publish.plan = {k: source[k] for k in ("video_size", "chunk_size", "total_chunk_count")}
            publish.polls_left = -1  # nothing moves before the upload is complete
            url = f"http://{request.headers['host']}/upload/?upload_id={publish.id}&upload_token={publish.upload_token}"
            return envelope({"publish_id": publish.id, "upload_url": url})
        if source.get("source") == "PULL_FROM_URL" and isinstance(source.get("video_url"), str):
            publish = self._new(creator, "video", str(info.get("title", "")), info, "PROCESSING_DOWNLOAD")
            await self._pull(publish, [source["video_url"]], "video_pull_failed", "video/")
            return envelope({"publish_id": publish.id})
        return fail("invalid_param", "source_info.source must be FILE_UPLOAD or PULL_FROM_URL (with video_url)")

    async def _content_init(self, request: Request) -> Response:
        creator = self._caller(request)
        if isinstance(creator, Response):
            return creator
        body = request.json_object() or {}
        info, source = body.get("post_info") or {}, body.get("source_info") or {}
        if body.get("media_type") != "PHOTO" or body.get("post_mode") not in ("DIRECT_POST", "MEDIA_UPLOAD"):
            return fail("invalid_param", "media_type must be PHOTO and post_mode DIRECT_POST or MEDIA_UPLOAD")
        refused = self._privacy_refusal(creator, info, PHOTO_POST_INFO)
        if refused is not None:
            return refused
        images = source.get("photo_images")
        problems = []
        if source.get("source") != "PULL_FROM_URL":
            problems.append("photos are only taken by PULL_FROM_URL")
        if not isinstance(images, list) or not 1 <= len(images) <= 35:
            problems.append("photo_images: 1 to 35 URLs")
        elif not 0 <= int(source.get("photo_cover_index", -1)) < len(images):
            problems.append("photo_cover_index must index photo_images")
        if utf16_length(str(info.get("title", ""))) > 90 or utf16_length(str(info.get("description", ""))) > 4000:
            problems.append("post_info.title is at most 90 runes, description at most 4000")
        if problems:
            return fail("invalid_param", "; ".join(problems))
        assert isinstance(images, list)
        publish = self._new(creator, "photo", str(info.get("description", "")), info, "PROCESSING_DOWNLOAD")
        await self._pull(publish, images, "photo_pull_failed", "image/")
        return envelope({"publish_id": publish.id})

    async def _pull(self, publish: Publish, urls: list[str], reason: str, kind: str) -> None:
        """TikTok fetches the files itself: one it cannot fetch (or not of the kind) fails the publish, one whose
        bytes are not the format it says fails the format check. What it took is kept (``sha256``)."""
        async with httpx.AsyncClient(timeout=10) as client:
            for url in urls:
                try:
                    response = await client.get(url)
                except httpx.HTTPError:
                    publish.status, publish.fail_reason = "FAILED", reason
                    return
                if response.status_code != 200 or not response.headers.get("content-type", "").startswith(kind):
                    publish.status, publish.fail_reason = "FAILED", reason
                    return
                if not _looks_like(response.content, kind):
                    publish.status, publish.fail_reason = "FAILED", "file_format_check_failed"
                    return
                publish.received += len(response.content)
                publish.sha256.append(hashlib.sha256(response.content).hexdigest())

    async def _upload(self, request: Request) -> Response:
        publish = self.publishes.get(request.param("upload_id") or "")
        if publish is None or request.param("upload_token") != publish.upload_token or not publish.plan:
            return Response(404, {"error": "unknown upload"})
        declared = _RANGE.fullmatch(request.headers.get("content-range", ""))
        plan = publish.plan
        if declared is None or not request.headers.get("content-type", "").startswith("video/"):
            return Response(400, {"error": "Content-Range bytes a-b/total and a video Content-Type are required"})
        first, last, total = (int(g) for g in declared.groups())
        final = publish.chunks + 1 == plan["total_chunk_count"]
        expected = plan["video_size"] - publish.received if final else plan["chunk_size"]
        if (
            total != plan["video_size"]
            or first != publish.received
            or len(request.body) != last - first + 1
            or len(request.body) != expected
        ):
            return Response(400, {"error": f"expected bytes {publish.received}-{publish.received + expected - 1}"})
        publish.received += len(request.body)
        publish.chunks += 1
        hasher = self._hashers.setdefault(publish.id, hashlib.sha256())
        hasher.update(request.body)
        publish.sha256 = [hasher.hexdigest()]
        if not final:
            return Response(206, b"", {"content-type": "text/plain"})
        publish.polls_left = int(self.processing["polls"])
        return Response(201, b"", {"content-type": "text/plain"})

    async def _status(self, request: Request) -> Response:
        creator = self._caller(request)
        if isinstance(creator, Response):
            return creator
        publish = self.publishes.get(str((request.json_object() or {}).get("publish_id")))
        if publish is None or publish.creator != creator.username:
            return fail("invalid_param", "publish_id not found")
        if publish.status not in ("FAILED", "PUBLISH_COMPLETE") and publish.polls_left >= 0:
            if publish.polls_left == 0:
                self._complete(publish)
            else:
                publish.polls_left -= 1
        data: dict[str, Any] = {"status": publish.status}
        if publish.plan:
            data["uploaded_bytes"] = publish.received
        else:
            data["downloaded_bytes"] = publish.received
        if publish.fail_reason:
            data["fail_reason"] = publish.fail_reason
        if publish.post_id is not None:
            data["publicaly_available_post_id"] = [publish.post_id]  # sic: TikTok's spelling
        return envelope(data)

    def _complete(self, publish: Publish) -> None:
        if self.processing.get("fail_reason"):
            publish.status, publish.fail_reason = "FAILED", str(self.processing["fail_reason"])
            return
        publish.status = "PUBLISH_COMPLETE"
        publish.post_id = 7_400_000_000_000_000_000 + len(self.created) + 1
        self.record(Created(str(publish.post_id), publish.creator, publish.text, None, None, 0.0))


def _looks_like(data: bytes, kind: str) -> bool:
    """The file's first bytes: an MP4/MOV (an ``ftyp`` box first), a JPEG or a WebP."""
    if kind == "video/":
        return data[4:8] == b"ftyp"
    return data.startswith(b"\xff\xd8\xff") or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")
