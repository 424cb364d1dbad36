"""The Mastodon adapter against the strict fake (tests/fakes/mastodon.py), which checks polls and options the way
Mastodon does: what the adapter sends is what Mastodon takes (a poll as JSON, the options on a form), the content
warning is counted with the text against the instance's own limit, and the fake refuses what Mastodon refuses."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import httpx
import pytest

from adapters.base import MediaItem, MediaRejected, Pending, Poll, PublishedRef, Rejected
from adapters.mastodon import MastodonAdapter, MastodonOptions, clear_text_rules_cache
from adapters.validation import PostShape, SegmentShape, validate
from tests.adapters.masto.support import publish_thread, request
from tests.fakes.running import RunningFake, fake_per_module
from tests.media import make_png, png

TOKEN = "strict-fake-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


fake = fake_per_module("mastodon")


@pytest.fixture
async def adapter(fake: RunningFake) -> AsyncIterator[MastodonAdapter]:
    fake.reset()
    fake.control("PUT", "instance", {"max_characters": 500})
    clear_text_rules_cache()
    async with httpx.AsyncClient() as http:
        built = MastodonAdapter.build(base_url=fake.url, credentials={"access_token": TOKEN}, http=http)
        try:
            yield built
        finally:
            await built.aclose()
            clear_text_rules_cache()


def status(fake: RunningFake, status_id: str) -> dict[str, Any]:
    return dict(httpx.get(f"{fake.url}/api/v1/statuses/{status_id}", headers=AUTH).raise_for_status().json())


async def test_a_poll_and_the_options_are_sent_as_mastodon_takes_them(
    adapter: MastodonAdapter, fake: RunningFake
) -> None:
    options = MastodonOptions(visibility="private", spoiler_text="poll inside", language="de")
    poll = Poll(options=("ja", "nein"), duration_minutes=5)  # Mastodon's shortest: 300 s

    main, reply = await publish_thread(
        adapter, [("Abstimmung", ()), ("mit Bild", (png("ein Bild"),))], "strict", poll=poll, options=options
    )

    first, second = status(fake, main.id), status(fake, reply.id)
    assert [o["title"] for o in first["poll"]["options"]] == ["ja", "nein"]
    assert second["poll"] is None
    for each in (first, second):
        seen = (each["visibility"], each["spoiler_text"], each["sensitive"], each["language"])
        assert seen == ("private", "poll inside", True, "de")  # sensitive: Mastodon's rule behind a warning
    assert [m["description"] for m in second["media_attachments"]] == ["ein Bild"]
    assert second["in_reply_to_id"] == main.id


async def test_the_content_warning_is_counted_against_the_instances_own_limit(
    adapter: MastodonAdapter, fake: RunningFake
) -> None:
    """Validation counts the warning with the text against the instance's limit (read from the instance), as the
    instance does; what validation lets through, the instance takes."""
    fake.control("PUT", "instance", {"max_characters": 1000})
    clear_text_rules_cache()
    rules = await adapter.text_rules()
    warning = MastodonOptions(spoiler_text="w" * 20)

    assert validate(MastodonAdapter.info, PostShape([SegmentShape("t" * 980)], options=warning), rules) == []
    ref = await adapter.publish(request("t" * 980, "roomy-fits", options=warning))  # 1,000: over 500, fits here
    assert status(fake, ref.id)["spoiler_text"] == "w" * 20

    (over,) = validate(MastodonAdapter.info, PostShape([SegmentShape("t" * 981)], options=warning), rules)
    assert over.describe() == (
        "mastodon: platform_options.mastodon spoiler_text: content is 1001 characters with its content warning "
        "(Mastodon counts both); the limit is 1000"
    )
    with pytest.raises(Rejected, match="Text character limit of 1000 exceeded"):  # and the instance would say so
        await adapter.publish(request("t" * 981, "roomy-over", options=warning))
    assert [c["idempotency_key"] for c in fake.created()] == ["roomy-fits"]


def test_the_fake_counts_the_content_warning_with_the_text(fake: RunningFake) -> None:
    fake.control("PUT", "instance", {"max_characters": 500})
    answer = httpx.post(
        f"{fake.url}/api/v1/statuses", data={"status": "t" * 490, "spoiler_text": "w" * 11}, headers=AUTH
    )
    assert (answer.status_code, answer.json()) == (
        422,
        {"error": "Validation failed: Text character limit of 500 exceeded"},
    )


def _upload(fake: RunningFake) -> str:
    files = {"file": ("a.png", make_png(), "image/png")}
    return str(httpx.post(f"{fake.url}/api/v2/media", files=files, headers=AUTH).raise_for_status().json()["id"])


@pytest.mark.parametrize(
    ("poll", "error"),
    [
        ({"options": ["a", "b", "c", "d", "e"], "expires_in": 600}, "Poll options can't contain more than 4 items"),
        ({"options": ["only"], "expires_in": 600}, "Poll options must have more than one item"),
        ({"options": ["a" * 51, "b"], "expires_in": 600}, "Poll options cannot be longer than 50 characters each"),
        ({"options": ["same", "same"], "expires_in": 600}, "Poll options contain duplicate items"),
        ({"options": ["a", "b"], "expires_in": 299}, "Poll expires at is too soon"),
        ({"options": ["a", "b"], "expires_in": 2_629_747}, "Poll expires at is too far into the future"),
        ({"options": ["a", "b"]}, "Poll expires at can't be blank"),
        ({"options": ["a", "b"], "expires_in": 600, "anonymous": True}, "does not know the poll parameters"),
    ],
)
def test_the_fake_refuses_the_polls_mastodon_refuses(fake: RunningFake, poll: dict[str, Any], error: str) -> None:
    answer = httpx.post(f"{fake.url}/api/v1/statuses", json={"status": "a poll", "poll": poll}, headers=AUTH)
    assert answer.status_code == 422
    assert error in answer.json()["error"]


def test_the_fake_refuses_a_poll_with_media_and_reads_a_form_poll(fake: RunningFake) -> None:
    media_id = _upload(fake)
    poll = {"options": ["a", "b"], "expires_in": 600}
    with_media = {"status": "both", "poll": poll, "media_ids": [media_id]}
    answer = httpx.post(f"{fake.url}/api/v1/statuses", json=with_media, headers=AUTH)
    assert (answer.status_code, answer.json()) == (422, {"error": "Cannot attach more than 4 files"})

    form = {"status": "as a form", "poll[options][]": ["a", "b"], "poll[expires_in]": "600"}
    accepted = httpx.post(f"{fake.url}/api/v1/statuses", data=form, headers=AUTH)
    assert accepted.status_code == 200, accepted.text
    assert [o["title"] for o in accepted.json()["poll"]["options"]] == ["a", "b"]


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"status": "x", "visibility": "bogus"}, "Validation failed: Visibility is not included in the list"),
        ({"status": "x", "visibility": "followers"}, "Visibility is not included in the list"),
        ({"status": "x", "content_warning": "y"}, "does not know the parameters ['content_warning']"),
        ({"status": "  "}, "Validation failed: Text can't be blank"),
        ({"status": "x", "sensitive": "maybe"}, "Sensitive is not a boolean"),
    ],
)
def test_the_fake_refuses_the_options_mastodon_refuses(fake: RunningFake, fields: dict[str, str], error: str) -> None:
    answer = httpx.post(f"{fake.url}/api/v1/statuses", data=fields, headers=AUTH)
    assert answer.status_code == 422
    assert error in answer.json()["error"]


async def test_a_video_still_processing_is_pending_until_it_can_be_attached(
    adapter: MastodonAdapter, fake: RunningFake
) -> None:
    """Mastodon processes a video after its upload: the adapter answers Pending (no sleep in the worker), each call
    with the handle asks again, and the status is posted once the video is ready, with the one upload attached."""
    fake.control("PUT", "media", {"processing_polls": 1})  # one 206, then 200
    video = MediaItem(data=b"\x00\x00\x00\x18ftypmp42" + bytes(64), content_type="video/mp4", kind="video")
    asked = request("a clip", "video-key", media=(video,))

    first = await adapter.publish(asked)
    assert isinstance(first, Pending)
    second = await adapter.publish(replace(asked, pending=first.handle))
    assert isinstance(second, Pending)
    assert second.check_after > first.check_after  # asked less often as it takes longer
    ref = await adapter.publish(replace(asked, pending=second.handle))

    assert isinstance(ref, PublishedRef)
    assert [m["type"] for m in status(fake, ref.id)["media_attachments"]] == ["video"]
    assert fake.control("GET", "media")["uploads"] == 1  # waiting never uploads again
    assert len(fake.created()) == 1


async def test_a_video_that_never_finishes_processing_is_refused(adapter: MastodonAdapter, fake: RunningFake) -> None:
    fake.control("PUT", "media", {"processing_polls": 1000})
    video = MediaItem(data=b"\x00\x00\x00\x18ftypmp42" + bytes(64), content_type="video/mp4", kind="video")
    asked = request("a clip", "stuck-key", media=(video,))
    pending = await adapter.publish(asked)
    assert isinstance(pending, Pending)
    adapter.media_timeout = 0.0  # the upload is older than the timeout by the next call

    with pytest.raises(MediaRejected, match="still processing after 0s"):
        await adapter.publish(replace(asked, pending=pending.handle))
    assert fake.created() == []
