"""X processing a video after its upload, against the strict X fake (tests/fakes/twitter.py): the adapter answers
Pending with X's check_after_secs instead of sleeping, asks X's STATUS on each call with the handle, sets the alt
text once the video is ready and posts it once; processing X reports failed is a Rejected with X's reason."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest

from adapters.base import MediaItem, MediaRejected, Pending, PublishedRef
from adapters.twitter import TwitterAdapter
from tests.adapters.x.support import request
from tests.fakes.running import RunningFake, fake_per_module

fake = fake_per_module("twitter")
VIDEO = MediaItem(data=bytes(2048), content_type="video/mp4", kind="video", alt_text="a cat, moving")


@pytest.fixture
async def adapter(fake: RunningFake) -> AsyncIterator[TwitterAdapter]:
    fake.reset()
    async with httpx.AsyncClient() as http:
        built = TwitterAdapter.build(base_url=fake.url, credentials={"access_token": "x-video-token"}, http=http)
        try:
            yield built
        finally:
            await built.aclose()


async def test_a_video_is_pending_while_x_processes_it_and_posted_once_ready(
    adapter: TwitterAdapter, fake: RunningFake
) -> None:
    fake.control("PUT", "media", {"processing_polls": 1})  # one STATUS in_progress, then succeeded
    asked = request("a clip", media=(VIDEO,))

    first = await adapter.publish(asked)
    assert isinstance(first, Pending)
    assert first.check_after == 1.0  # X's check_after_secs
    second = await adapter.publish(replace(asked, pending=first.handle))
    assert isinstance(second, Pending)
    ref = await adapter.publish(replace(asked, pending=second.handle))

    assert isinstance(ref, PublishedRef)
    (created,) = fake.created()
    assert (created["id"], created["text"]) == (ref.id, "a clip")
    assert list(fake.control("GET", "media").values()) == ["a cat, moving"]  # one upload, described once ready


async def test_a_video_x_keeps_processing_past_the_timeout_is_refused(
    adapter: TwitterAdapter, fake: RunningFake
) -> None:
    fake.control("PUT", "media", {"processing_polls": 1000})
    asked = request("a clip", media=(VIDEO,))
    pending = await adapter.publish(asked)
    assert isinstance(pending, Pending)
    adapter.media_timeout = 0.0

    with pytest.raises(MediaRejected, match=r"X media \d+ was still processing after 0s"):
        await adapter.publish(replace(asked, pending=pending.handle))
    assert fake.created() == []
