"""FacebookAdapter: a Facebook Page's posts through the Graph API, as the Page (with the Page's own token).

Connecting through OAuth (FinishesConnect, connect.py) trades the code exchange's short-lived user token for a
long-lived one, takes the Page (``fields.page_id``, or the only Page the user may post on) and keeps only that Page's
token, which does not expire. Credentials given by hand hold the user's token and ``page_id`` (verify() finds the
Page among the user's, ``/me/accounts``, and learns its token and name) or a Page token and its ``page_id``; a
stored Page token is always what posts.

A main post is ``POST /{page}/feed`` (``message``; photos uploaded unpublished first and named in
``attached_media``). A video is uploaded to ``POST /{page}/videos`` (it becomes the Page's post once processed):
publish answers Pending with ``{"video": id}`` and, called again with that handle, asks the video's status until it
is ``ready`` (``error``: MediaRejected). Later segments are comments on the main post (``/{post}/comments``).
``post_url`` is Graph's ``permalink_url``.

Graph has no idempotency key. A post whose answer was lost is OutcomeUnknown; ``find_published`` (FindsDelivery)
reads the Page's feed (or the main post's comments) for it. A retry answered 506 (duplicate post) means the first
one landed: it is looked up the same way and returned, never refused.
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
    ClientAuth,
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
)
from adapters.facebook import connect, delivery, media
from adapters.facebook.api import GraphApi
from adapters.facebook.errors import DUPLICATE_POST, MISSING_OBJECT_SUBCODE, UNSUPPORTED_REQUEST, graph_error
from adapters.facebook.pages import Page, managed_page
from adapters.http import path_segment
from adapters.validation import check_media_files

_MB = 1024 * 1024
MAX_PHOTOS = 10
VIDEO_CHECK_SECONDS = 20.0
WEB = "https://www.facebook.com"
_USER_TOKEN_KEYS = ("access_token", "expires_at")  # the code exchange's, dropped once the Page token is in hand


class FacebookAdapter(Adapter):
    info = PlatformInfo(
        platform=Platform.FACEBOOK,
        display_name="Facebook Pages",
        default_base_url="https://graph.facebook.com/v21.0",
        text=TextRules(max_chars=63206, counting=TextCounting.CODEPOINTS),
        media=MediaRules(
            max_images=MAX_PHOTOS,
            max_image_bytes=4 * _MB,  # Page photos: under 4 MB
            image_types=frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"}),
            max_videos=1,
            max_video_bytes=1024 * _MB,  # a single-request (non-resumable) video upload
            video_types=frozenset({"video/mp4", "video/quicktime"}),
            images_with_video=False,
            max_attachments=MAX_PHOTOS,
            in_replies=False,  # comments carry text here
        ),
        thread_mode=ThreadMode.COMMENT_ON_MAIN,
        # The user's token and the Page chosen at connect (verify learns the Page token), or a Page token already.
        credential_shapes=(frozenset({"access_token", "page_id"}), frozenset({"page_access_token", "page_id"})),
        idempotent_publish=False,
        oauth=OAuthSpec(
            authorize_url="https://www.facebook.com/v21.0/dialog/oauth",
            token_url="https://graph.facebook.com/v21.0/oauth/access_token",
            # Listing the Pages, posting as one, and reading its feed back (permalinks, a lost post found again).
            scopes=("pages_show_list", "pages_manage_posts", "pages_read_engagement"),
            scope_separator=",",
            # Graph's /oauth/access_token takes the app's id and secret as parameters, not HTTP Basic.
            client_auth=ClientAuth.POST,
            # The Page to post as, when the user manages several (connect.py).
            connect_fields=("page_id",),
        ),
    )

    def __init__(self, context: AdapterContext) -> None:
        super().__init__(context)
        self.page_id = self.credentials.get("page_id", "").strip()
        timeout = context.request_timeout
        self._user = GraphApi(self.http, self.base_url, self.credentials.get("access_token", ""), timeout=timeout)
        page_token = self.credentials.get("page_access_token")
        self._page: GraphApi | None = (
            GraphApi(self.http, self.base_url, page_token, timeout=timeout) if page_token else None
        )
        self._learned: dict[str, str] = {}
        self._forget_user_token = False  # set by finish_connect: the account keeps the Page token only
        # Graph takes video uploads on its own host.
        self._video_base = self.base_url.replace("://graph.facebook.com", "://graph-video.facebook.com", 1)

    async def finish_connect(self) -> None:
        """FinishesConnect: the long-lived user token, the Page, and that Page's token (connect.py).

        What the account keeps: ``page_id``, ``page_access_token`` (it does not expire when taken with a long-lived
        user token) and ``page_name``. The user's tokens (the short-lived one from the code exchange and the
        long-lived one) are not kept: the Page token is all posting needs, and a user token is the wider key (every
        Page of the user, for 60 days). updated_credentials() leaves them out (the connect keeps exactly what it
        reports), and their ``expires_at`` with them (the Page token has none).
        """
        timeout = self.context.request_timeout
        app_api = GraphApi(self.http, self.base_url, "", timeout=timeout)
        user_token = await connect.long_lived_user_token(
            app_api, self.context.app, self.credentials.get("access_token", "")
        )
        page = await connect.chosen_page(GraphApi(self.http, self.base_url, user_token, timeout=timeout), self.page_id)
        self._use(page)
        self._learned["page_id"] = page.id
        self._forget_user_token = True

    async def verify(self) -> Profile:
        if self._page is None and self.credentials.get("access_token"):
            page = await managed_page(self._user, self.page_id)
            self._use(page)
            return Profile(platform_user_id=page.id, username=page.name, display_name=page.name)
        api = await self._page_api()
        answer = await api.read(f"/{path_segment(self.page_id)}", action="Page check", fields="id,name")
        name = non_empty_text(answer.get("name")) or self.page_id
        return Profile(platform_user_id=self.page_id, username=name, display_name=name)

    async def publish(self, request: PublishRequest) -> PublishedRef | Pending:
        api = await self._page_api()
        segment = request.segment
        if not request.is_main:
            return await self._comment(api, request)
        check_media_files("Facebook", segment.media, self.info.media)
        if request.pending is not None:
            return await self._after_processing(api, request)
        videos = [item for item in segment.media if item.kind == "video"]
        if videos:
            video = await media.upload_video(api, self._video_base, self.page_id, videos[0], segment.text)
            return Pending(json.dumps({"video": video}), VIDEO_CHECK_SECONDS)
        photos = [await media.upload_photo(api, self.page_id, item, n) for n, item in enumerate(segment.media, 1)]
        if not segment.text.strip() and not photos:
            raise Rejected("Facebook: a Page post needs text or photos")
        data = {"message": segment.text}
        data.update({f"attached_media[{i}]": json.dumps({"media_fbid": p}) for i, p in enumerate(photos)})
        return await self._create(api, f"/{path_segment(self.page_id)}/feed", data, request, what="post")

    async def find_published(self, request: PublishRequest) -> PublishedRef | None:
        """FindsDelivery: the segment in the Page's recent feed (a comment among the main post's), by its text."""
        api = await self._page_api()
        main = request.root or request.parent
        if request.is_main or main is None:
            found = await delivery.post_with_text(api, self.page_id, request.segment.text)
        else:
            found = await delivery.comment_with_text(api, self.page_id, main.id, request.segment.text)
        if found is None:
            return None
        item_id, permalink = found
        return PublishedRef(id=item_id, url=_absolute(permalink) or f"{WEB}/{item_id}")

    async def delete(self, ref: PublishedRef) -> None:
        """DeletesPost: ``DELETE /{id}`` (a post, a video, a comment); one already gone (code 100, subcode 33)
        counts as deleted."""
        api = await self._page_api()
        answer = await api.exchange("DELETE", f"/{path_segment(ref.id)}", action="deletion")
        if 200 <= answer.status < 300:
            return
        error = graph_error(answer.body)
        if error.get("code") == UNSUPPORTED_REQUEST and error.get("error_subcode") == MISSING_OBJECT_SUBCODE:
            return
        raise api.error_for(answer, action="deletion")

    def updated_credentials(self) -> Mapping[str, str] | None:
        """PersistsSession: the Page's token and name once verify() or finish_connect() found them among the user's
        Pages (after a connect: without the user's token, see finish_connect)."""
        learned = self.with_learned(**self._learned)
        if learned is not None and self._forget_user_token:
            return {key: value for key, value in learned.items() if key not in _USER_TOKEN_KEYS}
        return learned

    # ---- internals ------------------------------------------------------------------------------------

    def _use(self, page: Page) -> None:
        self.page_id = page.id
        self._page = GraphApi(self.http, self.base_url, page.token, timeout=self.context.request_timeout)
        self._learned.update({"page_access_token": page.token, "page_name": page.name})

    async def _page_api(self) -> GraphApi:
        if self._page is None:
            await self.verify()
        assert self._page is not None  # verify() sets it or raises
        return self._page

    async def _after_processing(self, api: GraphApi, request: PublishRequest) -> PublishedRef | Pending:
        video = _video_of(request.pending or "")
        state, permalink, reason = await media.video_state(api, video)
        if state in media.FAILED:
            raise MediaRejected(f"Facebook could not process the video ({state}: {reason})")
        if state != media.READY:
            return Pending(request.pending or "", VIDEO_CHECK_SECONDS)
        return PublishedRef(id=video, url=_absolute(permalink) or f"{WEB}/{path_segment(self.page_id)}/videos/{video}")

    async def _comment(self, api: GraphApi, request: PublishRequest) -> PublishedRef:
        main = request.root or request.parent
        if main is None:
            raise Rejected("Facebook: a comment needs the Page post it belongs to")
        if request.segment.media:
            raise Rejected("Facebook: comments carry text only here; put the media on the main post")
        if not request.segment.text.strip():
            raise Rejected("Facebook: a comment needs text")
        path = f"/{path_segment(main.id)}/comments"
        return await self._create(api, path, {"message": request.segment.text}, request, what="comment")

    async def _create(
        self, api: GraphApi, path: str, data: dict[str, str], request: PublishRequest, *, what: str
    ) -> PublishedRef:
        answer = await api.exchange("POST", path, action=what, creates=True, data=data)
        if not 200 <= answer.status < 300:
            if graph_error(answer.body).get("code") == DUPLICATE_POST:
                return await self._the_first_one(request, what)
            raise api.error_for(answer, action=what)
        item_id = non_empty_text(str(answer.body.get("id") or "")) if isinstance(answer.body, Mapping) else None
        if item_id is None:
            raise OutcomeUnknown(f"Facebook accepted the {what} but its answer carried no id")
        return PublishedRef(id=item_id, url=await self._permalink(api, item_id, request))

    async def _the_first_one(self, request: PublishRequest, what: str) -> PublishedRef:
        found = await self.find_published(request)
        if found is None:
            raise Rejected(
                f"Facebook refused the {what} as a duplicate (506) and no {what} with the same text is in the Page's "
                "recent feed; change its text to post it again"
            )
        return found

    async def _permalink(self, api: GraphApi, item_id: str, request: PublishRequest) -> str:
        try:
            answer = await api.read(f"/{path_segment(item_id)}", action="permalink lookup", fields="permalink_url")
        except AdapterError:  # posted: a link built from the id rather than a repost
            main = request.root or request.parent
            return main.url if main is not None and not request.is_main else f"{WEB}/{item_id}"
        return _absolute(non_empty_text(answer.get("permalink_url"))) or f"{WEB}/{item_id}"


def _absolute(permalink: str | None) -> str | None:
    """Graph gives videos a site-relative permalink ("/page/videos/1/")."""
    if permalink is None:
        return None
    return f"{WEB}{permalink}" if permalink.startswith("/") else permalink


def _video_of(handle: str) -> str:
    try:
        value: Any = json.loads(handle)
    except ValueError:
        value = None
    video = value.get("video") if isinstance(value, dict) else None
    if not isinstance(video, str) or not video:
        raise Rejected(f"Facebook: the pending handle {handle!r} names no video")
    return video
