"""The sandbox adapters of test keys: the real platform's limits, platform-shaped ids, no network at all."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest

from adapters.base import MediaItem, Platform, Profile, PublishedRef, PublishRequest, Rejected, Segment
from adapters.registry import ADAPTERS, UnsupportedPlatform
from adapters.sandbox import _REFS, SandboxAdapter, _Context, sandbox_class, sandbox_profile
from octopost.ids import new_tid
from tests.adapters.contract.cases import CASES
from tests.media import make_png

# What each platform's post ids and URLs look like (X, Bluesky and Mastodon as their APIs answer).
SHAPES = {
    Platform.TWITTER: (r"\d{19}", r"https://x\.com/sandbox_\w+/status/\d{19}"),
    Platform.BLUESKY: (
        r"at://did:plc:[2-7a-z]{24}/app\.bsky\.feed\.post/[2-7a-z]{13}",
        r"https://bsky\.app/profile/[\w.-]+/post/[2-7a-z]{13}",
    ),
    Platform.MASTODON: (r"\d{18}", r"https://social\.example/@sandbox_\w+/\d{18}"),
    Platform.LINKEDIN: (r"urn:li:share:\d{19}", r"https://www\.linkedin\.com/feed/update/urn:li:share:\d{19}"),
    Platform.THREADS: (r"\d{17}", r"https://www\.threads\.net/@sandbox_\w+/post/[\w-]{11}"),
    Platform.INSTAGRAM: (r"\d{17}", r"https://www\.instagram\.com/p/[\w-]{11}/"),
    Platform.FACEBOOK: (r"\d{18}_\d{16}", r"https://www\.facebook\.com/\d{18}/posts/\d{16}"),
    Platform.TIKTOK: (r"\d{19}", r"https://www\.tiktok\.com/@sandbox_\w+/video/\d{19}"),
    Platform.YOUTUBE: (r"[\w-]{11}", r"https://www\.youtube\.com/watch\?v=[\w-]{11}"),
    Platform.DISCORD: (r"\d{18,19}", r"https://discord\.com/channels/\d+/\d+/\d{18,19}"),
    Platform.SLACK: (r"\d{10}\.\d{6}", r"https://sandbox\.slack\.com/archives/C0SANDBOX/p\d{16}"),
    Platform.TELEGRAM: (r"\d+", r"https://t\.me/sandbox_\w+/\d+"),
    Platform.COLIBRI: (r"\d+", r"https://social\.example/thread/\d+"),
    Platform.COLIBRI_DM: (r"\d+", r"https://social\.example/conversation/@sandbox_recipient#message-\d+"),
    Platform.AMITY: (r"[2-7a-z]{13}", r"https://social\.example/api/v3/(posts|comments)/[2-7a-z]{13}"),
    Platform.ZIIK: (r"\d+", r"https://social\.example/content/\d+"),
}
CREDENTIALS = {
    Platform.BLUESKY: {"identifier": "carol.example.com", "password": "app-password"},
}


def request(text: str = "hello", index: int = 0, media: tuple[MediaItem, ...] = ()) -> PublishRequest:
    parent = PublishedRef(id="1", url="https://example.com/1") if index else None
    return PublishRequest(Segment(index, text, media), idempotency_key=new_tid(), root=parent, parent=parent)


def adapter(platform: Platform, http: httpx.AsyncClient) -> SandboxAdapter:
    cls = sandbox_class(platform.value)
    credentials = CREDENTIALS.get(platform, {"access_token": "secret-token-value"})
    built = cls.build(base_url="https://social.example", credentials=credentials, http=http)
    assert isinstance(built, SandboxAdapter)
    return built


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"the sandbox made a request: {request.url}")

    async with httpx.AsyncClient(transport=httpx.MockTransport(refuse)) as client:
        yield client


def test_every_platform_has_a_shape_and_it_is_realistic() -> None:
    assert set(_REFS) == set(Platform)
    profile = Profile(platform_user_id="123456789012345678", username="sandbox_abcdefg")
    for platform, (id_shape, url_shape) in SHAPES.items():
        if platform == Platform.BLUESKY:
            profile_used = Profile(platform_user_id="did:plc:" + "a" * 24, username="carol.example.com")
        else:
            profile_used = profile
        ref = _REFS[platform](_Context("https://social.example", profile_used, request()))
        assert re.fullmatch(id_shape, ref.id), (platform, ref)
        assert re.fullmatch(url_shape, ref.url), (platform, ref)


@pytest.mark.parametrize("platform", sorted(ADAPTERS))
async def test_registered_platforms_publish_threads_in_the_sandbox(platform: Platform, http: httpx.AsyncClient) -> None:
    sandbox = adapter(platform, http)
    assert sandbox.info is ADAPTERS[platform].info  # the real limits
    profile = await sandbox.verify()
    assert profile == await adapter(platform, http).verify()  # the same credentials, the same profile
    assert "secret-token-value" not in repr(sandbox)
    main = await sandbox.publish(request(media=CASES[platform].media))  # the media the platform requires there
    reply = await sandbox.publish(request("a reply", index=1))
    id_shape, url_shape = SHAPES[platform]
    for ref in (main, reply):
        assert re.fullmatch(id_shape, ref.id), ref
        assert re.fullmatch(url_shape, ref.url), ref
    assert main.id != reply.id
    if platform == Platform.BLUESKY:
        assert profile.username == "carol.example.com"
        assert main.uri == main.id
        assert main.cid is not None
        assert main.cid.startswith("bafyrei")


async def test_the_sandbox_refuses_what_the_platform_would(http: httpx.AsyncClient) -> None:
    bluesky, x = adapter(Platform.BLUESKY, http), adapter(Platform.TWITTER, http)
    with pytest.raises(Rejected, match=r"300"):
        await bluesky.publish(request("a" * 301))
    with pytest.raises(Rejected, match=r"280"):
        await x.publish(request("字" * 141))  # CJK weighs 2 on X
    assert await x.publish(request("字" * 140))
    png = make_png()
    five = tuple(MediaItem(data=png, content_type="image/png", kind="image") for _ in range(5))
    with pytest.raises(Rejected, match="5 images; the limit is 4"):
        await bluesky.publish(request(media=five))
    with pytest.raises(Rejected, match="image/bmp"):
        await bluesky.publish(request(media=(MediaItem(data=png, content_type="image/bmp", kind="image"),)))
    too_big = MediaItem(data=png + bytes(1_000_000), content_type="image/png", kind="image")
    with pytest.raises(Rejected, match="the limit is 1,000,000"):
        await bluesky.publish(request(media=(too_big,)))
    with pytest.raises(Rejected, match="no parent"):
        await bluesky.publish(PublishRequest(Segment(1, "orphan"), idempotency_key=new_tid()))


def test_platforms_without_an_adapter_have_no_sandbox_either() -> None:
    with pytest.raises(UnsupportedPlatform):
        sandbox_class("myspace")


def test_profiles_come_from_the_credentials_without_showing_them() -> None:
    one = sandbox_profile(Platform.MASTODON, {"access_token": "token-one"})
    two = sandbox_profile(Platform.MASTODON, {"access_token": "token-two"})
    assert one != two
    assert re.fullmatch(r"\d{18}", one.platform_user_id)
    assert "token-one" not in repr(one)
    by_did = sandbox_profile(Platform.BLUESKY, {"identifier": "did:plc:abcdefghijklmnopqrstuvwx", "password": "p"})
    assert by_did.platform_user_id == "did:plc:abcdefghijklmnopqrstuvwx"
    assert by_did.username.endswith(".bsky.social")
