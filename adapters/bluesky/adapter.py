"""BlueskyAdapter: atproto's AsyncClient against the account's PDS or entryway (``base_url``, always).

Sessions are reused: ``credentials["session"]`` (the SDK's exported session string) resumes without a
password login, and ``updated_credentials()`` hands back a newer one to persist. Each post's record key is
the request's idempotency key, so a resumed worker can look up what it already sent (``find_published``)
and sending the same segment twice cannot create a second post.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Self, TypeVar

import httpx
from atproto_client import AsyncClient, models
from atproto_client.client.session import Session
from atproto_client.exceptions import BadRequestError
from atproto_client.models.blob_ref import BlobRef
from atproto_client.request import AsyncRequest, RequestBase
from atproto_core.exceptions import AtProtocolError
from pydantic import ValidationError

from adapters.base import (
    Adapter,
    AdapterContext,
    MediaItem,
    MediaRules,
    Platform,
    PlatformInfo,
    Profile,
    PublishedRef,
    PublishRequest,
    ReauthRequired,
    Rejected,
    ReplyPolicy,
    TextCounting,
    TextRules,
    ThreadMode,
)
from adapters.bluesky.errors import SDK_ERRORS, classify, session_rejected
from adapters.bluesky.facets import build_facets, mention_handles
from adapters.bluesky.gates import needs_gate
from adapters.bluesky.options import NO_OPTIONS, BlueskyOptions
from adapters.bluesky.records import POST, create_post, delete_post, get_record, now, put_gate
from adapters.validation import check_media_files

_IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"})
_PROFILE = "app.bsky.actor.profile"

T = TypeVar("T")
_Call = Callable[[AsyncClient], Awaitable[T]]


class BlueskyAdapter(Adapter):
    info = PlatformInfo(
        platform=Platform.BLUESKY,
        display_name="Bluesky",
        default_base_url="https://bsky.social",
        text=TextRules(max_chars=300, counting=TextCounting.GRAPHEMES, max_bytes=3000),
        media=MediaRules(
            max_images=4,
            max_image_bytes=1_000_000,
            image_types=_IMAGE_TYPES,
            max_videos=1,
            max_video_bytes=100_000_000,
            video_types=frozenset({"video/mp4"}),
            alt_text_max_chars=2000,
        ),
        thread_mode=ThreadMode.NATIVE_REPLY,
        credential_shapes=(frozenset({"identifier", "password"}),),
        polls=None,  # Bluesky has no polls: validation refuses a post with one
        # Threadgates (gates.py): followerRule, followingRule, mentionRule, or an empty allow list for nobody.
        reply_policies=frozenset(ReplyPolicy),
        options=BlueskyOptions,
    )

    def __init__(self, context: AdapterContext) -> None:
        super().__init__(context)
        self._client: AsyncClient | None = None
        self._resumed = False  # the session came from credentials["session"], not from a password login

    # ---- the contract ------------------------------------------------------------------------------

    async def verify(self) -> Profile:
        # getSession needs a valid token (a resumed session is only checked here) and has the current handle.
        me = await self._call(lambda c: c.com.atproto.server.get_session())
        profile = await self._call(lambda c: get_record(c, me.did, _PROFILE, "self"))
        display_name = avatar_url = None
        if profile is not None and isinstance(profile.value, models.AppBskyActorProfile.Record):
            display_name = profile.value.display_name or None
            if profile.value.avatar is not None:
                pds = self._session().pds_endpoint or self.base_url
                avatar_url = (
                    f"{pds.removesuffix('/xrpc').rstrip('/')}/xrpc/com.atproto.sync.getBlob"
                    f"?did={me.did}&cid={profile.value.avatar.cid}"
                )
        return Profile(platform_user_id=me.did, username=me.handle, display_name=display_name, avatar_url=avatar_url)

    async def publish(self, request: PublishRequest) -> PublishedRef:
        segment = request.segment
        _check_media(segment.media, self.info.media)
        await self._ready()
        did = self._session().did
        options = request.options if isinstance(request.options, BlueskyOptions) else NO_OPTIONS

        dids = {handle: await self._resolve(handle) for handle in mention_handles(segment.text)}
        embed = await self._embed(segment.media)
        try:
            record = models.AppBskyFeedPost.Record(
                text=segment.text,
                created_at=now(),
                facets=build_facets(segment.text, dids) or None,
                reply=_reply_ref(request),
                embed=embed,
                langs=list(options.langs) if options.langs else None,
            )
        except ValidationError as exc:  # the SDK's models check a few lexicon limits (text ≤ 3000) before sending
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise Rejected(f"Bluesky: the post breaks the app.bsky.feed.post schema: {where}: {first['msg']}") from exc
        gate = _gate_of(request)
        key = request.idempotency_key
        uri, cid = await self._call(lambda c: create_post(c, did, key, record, gate), may_have_applied=True)
        return self._ref(uri, cid)

    async def find_published(self, request: PublishRequest) -> PublishedRef | None:
        """FindsDelivery: the post created with this idempotency key as its record key, if any. The gate of a gated
        main post is put again (publish writes both in one commit, but a post found without its gate must not stay
        open to everyone; putting it under the same key cannot make a second one)."""
        await self._ready()
        did, key = self._session().did, request.idempotency_key
        found = await self._call(lambda c: get_record(c, did, POST, key))
        if found is None:
            return None
        gate = _gate_of(request)
        if gate is not None:
            await self._call(lambda c: put_gate(c, did, key, gate, found.uri))
        return self._ref(found.uri, found.cid)

    async def delete(self, ref: PublishedRef) -> None:
        """DeletesPost: the segment's record (and a main post's threadgate), in this account's repository only."""
        await self._ready()
        did = self._session().did
        uri = ref.uri or ref.id
        parts = uri.removeprefix("at://").split("/")
        if len(parts) != 3 or parts[1] != POST:
            raise Rejected(f"Bluesky: {uri!r} is not a post's at:// URI")
        if parts[0] != did:
            raise Rejected(f"Bluesky: {uri} is not in this account's repository ({did}); it cannot be deleted here")
        await self._call(lambda c: delete_post(c, did, parts[2]))

    async def refresh(self) -> Mapping[str, str] | None:
        """RefreshesSession: new tokens from the refresh token, else a password login."""
        logged_in_now = self._client is None and not _usable_session(self.credentials.get("session") or "")
        client = await self._ready()
        if logged_in_now:
            return self.updated_credentials()  # _ready() just logged in with the password: nothing older to refresh
        try:
            # The SDK's own refresh path (rotates both tokens, keeps the PDS endpoint); atproto is pinned.
            await client._refresh_and_set_session()
        except SDK_ERRORS as exc:
            if not session_rejected(exc):
                raise classify(exc) from exc
            await self._password_login(client)
        return self.updated_credentials()

    def updated_credentials(self) -> Mapping[str, str] | None:
        """PersistsSession: the credentials with the current session string when it differs from the stored one."""
        if self._client is None:
            return None
        current = self._client.export_session_string()
        if current == self.credentials.get("session"):
            return None
        return {**self.credentials, "session": current}

    # ---- sessions ----------------------------------------------------------------------------------

    async def _ready(self) -> AsyncClient:
        if self._client is None:
            client = AsyncClient(self.base_url, request=_SharedRequest(self.http))
            # After each login/refresh the SDK moves to the PDS named in the DID document. We stay on the
            # configured base URL: an entryway (bsky.social) forwards to the account's PDS, and an operator's
            # proxy (or a test's) sits exactly there.
            client.on_session_change(lambda _event, _session: client.update_base_url(self.base_url))
            stored = self.credentials.get("session")
            if stored and _usable_session(stored):
                await client.login(session_string=stored, fetch_bsky_profile=False)  # no request: it imports
                self._resumed = True
            else:
                await self._password_login(client)
            self._client = client
        return self._client

    async def _password_login(self, client: AsyncClient) -> None:
        identifier, password = self.credentials.get("identifier"), self.credentials.get("password")
        if not identifier or not password:
            raise ReauthRequired("Bluesky: the stored session was refused and there is no identifier/password")
        try:
            # A lone PDS has no AppView to fetch the profile from; we never need it at login.
            await client.login(identifier, password, fetch_bsky_profile=False)
        except SDK_ERRORS as exc:
            raise classify(exc, logging_in=identifier) from exc
        self._resumed = False

    def _session(self) -> Session:
        assert self._client is not None, "call _ready() first"
        return Session.decode(self._client.export_session_string())

    async def _call(self, call: _Call[T], *, may_have_applied: bool = False) -> T:
        """Run one SDK call; a refused stored session falls back to a password login once; errors are typed."""
        client = await self._ready()
        try:
            return await call(client)
        except SDK_ERRORS as exc:
            if not (self._resumed and session_rejected(exc)):
                raise classify(exc, may_have_applied=may_have_applied) from exc
        # An auth refusal means nothing was applied: retrying after a fresh login cannot duplicate anything.
        await self._password_login(client)
        try:
            return await call(client)
        except SDK_ERRORS as exc:
            raise classify(exc, may_have_applied=may_have_applied) from exc

    # ---- pieces of a post --------------------------------------------------------------------------

    async def _resolve(self, handle: str) -> str | None:
        async def resolve(client: AsyncClient) -> str | None:
            try:
                return (await client.com.atproto.identity.resolve_handle({"handle": handle})).did
            except BadRequestError:
                return None  # unknown handle: the mention stays plain text

        return await self._call(resolve)

    async def _embed(
        self, media: tuple[MediaItem, ...]
    ) -> models.AppBskyEmbedImages.Main | models.AppBskyEmbedVideo.Main | None:
        if not media:
            return None
        blobs = [await self._upload(item) for item in media]
        if media[0].kind == "video":
            return models.AppBskyEmbedVideo.Main(
                video=blobs[0], alt=media[0].alt_text or None, aspect_ratio=_aspect_ratio(media[0])
            )
        return models.AppBskyEmbedImages.Main(
            images=[
                models.AppBskyEmbedImages.Image(alt=item.alt_text or "", image=blob, aspect_ratio=_aspect_ratio(item))
                for item, blob in zip(media, blobs, strict=True)
            ]
        )

    async def _upload(self, item: MediaItem) -> BlobRef:
        async def upload(client: AsyncClient) -> models.ComAtprotoRepoUploadBlob.Response:
            return await client.com.atproto.repo.upload_blob(item.data, headers={"Content-Type": item.content_type})

        return (await self._call(upload)).blob

    def _ref(self, uri: str, cid: str | None) -> PublishedRef:
        rkey = uri.rsplit("/", 1)[-1]
        return PublishedRef(
            id=uri, url=f"https://bsky.app/profile/{self._session().handle}/post/{rkey}", uri=uri, cid=cid
        )


# ---- small helpers -----------------------------------------------------------------------------------


class _SharedRequest(AsyncRequest):
    """The SDK's request layer over the adapter's shared httpx client, which its owner closes."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        RequestBase.__init__(self)
        self._client_kwargs: dict[str, Any] = {}
        self._client = http

    def _new_instance(self) -> Self:
        return type(self)(self._client)

    async def _send_request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        # The SDK hands raw bodies (uploadBlob) to httpx as data=bytes, which httpx deprecates for content=.
        if isinstance(kwargs.get("data"), bytes):
            kwargs["content"] = kwargs.pop("data")
        return await super()._send_request(method, url, **kwargs)

    async def close(self) -> None:
        """Nothing to close: the httpx client belongs to whoever built the adapter."""


def _usable_session(stored: str) -> bool:
    try:
        return bool(Session.decode(stored).access_jwt_payload.exp)
    except (AtProtocolError, ValueError):
        return False  # malformed: log in with the password instead


def _gate_of(request: PublishRequest) -> ReplyPolicy | None:
    """The reply policy to gate the thread with: on its main post, when the policy is not "everyone"."""
    policy = request.reply_policy
    return policy if request.is_main and needs_gate(policy) else None


def _reply_ref(request: PublishRequest) -> models.AppBskyFeedPost.ReplyRef | None:
    parent = request.parent
    if parent is None:
        return None
    root = request.root or parent
    for ref in (root, parent):
        if not (ref.uri and ref.cid):
            raise ValueError(f"a Bluesky reply needs the uri and cid of its root and parent, got {ref!r}")
    return models.AppBskyFeedPost.ReplyRef(
        root=models.ComAtprotoRepoStrongRef.Main(uri=root.uri, cid=root.cid),
        parent=models.ComAtprotoRepoStrongRef.Main(uri=parent.uri, cid=parent.cid),
    )


def _aspect_ratio(item: MediaItem) -> models.AppBskyEmbedDefs.AspectRatio | None:
    if item.width and item.height:
        return models.AppBskyEmbedDefs.AspectRatio(width=item.width, height=item.height)
    return None


def _check_media(media: tuple[MediaItem, ...], rules: MediaRules) -> None:
    """What the PDS would accept but Bluesky would not show (the 1 MB image cap), checked before uploading."""
    images = [m for m in media if m.kind == "image"]
    videos = [m for m in media if m.kind == "video"]
    if images and videos:
        raise Rejected("Bluesky: a post carries images or one video, not both")
    if len(images) > rules.max_images:
        raise Rejected(f"Bluesky: {len(images)} images; at most {rules.max_images} per post")
    if len(videos) > rules.max_videos:
        raise Rejected(f"Bluesky: {len(videos)} videos; at most {rules.max_videos} per post")
    check_media_files("Bluesky", media, rules)
