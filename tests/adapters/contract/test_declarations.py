"""The contract over every registered adapter, its declarations: PlatformInfo sane (limits, polls, reply policies,
options schema, idempotency declared consistently), secrets never in a repr, unreachable platforms a typed error,
and a sandbox twin that publishes a thread the way the platform's thread mode links it. (Error answers:
test_errors.py.)"""

from __future__ import annotations

import httpx
import pytest

from adapters.base import (
    Adapter,
    AdapterContext,
    AdapterError,
    FindsDelivery,
    Platform,
    ReplyPolicy,
    Segment,
    TextCounting,
    ThreadMode,
)
from adapters.options import PlatformOptions
from adapters.registry import ADAPTERS, UnsupportedPlatform, adapter_class
from adapters.sandbox import sandbox_class
from scheduler.thread_modes import PostFeatures, request_for
from tests.adapters.contract.cases import CASES

REGISTERED = sorted(ADAPTERS.items())
SECRET = "s3cr3t-value-that-must-not-leak"


@pytest.mark.parametrize(("platform", "cls"), REGISTERED, ids=[p.value for p, _ in REGISTERED])
def test_info_is_sane(platform: Platform, cls: type[Adapter]) -> None:
    info = cls.info
    assert info.platform == platform
    assert info.display_name
    assert info.default_base_url.startswith("https://")
    assert info.text.max_chars > 0
    assert info.text.counting in TextCounting
    assert info.thread_mode in ThreadMode
    assert 0 <= info.media.max_images <= 20  # Threads' carousels and LinkedIn's multi-image posts take 20
    assert info.media.max_image_bytes > 0
    assert info.media.image_types
    assert all(t.startswith("image/") for t in info.media.image_types)
    assert all(t.startswith("video/") for t in info.media.video_types)
    assert info.credential_shapes
    assert all(info.credential_shapes)
    assert ReplyPolicy.EVERYONE in info.reply_policies  # what every platform does untold
    assert info.reply_policies <= set(ReplyPolicy)
    if info.folds_thread:
        assert info.thread_mode == ThreadMode.SINGLE
    if info.media.max_attachments is not None:
        assert info.media.max_attachments >= 1


@pytest.mark.parametrize(("platform", "cls"), REGISTERED, ids=[p.value for p, _ in REGISTERED])
def test_polls_and_options_are_declared_as_data(platform: Platform, cls: type[Adapter]) -> None:
    polls = cls.info.polls
    if polls is not None:
        assert 2 <= polls.min_options <= polls.max_options
        assert polls.max_option_chars > 0
        assert 0 < polls.min_duration_minutes <= polls.max_duration_minutes
        assert polls.duration_step_minutes >= 1
    options = cls.info.options
    if options is not None:
        assert issubclass(options, PlatformOptions)
        assert options.__struct_config__.forbid_unknown_fields  # a misspelt option is a 422, never ignored


@pytest.mark.parametrize(("platform", "cls"), REGISTERED, ids=[p.value for p, _ in REGISTERED])
def test_idempotency_is_declared_consistently(platform: Platform, cls: type[Adapter]) -> None:
    """A platform that claims a resend cannot post twice says for how long, or can look the segment up."""
    info = cls.info
    if info.idempotent_publish:
        assert info.idempotency_window_seconds is not None or issubclass(cls, FindsDelivery)
    else:
        assert info.idempotency_window_seconds is None


@pytest.mark.parametrize(("platform", "cls"), REGISTERED, ids=[p.value for p, _ in REGISTERED])
async def test_secrets_never_in_repr(platform: Platform, cls: type[Adapter]) -> None:
    credentials = {key: SECRET for shape in cls.info.credential_shapes for key in shape}
    async with httpx.AsyncClient() as http:
        adapter = cls.build(base_url="https://example.invalid", credentials=credentials, http=http)
        try:
            assert SECRET not in repr(adapter)
            assert SECRET not in repr(adapter.credentials)
            assert SECRET not in str(adapter.credentials)
            assert SECRET not in repr(vars(adapter).get("credentials"))
        finally:
            await adapter.aclose()


@pytest.mark.parametrize(("platform", "cls"), REGISTERED, ids=[p.value for p, _ in REGISTERED])
async def test_unreachable_platform_is_a_typed_error(platform: Platform, cls: type[Adapter]) -> None:
    """Nothing listens on port 9 of loopback: verify() must raise one of the taxonomy's errors."""
    credentials = {key: "x" for shape in cls.info.credential_shapes[:1] for key in shape}
    async with httpx.AsyncClient(timeout=5) as http:
        adapter = cls.build(base_url="http://127.0.0.1:9", credentials=credentials, http=http)
        try:
            with pytest.raises(AdapterError):
                await adapter.verify()
        finally:
            await adapter.aclose()


@pytest.mark.parametrize(("platform", "cls"), REGISTERED, ids=[p.value for p, _ in REGISTERED])
async def test_the_sandbox_twin_publishes_a_thread_as_the_mode_links_it(platform: Platform, cls: type[Adapter]) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"the sandbox made a request: {request.url}")

    info = cls.info
    credentials = dict.fromkeys(info.credential_shapes[0], "sandbox-value")
    async with httpx.AsyncClient(transport=httpx.MockTransport(refuse)) as http:
        twin = sandbox_class(platform.value)(AdapterContext("https://sandbox.example", credentials, http))
        assert twin.info is info
        count = 1 if info.thread_mode == ThreadMode.SINGLE else 2
        main = previous = None
        for index in range(count):
            media = CASES[platform].media if index == 0 else ()  # what the platform requires on its main post
            segment = Segment(index, f"segment {index + 1}", media)
            request = request_for(
                info, segment, f"key{index}", count=count, main=main, previous=previous, features=PostFeatures()
            )
            ref = await twin.publish(request)
            assert ref.id
            assert ref.url.startswith("https://")
            main, previous = main or ref, ref


def test_unknown_platform_is_a_clear_error_naming_the_supported_ones() -> None:
    with pytest.raises(UnsupportedPlatform, match="no adapter for platform 'myspace'") as raised:
        adapter_class("myspace")
    supported = str(raised.value).partition("publishing is supported for: ")[2]
    assert supported.split(", ") == sorted(p.value for p in ADAPTERS)


def test_every_platform_the_api_accepts_has_an_adapter() -> None:
    """No platform can be drafted that could never be scheduled (the API's platforms are Platform's values)."""
    assert set(ADAPTERS) == set(Platform)
