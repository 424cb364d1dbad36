"""YouTubeAdapter: a video through the Data API v3's resumable upload (httpx, no Google client library), the
thread as comments on it.

The main post is a video: the first call starts an upload session with the metadata (metadata.py) and answers
Pending with the session as the handle, so a crash from there on resumes the same upload instead of starting a second
one. The next call asks the server how far it got (``bytes */TOTAL``), sends the rest in chunks and gets the video
back from the last one; an interrupted chunk answers Pending with the same handle (the next call resumes from the
server's ``Range``), a lost answer to the last chunk is settled by the same status query (no second video), and an
expired session starts a new one. A thumbnail (the segment's image) is set once the video exists; if that fails for
a while, the handle names the video and only the thumbnail is tried again.

Later segments are comments (comments.py). Quota errors are rate limits until midnight Pacific (errors.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from adapters.answers import non_empty_text
from adapters.base import (
    Adapter,
    AdapterContext,
    AdapterError,
    MediaItem,
    MediaRejected,
    MediaRules,
    OAuthSpec,
    Pending,
    Platform,
    PlatformInfo,
    Profile,
    PublishedRef,
    PublishRequest,
    Rejected,
    TextCounting,
    TextRules,
    ThreadMode,
    Transient,
)
from adapters.validation import check_media_files
from adapters.youtube import comments
from adapters.youtube.api import DATA, UPLOAD, YouTubeApi
from adapters.youtube.metadata import MAX_DESCRIPTION_BYTES, YouTubeOptions, problems, video_resource
from adapters.youtube.upload import Expired, Interrupted, ResumableUpload, Session, session_of

RETRY_UPLOAD_AFTER = 5.0  # seconds before an interrupted upload asks where the server stands
RETRY_THUMBNAIL_AFTER = 60.0
MAX_THUMBNAIL_BYTES = 2 * 1024 * 1024  # thumbnails.set: 2 MB, JPEG or PNG
MAX_VIDEO_BYTES = 256 * 1024**3  # videos.insert's maxSize
VIDEO_TYPES = frozenset(
    {
        "video/mp4",
        "video/quicktime",
        "video/webm",
        "video/x-msvideo",
        "video/x-matroska",
        "video/x-flv",
        "video/3gpp",
        "video/x-ms-wmv",
        "video/mpeg",
    }
)


def watch_url(video_id: str) -> str:
    return f"https://www.youtube.com/watch?v={video_id}"


class YouTubeAdapter(Adapter):
    info = PlatformInfo(
        platform=Platform.YOUTUBE,
        display_name="YouTube",
        default_base_url="https://www.googleapis.com",
        # The text is the video's description (its first line the title, unless options give one) and each
        # comment's text: the description's 5,000 bytes bound both.
        text=TextRules(max_chars=MAX_DESCRIPTION_BYTES, counting=TextCounting.CODEPOINTS, max_bytes=5000),
        media=MediaRules(
            max_images=1,  # the thumbnail
            max_image_bytes=MAX_THUMBNAIL_BYTES,
            image_types=frozenset({"image/jpeg", "image/png"}),
            max_videos=1,
            max_video_bytes=MAX_VIDEO_BYTES,
            video_types=VIDEO_TYPES,
            images_with_video=True,
            required=True,
            in_replies=False,  # comments are text
        ),
        thread_mode=ThreadMode.COMMENT_ON_MAIN,
        credential_shapes=(frozenset({"access_token"}),),
        options=YouTubeOptions,
        oauth=OAuthSpec(
            authorize_url="https://accounts.google.com/o/oauth2/v2/auth",
            token_url="https://oauth2.googleapis.com/token",
            revoke_url="https://oauth2.googleapis.com/revoke",
            scopes=(
                "https://www.googleapis.com/auth/youtube.upload",
                "https://www.googleapis.com/auth/youtube.force-ssl",  # comments (and deleting)
            ),
            # A refresh token is only given with offline access, and again on a reconnect only with consent.
            authorize_params=(("access_type", "offline"), ("prompt", "consent")),
        ),
    )

    def __init__(self, context: AdapterContext) -> None:
        super().__init__(context)
        self._api = YouTubeApi(self.http, self.base_url, self.credentials, timeout=context.request_timeout)
        self.uploads = ResumableUpload(self._api)
        self._channel_id: str | None = self.credentials.get("channel_id") or None

    async def verify(self) -> Profile:
        page = await self._api.request(
            "GET", f"{DATA}/channels", action="channel check", params={"part": "snippet", "mine": "true"}
        )
        items = page.get("items") if isinstance(page, Mapping) else None
        if not items:
            raise Rejected("YouTube: this Google account has no YouTube channel; create one, then connect again")
        channel = items[0]
        snippet = channel.get("snippet") or {}
        self._channel_id = str(channel["id"])
        title = non_empty_text(snippet.get("title"))
        thumbnail = ((snippet.get("thumbnails") or {}).get("default") or {}).get("url")
        return Profile(
            platform_user_id=self._channel_id,
            username=non_empty_text(snippet.get("customUrl")) or self._channel_id,
            display_name=title,
            avatar_url=non_empty_text(thumbnail),
        )

    def updated_credentials(self) -> Mapping[str, str] | None:
        """PersistsSession: the channel id once verify learned it (replies find their parent comment by it)."""
        return self.with_learned(channel_id=self._channel_id)

    async def publish(self, request: PublishRequest) -> PublishedRef | Pending:
        if not request.is_main:
            return await self._comment(request)
        handle = _decoded(request.pending)
        video, thumbnail = _media(request.segment.media)
        check_media_files("YouTube", request.segment.media, self.info.media)
        if handle.get("step") == "thumbnail":
            return await self._finish(str(handle["video"]), thumbnail)
        if handle.get("step") == "upload":
            return await self._continue(session_of(handle), request, video, thumbnail)
        return Pending((await self._start(request, video)).handle(), check_after=0.0)

    async def delete(self, ref: PublishedRef) -> None:
        """DeletesPost: a comment (its URL names it with ``lc=``) or the video; what is gone already is fine."""
        kind = "comments" if "&lc=" in ref.url else "videos"
        answer = await self._api.exchange("DELETE", f"{DATA}/{kind}", action="delete", params={"id": ref.id})
        if answer.status == 404 or 200 <= answer.status < 300:
            return
        raise self._api.error_for(answer, action="delete")

    # ---- the video ------------------------------------------------------------------------------------

    async def _start(self, request: PublishRequest, video: MediaItem) -> Session:
        options = request.options if isinstance(request.options, YouTubeOptions) else None
        refused = problems(request.segment.text, options)
        if refused:
            raise Rejected("YouTube: " + "; ".join(refused))
        return await self.uploads.start(video, video_resource(request.segment.text, options))

    async def _continue(
        self, session: Session, request: PublishRequest, video: MediaItem, thumbnail: MediaItem | None
    ) -> PublishedRef | Pending:
        if session.size != len(video.data):  # the file changed since the session started: a new upload of it
            return Pending((await self._start(request, video)).handle(), check_after=0.0)
        try:
            progress = await self.uploads.offset(session)
            resource = progress if not isinstance(progress, int) else await self.uploads.send(session, video, progress)
        except Interrupted:
            return Pending(session.handle(), check_after=RETRY_UPLOAD_AFTER)
        except Expired:
            return Pending((await self._start(request, video)).handle(), check_after=0.0)
        video_id = non_empty_text(resource.get("id"))
        if video_id is None:
            raise Transient("YouTube finished the upload but its answer carried no video id")
        return await self._finish(video_id, thumbnail)

    async def _finish(self, video_id: str, thumbnail: MediaItem | None) -> PublishedRef | Pending:
        if thumbnail is not None:
            try:
                await self._api.request(
                    "POST",
                    f"{UPLOAD}/thumbnails/set",
                    action="thumbnail",
                    params={"videoId": video_id, "uploadType": "media"},
                    content=thumbnail.data,
                    headers={"Content-Type": thumbnail.content_type},
                )
            except Rejected:
                pass  # the video is published; a channel without custom thumbnails keeps YouTube's own
            except AdapterError:
                handle = json.dumps({"step": "thumbnail", "video": video_id})
                return Pending(handle, check_after=RETRY_THUMBNAIL_AFTER)
        return PublishedRef(id=video_id, url=watch_url(video_id))

    # ---- the comments ---------------------------------------------------------------------------------

    async def _comment(self, request: PublishRequest) -> PublishedRef:
        if request.root is None:
            raise Rejected("YouTube: a comment needs the video it goes under")
        video_id, text = request.root.id, request.segment.text
        if request.segment.index == 1:
            return await comments.top_comment(self._api, video_id, text)
        parent = await comments.first_thread(self._api, video_id, await self._channel())
        return await comments.reply(self._api, video_id, parent, text)

    async def _channel(self) -> str:
        if self._channel_id is None:
            await self.verify()
        assert self._channel_id is not None
        return self._channel_id


def _decoded(pending: str | None) -> dict[str, Any]:
    if pending is None:
        return {}
    try:
        handle = json.loads(pending)
    except ValueError:
        handle = None
    if not isinstance(handle, dict):  # never guessed at: a second upload could duplicate a finished one
        raise Rejected("YouTube: the stored upload handle is unreadable; check the channel, then retry the post")
    return handle


def _media(media: tuple[MediaItem, ...]) -> tuple[MediaItem, MediaItem | None]:
    videos = [item for item in media if item.kind == "video"]
    images = [item for item in media if item.kind == "image"]
    if len(videos) != 1 or len(images) > 1:
        raise MediaRejected(
            f"YouTube: a post is one video (and at most one image, its thumbnail); this one has {len(videos)} "
            f"video(s) and {len(images)} image(s)"
        )
    return videos[0], images[0] if images else None
