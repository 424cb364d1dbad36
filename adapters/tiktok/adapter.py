"""TikTokAdapter: a direct post through the Content Posting API, the publish id as the Pending handle.

Each post starts with creator_info (the creator's privacy options, whether comments/duets/stitches are off): the
chosen privacy level must be one of them (SELF_ONLY unless ``platform_options.tiktok.privacy_level`` says more),
and what the creator turned off stays off. A video is initialized with FILE_UPLOAD (then sent in chunks to the
upload URL: no post exists until the last one, so a lost answer before it is only Transient) or PULL_FROM_URL
(our public media URL; the init creates the post); photos only by pull (content/init). Then Pending with the publish
id: each later call fetches the status once — PUBLISH_COMPLETE gives the public post id (post_url), FAILED is
Rejected with TikTok's fail_reason, anything else Pending again. A lost answer to the last chunk is settled by
that same status; a lost answer to a pull's init (the post may exist, its publish id never came) is OutcomeUnknown:
never a second init. verify() reads the user (user/info: open_id) and creator_info, so both scopes are used.

A thread is folded into the caption (thread mode ``single``): the publisher folds, validation refuses what does
not fit in 2,200 characters. Access tokens last 2 hours and every refresh rotates the refresh token: the engine
refreshes them through the operator's app (octopost/oauth/refresh.py, a compare-and-swap), never the adapter, so
two workers refreshing at once cannot overwrite the newer refresh token with a dead one.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from typing import Any

from adapters.answers import non_empty_text
from adapters.base import (
    Adapter,
    AdapterContext,
    ClientAuth,
    MediaItem,
    MediaRejected,
    MediaRules,
    OAuthSpec,
    OutcomeUnknown,
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
from adapters.tiktok import upload
from adapters.tiktok.api import TikTokApi
from adapters.tiktok.errors import MEDIA_FAILURES
from adapters.tiktok.options import TikTokOptions
from adapters.validation import check_media_files

MAX_CAPTION = 2200  # video/init's post_info.title, in UTF-16 runes
CHECK_AFTER = 5.0  # seconds between status fetches (TikTok allows 30 a minute per token)
COMPLETE_WITHOUT_ID_POLLS = 12  # public posts get their id after moderation; past this, the profile link is given
_DONE, _FAILED = "PUBLISH_COMPLETE", "FAILED"


class TikTokAdapter(Adapter):
    info = PlatformInfo(
        platform=Platform.TIKTOK,
        display_name="TikTok",
        default_base_url="https://open.tiktokapis.com",
        text=TextRules(max_chars=MAX_CAPTION, counting=TextCounting.UTF16),
        media=MediaRules(
            # TikTok takes up to 35 photos; the adapter contract caps every platform at 10 for now.
            max_images=10,
            max_image_bytes=20 * upload.MB,
            image_types=frozenset({"image/jpeg", "image/webp"}),  # no PNG for photo posts
            max_videos=1,
            max_video_bytes=4 * 1024 * upload.MB,
            video_types=frozenset({"video/mp4", "video/quicktime", "video/webm"}),
            required=True,
        ),
        thread_mode=ThreadMode.SINGLE,
        folds_thread=True,
        credential_shapes=(frozenset({"access_token"}),),
        options=TikTokOptions,
        oauth=OAuthSpec(
            authorize_url="https://www.tiktok.com/v2/auth/authorize/",
            token_url="https://open.tiktokapis.com/v2/oauth/token/",
            revoke_url="https://open.tiktokapis.com/v2/oauth/revoke/",
            scopes=("user.info.basic", "video.publish"),
            scope_separator=",",
            client_id_param="client_key",  # TikTok names the app's id so, in the authorize URL and the token form
            client_auth=ClientAuth.POST,  # client_key and client_secret in the form; Basic is not read
            # The token answer names the user (open_id); refresh_expires_in is a lifetime, not kept as such.
            token_fields=("open_id",),
        ),
    )

    def __init__(self, context: AdapterContext) -> None:
        super().__init__(context)
        self._api = TikTokApi(self.http, self.base_url, self.credentials, timeout=context.request_timeout)
        self.chunk_bytes = upload.DEFAULT_CHUNK

    async def verify(self) -> Profile:
        """The user (user.info.basic: the open_id that names them to this app) and the creator they post as
        (video.publish: creator_info's username and privacy options): both scopes are proven at connect."""
        user = await self._user()
        creator = await self._creator()
        username = non_empty_text(creator.get("creator_username"))
        if username is None:
            raise Transient("TikTok answered creator_info without the creator's username")
        options = ", ".join(creator.get("privacy_level_options") or [])
        return Profile(
            platform_user_id=non_empty_text(user.get("open_id")) or self.credentials.get("open_id") or username,
            username=username,
            display_name=f"{creator.get('creator_nickname') or username} (may post as: {options}; an app TikTok "
            "has not audited posts only SELF_ONLY)",
            avatar_url=non_empty_text(creator.get("creator_avatar_url")),
        )

    async def publish(self, request: PublishRequest) -> PublishedRef | Pending:
        if request.pending is not None:
            return await self._status(_handle(request.pending))
        segment = request.segment
        check_media_files("TikTok", segment.media, self.info.media)
        options = request.options if isinstance(request.options, TikTokOptions) else TikTokOptions()
        creator = await self._creator()
        username = str(creator.get("creator_username") or "")
        post_info = self._post_info(segment.text, options, creator)
        videos = [m for m in segment.media if m.kind == "video"]
        images = [m for m in segment.media if m.kind == "image"]
        if len(videos) == 1 and not images:
            publish_id, kind = await self._video(videos[0], post_info, options, creator), "video"
        elif images and not videos:
            publish_id, kind = await self._photos(images, segment.text, post_info, options), "photo"
        else:
            raise MediaRejected("TikTok: a post is one video, or photos (1-35), never both and never neither")
        handle = json.dumps({"publish_id": publish_id, "username": username, "kind": kind, "polls": 0})
        return Pending(handle, check_after=CHECK_AFTER)

    # ---- the steps ------------------------------------------------------------------------------------

    async def _user(self) -> Mapping[str, Any]:
        data = await self._api.request(
            "GET", "/v2/user/info/", action="user info", params={"fields": "open_id,union_id,avatar_url,display_name"}
        )
        user = data.get("data", {}).get("user") if isinstance(data, Mapping) else None
        if not isinstance(user, Mapping):
            raise Transient("TikTok answered user info without the user")
        return user

    async def _creator(self) -> Mapping[str, Any]:
        data = await self._api.call("/v2/post/publish/creator_info/query/", {}, action="creator info")
        return data

    def _post_info(self, text: str, options: TikTokOptions, creator: Mapping[str, Any]) -> dict[str, Any]:
        privacy = options.privacy_level or "SELF_ONLY"
        offered = creator.get("privacy_level_options") or []
        if privacy not in offered:
            raise Rejected(
                f"TikTok: this account cannot post as {privacy}; it offers {', '.join(offered) or 'nothing'} "
                "(set platform_options.tiktok.privacy_level to one of them)"
            )
        info: dict[str, Any] = {
            "privacy_level": privacy,
            # What the creator turned off in the app stays off, whatever the options say.
            "disable_comment": options.disable_comment or creator.get("comment_disabled") is True,
            "is_aigc": options.is_aigc,
            "brand_content_toggle": options.brand_content_toggle,
            "brand_organic_toggle": options.brand_organic_toggle,
        }
        if len(text.encode("utf-16-le")) // 2 > MAX_CAPTION:
            raise Rejected(f"TikTok: the caption is over {MAX_CAPTION} characters")
        return info | {"title": text} if text else info

    async def _video(
        self, video: MediaItem, post_info: dict[str, Any], options: TikTokOptions, creator: Mapping[str, Any]
    ) -> str:
        info = post_info | {
            "disable_duet": options.disable_duet or creator.get("duet_disabled") is True,
            "disable_stitch": options.disable_stitch or creator.get("stitch_disabled") is True,
        }
        if options.video_cover_timestamp_ms is not None:
            info["video_cover_timestamp_ms"] = options.video_cover_timestamp_ms
        path = "/v2/post/publish/video/init/"
        if options.video_source == "PULL_FROM_URL":
            source = {"source": "PULL_FROM_URL", "video_url": _public(video, "the video")}
            data = await self._api.call(path, {"post_info": info, "source_info": source}, action="post", creates=True)
            return _publish_id(data)
        plan = upload.ChunkPlan.of(len(video.data), self.chunk_bytes)
        # Nothing is posted before the upload's last chunk: a lost init answer is only Transient.
        data = await self._api.call(path, {"post_info": info, "source_info": plan.source_info()}, action="upload")
        publish_id, url = _publish_id(data), non_empty_text(data.get("upload_url"))
        if url is None:
            raise Transient("TikTok answered video/init without an upload_url")
        # The last chunk's answer lost: the status of publish_id says whether TikTok took it all.
        with contextlib.suppress(OutcomeUnknown):
            await upload.send(self.http, url, video, plan, self._api.timeout)
        return publish_id

    async def _photos(
        self, images: list[MediaItem], text: str, post_info: dict[str, Any], options: TikTokOptions
    ) -> str:
        info = {k: v for k, v in post_info.items() if k != "title"} | {"auto_add_music": options.auto_add_music}
        if text:
            info["description"] = text
        if options.photo_title:
            info["title"] = options.photo_title
        source = {
            "source": "PULL_FROM_URL",
            "photo_cover_index": 0,
            "photo_images": [_public(item, f"image {n}") for n, item in enumerate(images, start=1)],
        }
        body = {"post_info": info, "source_info": source, "post_mode": "DIRECT_POST", "media_type": "PHOTO"}
        data = await self._api.call("/v2/post/publish/content/init/", body, action="photo post", creates=True)
        return _publish_id(data)

    async def _status(self, handle: dict[str, Any]) -> PublishedRef | Pending:
        publish_id = str(handle["publish_id"])
        data = await self._api.call("/v2/post/publish/status/fetch/", {"publish_id": publish_id}, action="status")
        status = data.get("status")
        if status == _FAILED:
            reason = str(data.get("fail_reason") or "unknown")
            cls = MediaRejected if reason in MEDIA_FAILURES else Rejected
            raise cls(f"TikTok could not publish the post ({reason})")
        if status != _DONE:
            return Pending(json.dumps(handle), check_after=CHECK_AFTER)
        ids = data.get("publicaly_available_post_id") or []  # sic: TikTok's spelling
        username = str(handle.get("username") or "")
        if ids:
            post_id = str(ids[0])
            return PublishedRef(id=post_id, url=f"https://www.tiktok.com/@{username}/{handle['kind']}/{post_id}")
        if int(handle.get("polls", 0)) < COMPLETE_WITHOUT_ID_POLLS:  # moderation may still hold the id back
            return Pending(json.dumps(handle | {"polls": int(handle.get("polls", 0)) + 1}), check_after=CHECK_AFTER)
        return PublishedRef(id=publish_id, url=f"https://www.tiktok.com/@{username}")


def _handle(pending: str) -> dict[str, Any]:
    try:
        handle = json.loads(pending)
    except ValueError:
        handle = None
    if not isinstance(handle, dict) or not isinstance(handle.get("publish_id"), str):
        raise Rejected("TikTok: the stored publish handle is unreadable")
    return handle


def _publish_id(data: Mapping[str, Any]) -> str:
    publish_id = non_empty_text(data.get("publish_id"))
    if publish_id is None:
        raise OutcomeUnknown("TikTok accepted the post but its answer carried no publish_id")
    return publish_id


def _public(item: MediaItem, what: str) -> str:
    if item.public_url is None:
        raise MediaRejected(
            f"TikTok fetches {what} itself and it has no public URL: set OCTOPOST_PUBLIC_URL so our media are "
            "served where TikTok can reach them (and verify that domain in the TikTok app)"
        )
    return item.public_url
