"""One contract test over every registered adapter: declarations sane, errors typed, secrets never shown."""

from __future__ import annotations

import httpx
import pytest

from adapters.base import Adapter, AdapterError, Platform, TextCounting, ThreadMode
from adapters.registry import ADAPTERS, UnsupportedPlatform, adapter_class

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
    assert 0 <= info.media.max_images <= 10
    assert info.media.max_image_bytes > 0
    assert info.media.image_types
    assert all(t.startswith("image/") for t in info.media.image_types)
    assert all(t.startswith("video/") for t in info.media.video_types)
    assert info.credential_shapes
    assert all(info.credential_shapes)


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


def test_unknown_platform_is_a_clear_error() -> None:
    with pytest.raises(UnsupportedPlatform, match="no adapter for platform 'myspace'"):
        adapter_class("myspace")
    with pytest.raises(UnsupportedPlatform, match="linkedin"):
        adapter_class("linkedin")
