"""Sandbox adapters for test keys (``oct_test_…``): a platform's real identity and limits, realistic fake
ids and URLs, and never a network call.

Not in the public registry: octopost/accounts/factory.py picks ``sandbox_class(platform)`` for test accounts
and test posts. It validates like the real adapter (the real ``PlatformInfo``: text counted the platform's
way, media counts, sizes, types and alt text) and rejects what the platform would reject. A profile is built
from the credentials (the same credentials always give the same profile); published ids have the platform's
shape (X: a 19-digit snowflake; Bluesky: an at:// URI whose record key is the segment's TID; Mastodon: an
18-digit id on the account's instance).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from adapters.base import (
    Adapter,
    DeletesPost,
    MediaRejected,
    Platform,
    PlatformInfo,
    Profile,
    PublishedRef,
    PublishRequest,
    Rejected,
    ThreadMode,
)
from adapters.registry import adapter_class, platform_info
from adapters.validation import PostShape, check_media_files, post_violations, segment_violations

_X_EPOCH_MS = 1288834974657  # Twitter's snowflake epoch
_DISCORD_EPOCH_MS = 1420070400000


class SandboxAdapter(Adapter):
    """The behaviour of every sandbox adapter; ``sandbox_class`` binds it to one platform's ``info``."""

    async def verify(self) -> Profile:
        return sandbox_profile(self.info.platform, self.credentials)

    async def publish(self, request: PublishRequest) -> PublishedRef:
        problems = segment_problems(self.info, request)
        if problems:
            raise Rejected(f"{self.info.display_name} would refuse this: " + "; ".join(problems))
        profile = sandbox_profile(self.info.platform, self.credentials)
        return _REFS[self.info.platform](_Context(self.base_url, profile, request))


class SandboxDeletingAdapter(SandboxAdapter):
    """The twin of a platform that deletes (DeletesPost): a test post's unpublish goes through, reaching nothing."""

    async def delete(self, ref: PublishedRef) -> None:
        return None


@functools.cache
def sandbox_class(platform: str) -> type[Adapter]:
    """The sandbox adapter of ``platform`` (UnsupportedPlatform where no real adapter exists either): it deletes
    where the real one does."""
    info = platform_info(platform)
    name = f"Sandbox{info.platform.name.title()}Adapter"
    base = SandboxDeletingAdapter if issubclass(adapter_class(platform), DeletesPost) else SandboxAdapter
    return type(name, (base,), {"info": info, "__doc__": f"{info.display_name} in test mode."})


# ---- validation, as the platform would do it ----------------------------------------------------------


def segment_problems(info: PlatformInfo, request: PublishRequest) -> list[str]:
    segment = request.segment
    kinds = tuple(item.kind for item in segment.media)
    found = [
        f"segment {segment.index + 1} {v.message}"
        for v in segment_violations(info, segment.index, segment.text, kinds, info.text)
    ]
    if request.is_main:
        shape = PostShape([], poll=request.poll, reply_policy=request.reply_policy, options=request.options)
        found.extend(v.describe() for v in post_violations(info, shape, main_has_media=bool(kinds)))
    try:
        check_media_files(f"segment {segment.index + 1}", segment.media, info.media)
    except MediaRejected as exc:
        found.append(exc.message)
    if not request.is_main and info.thread_mode != ThreadMode.SEQUENTIAL_NUMBERED and request.parent is None:
        found.append(f"reply {segment.index} has no parent post to reply to")
    return found


# ---- profiles built from credentials ------------------------------------------------------------------


def sandbox_profile(platform: Platform, credentials: Mapping[str, str]) -> Profile:
    digest = hashlib.sha256(repr(sorted(credentials.items())).encode()).hexdigest()  # never shown: only hashed
    user = f"sandbox_{digest[:7]}"  # 15 characters: valid on X, the strictest
    numeric = str(10**17 + int(digest[:16], 16) % (9 * 10**17))
    if platform == Platform.BLUESKY:
        identifier = credentials.get("identifier", "")
        looks_like_handle = "." in identifier and "@" not in identifier and not identifier.startswith("did:")
        handle = identifier.lstrip("@").lower() if looks_like_handle else f"sandbox-{digest[:8]}.bsky.social"
        did = identifier if identifier.startswith("did:") else f"did:plc:{_base32(bytes.fromhex(digest))[:24]}"
        return Profile(platform_user_id=did, username=handle, display_name="Sandbox (test mode)")
    if platform == Platform.TWITTER:
        numeric = str(10**18 + int(digest[:16], 16) % (9 * 10**18))  # newer X user ids have 19 digits
    return Profile(platform_user_id=numeric, username=user, display_name="Sandbox (test mode)")


# ---- published ids and URLs, per platform ----------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    base_url: str
    profile: Profile
    request: PublishRequest

    @property
    def instance(self) -> str:
        """The account's server as an origin (Mastodon's status URLs live on the instance)."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"


_lock = threading.Lock()
_last: dict[str, int] = {}


def _increasing(kind: str, value: int) -> int:
    """Ids of one kind only grow in this process, as the platforms' own ids do over time."""
    with _lock:
        value = max(value, _last.get(kind, 0) + 1)
        _last[kind] = value
        return value


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def _snowflake(kind: str, epoch_ms: int) -> int:
    """Time since ``epoch_ms`` above 22 bits of worker and sequence (X, Discord)."""
    return _increasing(kind, ((_now_ms() - epoch_ms) << 22) | (secrets.randbits(10) << 12))


def _digits(count: int) -> str:
    return str(10 ** (count - 1) + secrets.randbelow(9 * 10 ** (count - 1)))


def _base32(data: bytes) -> str:
    return base64.b32encode(data).decode().lower().rstrip("=")


def _shortcode(length: int = 11) -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(length)).decode()[:length]


def _x_ref(ctx: _Context) -> PublishedRef:
    post_id = str(_snowflake("x", _X_EPOCH_MS))  # 19 digits
    return PublishedRef(id=post_id, url=f"https://x.com/{ctx.profile.username}/status/{post_id}")


def _bluesky_ref(ctx: _Context) -> PublishedRef:
    rkey = ctx.request.idempotency_key  # a TID, as the real adapter uses for the record key
    uri = f"at://{ctx.profile.platform_user_id}/app.bsky.feed.post/{rkey}"
    cid = "bafyrei" + _base32(hashlib.sha256(f"{uri}\n{ctx.request.segment.text}".encode()).digest())[:52]
    return PublishedRef(id=uri, url=f"https://bsky.app/profile/{ctx.profile.username}/post/{rkey}", uri=uri, cid=cid)


def _mastodon_ref(ctx: _Context) -> PublishedRef:
    status_id = str(_increasing("mastodon", (_now_ms() << 16) | secrets.randbits(16)))  # 18 digits
    return PublishedRef(id=status_id, url=f"{ctx.instance}/@{ctx.profile.username}/{status_id}")


def _linkedin_ref(_: _Context) -> PublishedRef:
    urn = f"urn:li:share:{_digits(19)}"
    return PublishedRef(id=urn, url=f"https://www.linkedin.com/feed/update/{urn}")


def _threads_ref(ctx: _Context) -> PublishedRef:
    return PublishedRef(id=_digits(17), url=f"https://www.threads.net/@{ctx.profile.username}/post/{_shortcode()}")


def _instagram_ref(_: _Context) -> PublishedRef:
    return PublishedRef(id=_digits(17), url=f"https://www.instagram.com/p/{_shortcode()}/")


def _facebook_ref(ctx: _Context) -> PublishedRef:
    page, post = ctx.profile.platform_user_id, _digits(16)
    return PublishedRef(id=f"{page}_{post}", url=f"https://www.facebook.com/{page}/posts/{post}")


def _tiktok_ref(ctx: _Context) -> PublishedRef:
    video_id = _digits(19)
    return PublishedRef(id=video_id, url=f"https://www.tiktok.com/@{ctx.profile.username}/video/{video_id}")


def _youtube_ref(_: _Context) -> PublishedRef:
    video_id = _shortcode(11)
    return PublishedRef(id=video_id, url=f"https://www.youtube.com/watch?v={video_id}")


def _discord_ref(ctx: _Context) -> PublishedRef:
    message_id = str(_snowflake("discord", _DISCORD_EPOCH_MS))
    channel = ctx.profile.platform_user_id
    return PublishedRef(id=message_id, url=f"https://discord.com/channels/{channel}/{channel}/{message_id}")


def _slack_ref(_: _Context) -> PublishedRef:
    ts = f"{time.time():.6f}"
    return PublishedRef(id=ts, url=f"https://sandbox.slack.com/archives/C0SANDBOX/p{ts.replace('.', '')}")


def _telegram_ref(ctx: _Context) -> PublishedRef:
    message_id = str(_increasing("telegram", 1))
    return PublishedRef(id=message_id, url=f"https://t.me/{ctx.profile.username}/{message_id}")


def _colibri_ref(ctx: _Context) -> PublishedRef:
    post_id = str(_increasing("colibri", 1))
    return PublishedRef(id=post_id, url=f"{ctx.instance}/thread/{post_id}")


def _colibri_dm_ref(ctx: _Context) -> PublishedRef:
    message_id = str(_increasing("colibri_dm", 1))
    return PublishedRef(id=message_id, url=f"{ctx.instance}/conversation/@sandbox_recipient#message-{message_id}")


def _amity_ref(ctx: _Context) -> PublishedRef:
    post_id = ctx.request.idempotency_key  # the real adapter chooses the post's id, as the key
    kind = "posts" if ctx.request.parent is None else "comments"
    return PublishedRef(id=post_id, url=f"{ctx.instance}/api/v3/{kind}/{post_id}")


def _ziik_ref(ctx: _Context) -> PublishedRef:
    content_id = str(_increasing("ziik", 1))  # the account's base URL is the tenant's API: .../api/content/<id>
    return PublishedRef(id=content_id, url=f"{ctx.base_url}/content/{content_id}")


_REFS: dict[Platform, Callable[[_Context], PublishedRef]] = {
    Platform.TWITTER: _x_ref,
    Platform.BLUESKY: _bluesky_ref,
    Platform.MASTODON: _mastodon_ref,
    Platform.LINKEDIN: _linkedin_ref,
    Platform.THREADS: _threads_ref,
    Platform.INSTAGRAM: _instagram_ref,
    Platform.FACEBOOK: _facebook_ref,
    Platform.TIKTOK: _tiktok_ref,
    Platform.YOUTUBE: _youtube_ref,
    Platform.DISCORD: _discord_ref,
    Platform.SLACK: _slack_ref,
    Platform.TELEGRAM: _telegram_ref,
    Platform.COLIBRI: _colibri_ref,
    Platform.COLIBRI_DM: _colibri_dm_ref,
    Platform.AMITY: _amity_ref,
    Platform.ZIIK: _ziik_ref,
}
