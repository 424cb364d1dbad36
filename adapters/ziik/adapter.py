"""ZiikAdapter: posts to Ziik, an employee-communication intranet, through its content API (httpx, no SDK).

A post becomes one content item (thread mode ``single``): a thread's segments are folded into its body as
paragraphs, their files attached to it. The item is created with ``POST /content`` announcing how many files follow
(``fileCount``) and a publish time, so Ziik holds it back until the last file is uploaded (adapters/ziik/uploads.py);
readers never see it half-made. A post's ``unpublish_at`` goes with it as ``publish.unpublish_on``: Ziik takes the
item down itself then (``native_unpublish``), and an unpublish asked for now deletes it (``delete``).

If an upload fails after the item was created, the item is deleted again (``DELETE /content/<id>``) so that the
publisher's retry starts clean; if even that fails, the target fails with a message naming the item, which stays
unpublished in Ziik waiting for its files. Ziik has no idempotency key and no way to find an item by one of ours:
a create whose answer was lost is in doubt (OutcomeUnknown), never sent again blindly.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from adapters.answers import non_empty_text
from adapters.base import (
    Adapter,
    AdapterContext,
    AdapterError,
    AuthExpired,
    MediaItem,
    MediaRules,
    OutcomeUnknown,
    Platform,
    PlatformInfo,
    PollRules,
    Profile,
    PublishedRef,
    PublishRequest,
    ReauthRequired,
    Rejected,
    ReplyPolicy,
    TextCounting,
    TextRules,
    ThreadMode,
    Transient,
)
from adapters.http import path_segment
from adapters.validation import check_media_files
from adapters.ziik.api import ZiikApi, data_of
from adapters.ziik.auth import ZiikSession
from adapters.ziik.content import MAX_BODY_CHARS, content_request
from adapters.ziik.options import MAX_TITLE_CHARS, ZiikOptions
from adapters.ziik.uploads import Uploads, ZiikStorage

_MIB = 1024 * 1024
_A_YEAR_IN_MINUTES = 366 * 24 * 60


class ZiikAdapter(Adapter):
    info = PlatformInfo(
        platform=Platform.ZIIK,
        display_name="Ziik",
        default_base_url="https://example.ziik.io/api",  # every tenant has its own: https://<tenant>.ziik.io/api
        # The text of the body (HTML once rendered): see adapters/ziik/content.py for why this many code points.
        text=TextRules(max_chars=MAX_BODY_CHARS, counting=TextCounting.CODEPOINTS),
        media=MediaRules(
            # Ziik documents no file limits: ours, conservative. Files carry no alt text on Ziik.
            max_images=10,
            max_image_bytes=20 * _MIB,
            image_types=frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"}),
            max_videos=1,
            max_video_bytes=200 * _MIB,
            video_types=frozenset({"video/mp4", "video/quicktime"}),
        ),
        thread_mode=ThreadMode.SINGLE,
        folds_thread=True,
        credential_shapes=(frozenset({"username", "password"}), frozenset({"token"})),
        # Ziik's poll: a question and choices, closing at close_at. Its limits are undocumented: the API's own four
        # options; 255 characters as for the title; no media beside a poll (not known to be allowed).
        polls=PollRules(
            max_options=4,
            max_option_chars=MAX_TITLE_CHARS,
            min_duration_minutes=1,
            max_duration_minutes=_A_YEAR_IN_MINUTES,
            max_question_chars=MAX_TITLE_CHARS,
        ),
        reply_policies=frozenset({ReplyPolicy.EVERYONE, ReplyPolicy.NOBODY}),  # comments open or closed
        options=ZiikOptions,
        native_unpublish=True,  # publish.unpublish_on: Ziik takes the post down itself
    )

    def __init__(self, context: AdapterContext) -> None:
        """``context.request_timeout`` per API call, ``context.media_timeout`` per file upload (None: the owner's)."""
        super().__init__(context)
        self._session: ZiikSession
        self._api = ZiikApi(
            self.http, self.base_url, token=lambda: self._session.token(), timeout=context.request_timeout
        )
        login_api = ZiikApi(self.http, self.base_url, token=lambda: None, timeout=context.request_timeout)
        self._session = ZiikSession(self._api, login_api, self.credentials)
        storage = ZiikStorage(self.http, self.base_url, timeout=context.media_timeout or context.request_timeout)
        self._uploads = Uploads(self._api, storage)

    async def verify(self) -> Profile:
        await self._session.ensure()
        try:
            body = await self._api.get("/users/current", action="profile")
        except AuthExpired as exc:
            if not self._session.can_log_in:
                raise ReauthRequired(
                    f"Ziik refused the token ({exc.message}); connect with a current token, or with the username "
                    "and password"
                ) from None
            await self._session.log_in()  # a stored token Ziik no longer takes: the password gives a new one
            body = await self._api.get("/users/current", action="profile")
        user = data_of(body)
        user_id = user.get("id")
        if isinstance(user_id, bool) or not isinstance(user_id, int | str) or not str(user_id):
            raise Transient("Ziik answered /users/current without the user's id")
        name = non_empty_text(user.get("name"))
        login = non_empty_text(user.get("email")) or self.credentials.get("username") or name or str(user_id)
        return Profile(platform_user_id=str(user_id), username=login, display_name=name, avatar_url=_avatar(user))

    async def publish(self, request: PublishRequest) -> PublishedRef:
        media = request.segment.media
        check_media_files(self.info.display_name, media, self.info.media)
        now = time.time()
        if request.unpublish_at is not None and request.unpublish_at.timestamp() <= now:
            raise Rejected(
                f"Ziik: the post was to be taken down at {request.unpublish_at.isoformat()}, which has passed; it is "
                "not published"
            )
        content = content_request(request, now=now)
        await self._session.ensure()
        created = data_of(await self._api.post("/content", action="post", creates=True, json=content))
        content_id = created.get("id")
        if isinstance(content_id, bool) or not isinstance(content_id, int | str) or not str(content_id):
            raise OutcomeUnknown("Ziik accepted the content but its answer carried no content id")
        content_id = str(content_id)
        if media:
            await self._attach(content_id, media)
        return PublishedRef(id=content_id, url=f"{self.base_url}/content/{path_segment(content_id)}")

    async def delete(self, ref: PublishedRef) -> None:
        """DeletesPost: ``DELETE /content/<id>`` (an unpublish asked for now; a time given with the post went as
        ``publish.unpublish_on``). 404 is already deleted; 403 (no permission to delete it) Rejected; 401 AuthExpired
        (the publisher renews the session and tries once more)."""
        await self._session.ensure()
        await self._api.delete("DELETE", f"/content/{path_segment(ref.id)}", action="delete")

    async def refresh(self) -> Mapping[str, str] | None:
        """RefreshesSession (after a 401): a renewed token, else one from the password; ReauthRequired when neither
        is possible. Returns the credentials to store."""
        await self._session.replace()
        return self.updated_credentials()

    def updated_credentials(self) -> Mapping[str, str] | None:
        """PersistsSession: the credentials with the new token once the session renewed or logged in."""
        token = self._session.token()
        if token is None or not self._session.changed():
            return None
        return {**self.credentials, "token": token}

    # ---- internals ------------------------------------------------------------------------------------

    async def _attach(self, content_id: str, media: tuple[MediaItem, ...]) -> None:
        try:
            await self._uploads.attach(content_id, media)
        except AdapterError as failure:
            raise await self._withdraw(content_id, failure) from failure

    async def _withdraw(self, content_id: str, failure: AdapterError) -> AdapterError:
        """The item waits, unpublished, for files that will not come: delete it, so that a retry starts clean.
        Returns what to raise: ``failure`` (a lost answer is no longer in doubt once the item is gone), or a
        Rejected naming the item when it could not be deleted (a retry would leave a second one)."""
        try:
            await self._api.no_content("DELETE", f"/content/{path_segment(content_id)}", action="clean-up")
        except AdapterError as exc:
            return Rejected(
                f"Ziik: uploading the files of content {content_id} failed ({failure.message}) and deleting the "
                f"unfinished item failed too ({exc.message}). It stays unpublished in Ziik, waiting for its files: "
                "delete it there and publish again"
            )
        if isinstance(failure, OutcomeUnknown):
            return Transient(f"{failure.message}; the unfinished content item was deleted, so it can be retried")
        return failure


def _avatar(user: Mapping[str, object]) -> str | None:
    avatar = user.get("avatar")
    if isinstance(avatar, Mapping):
        avatar = avatar.get("source")
    return avatar if isinstance(avatar, str) and avatar.startswith(("http://", "https://")) else None
