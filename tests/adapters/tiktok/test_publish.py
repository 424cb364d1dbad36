"""Direct posts against the TikTok fake: creator_info first, a video uploaded (whole, or in TikTok's chunks) or
pulled from our URL, photos pulled, the publish id as the Pending handle until PUBLISH_COMPLETE, a crash resumed
from the handle, failures with TikTok's fail_reason, and a thread folded into the caption."""

from __future__ import annotations

import dataclasses
import json

import pytest

from adapters.base import MediaRejected, OutcomeUnknown, Pending, PublishedRef, Rejected, Transient
from adapters.segments import FOLD_SEPARATOR, as_posted
from adapters.tiktok import TikTokAdapter
from adapters.tiktok.upload import MB
from adapters.validation import PostShape, SegmentShape, validate
from tests.adapters.pending import drive
from tests.adapters.tiktok.support import MakeAdapter, photo, publishes, request, video
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake
from tests.fakes.tiktok import UNAUDITED_TOKEN
from tests.peers.media_server import MediaServer


async def test_a_video_is_uploaded_then_published_over_status_polls(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    driven = await drive(make_adapter(), request("A walk in the park #park"))

    assert len(driven.pendings) == 3  # after the upload, then two polls still processing
    assert {json.loads(p.handle)["publish_id"] for p in driven.pendings} == {publishes(fake)[0]["id"]}
    (post,) = fake.created()
    assert driven.ref == PublishedRef(id=post["id"], url=f"https://www.tiktok.com/@octopost.fake/video/{post['id']}")
    (published,) = publishes(fake)
    assert published["post_info"]["privacy_level"] == "SELF_ONLY"
    assert published["post_info"]["title"] == "A walk in the park #park"
    assert (published["chunks"], published["received"]) == (1, MB)


async def test_a_large_video_goes_in_tiktoks_chunks(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    await drive(make_adapter(), request(media=(video(11 * MB),)))

    (published,) = publishes(fake)
    assert published["plan"] == {"video_size": 11 * MB, "chunk_size": 5 * MB, "total_chunk_count": 2}
    assert (published["chunks"], published["received"]) == (2, 11 * MB)  # the last chunk took the trailing bytes
    assert len(fake.created()) == 1


async def test_a_video_pulled_from_our_url(
    make_adapter: MakeAdapter, fake: RunningFake, media_server: MediaServer
) -> None:
    url = media_server.add("/tiktok/clip.mp4", video().data, "video/mp4")
    driven = await drive(
        make_adapter(), request(media=(video(public_url=url),), video_source="PULL_FROM_URL", privacy_level="SELF_ONLY")
    )

    assert media_server.hits["/tiktok/clip.mp4"] == 1
    assert [c["id"] for c in fake.created()] == [driven.ref.id]


async def test_a_pull_without_a_public_url_is_refused(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    with pytest.raises(MediaRejected, match="OCTOPOST_PUBLIC_URL"):
        await make_adapter().publish(request(video_source="PULL_FROM_URL"))
    assert publishes(fake) == []


async def test_photos_are_pulled(make_adapter: MakeAdapter, fake: RunningFake, media_server: MediaServer) -> None:
    urls = [media_server.add(f"/tiktok/p{n}.jpg", photo(None).data, "image/jpeg") for n in (1, 2)]
    driven = await drive(make_adapter(), request("two photos", media=tuple(photo(u) for u in urls)))

    assert driven.ref.url.startswith("https://www.tiktok.com/@octopost.fake/photo/")
    (published,) = publishes(fake)
    assert published["kind"] == "photo"
    assert published["post_info"]["description"] == "two photos"


async def test_a_photo_tiktok_cannot_fetch_fails_the_post(
    make_adapter: MakeAdapter, fake: RunningFake, media_server: MediaServer
) -> None:
    missing = media_server.add("/tiktok/gone.jpg", b"", "image/jpeg").replace("gone", "never-there")
    with pytest.raises(MediaRejected, match=r"TikTok could not publish the post \(photo_pull_failed\)"):
        await drive(make_adapter(), request(media=(photo(missing),)))
    assert fake.created() == []


async def test_a_failed_publish_says_tiktoks_reason(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    fake.control("PUT", "processing", {"fail_reason": "duration_check_failed"})
    with pytest.raises(MediaRejected, match="duration_check_failed"):
        await drive(make_adapter(), request())
    assert fake.created() == []


async def test_a_crash_while_processing_resumes_from_the_handle(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    first = request()
    started = await make_adapter().publish(first)
    assert isinstance(started, Pending)

    # Another process: only the request and the stored handle.
    driven = await drive(make_adapter(), dataclasses.replace(first, pending=started.handle))

    assert [c["id"] for c in fake.created()] == [driven.ref.id]
    assert len(publishes(fake)) == 1


async def test_a_lost_status_answer_is_asked_again(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter()
    first = request()
    started = await adapter.publish(first)
    assert isinstance(started, Pending)
    fake.set_conditions(
        Conditions(fault_rate=1.0, faults=["reset_after"], fault_paths=["/v2/post/publish/status/fetch"])
    )
    with pytest.raises(Transient):
        await adapter.publish(dataclasses.replace(first, pending=started.handle))
    fake.set_conditions(Conditions())

    driven = await drive(adapter, dataclasses.replace(first, pending=started.handle))
    assert [c["id"] for c in fake.created()] == [driven.ref.id]


async def test_a_lost_answer_to_a_pull_is_in_doubt(
    make_adapter: MakeAdapter, fake: RunningFake, media_server: MediaServer
) -> None:
    """The pull's init creates the post: its answer lost is OutcomeUnknown, never a blind second init."""
    url = media_server.add("/tiktok/doubt.mp4", video().data, "video/mp4")
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["reset_after"], fault_paths=["/v2/post/publish/video"]))
    with pytest.raises(OutcomeUnknown, match="TikTok post: no answer after the request was sent"):
        await make_adapter().publish(request(media=(video(public_url=url),), video_source="PULL_FROM_URL"))
    assert len(publishes(fake)) == 1


async def test_the_privacy_must_be_one_the_creator_offers(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    fake.control("PUT", "creator", {"privacy_level_options": ["FOLLOWER_OF_CREATOR", "SELF_ONLY"]})
    with pytest.raises(Rejected, match="cannot post as PUBLIC_TO_EVERYONE; it offers FOLLOWER_OF_CREATOR, SELF_ONLY"):
        await make_adapter().publish(request(privacy_level="PUBLIC_TO_EVERYONE"))
    assert publishes(fake) == []


async def test_an_unaudited_app_is_told_to_post_privately(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter({"access_token": UNAUDITED_TOKEN})
    with pytest.raises(Rejected, match="has not passed TikTok's audit, so it may only post privately"):
        await adapter.publish(request(privacy_level="PUBLIC_TO_EVERYONE"))
    await drive(adapter, request(privacy_level="SELF_ONLY"))
    assert len(fake.created()) == 1


async def test_what_the_creator_turned_off_stays_off(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    fake.control("PUT", "creator", {"comment_disabled": True, "duet_disabled": True, "stitch_disabled": True})
    await drive(make_adapter(), request())
    info = publishes(fake)[0]["post_info"]
    assert (info["disable_comment"], info["disable_duet"], info["disable_stitch"]) == (True, True, True)


async def test_a_lost_answer_to_the_last_chunk_is_settled_by_the_status(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    fake.control("PUT", "next_error", {"path": "/upload", "code": "reset_after"})
    driven = await drive(make_adapter(), request(media=(video(11 * MB),)))

    assert len(driven.pendings) == 3  # the upload's lost answer did not stop it: the status said it was all there
    assert [c["id"] for c in fake.created()] == [driven.ref.id]
    assert len(publishes(fake)) == 1


def test_a_thread_is_folded_into_the_caption_and_refused_when_it_does_not_fit() -> None:
    info = TikTokAdapter.info
    folded = as_posted(info, [("one", ["v"]), ("two", []), ("three", [])])
    assert folded == [(FOLD_SEPARATOR.join(["one", "two", "three"]), ("v",))]
    assert validate(info, PostShape([SegmentShape("a" * 1000, videos=1), SegmentShape("b" * 1000)])) == []
    (too_long,) = validate(info, PostShape([SegmentShape("a" * 1100, videos=1), SegmentShape("b" * 1100)]))
    assert "2202 characters; the limit is 2200" in too_long.describe()
    (no_media,) = validate(info, PostShape([SegmentShape("text only")]))
    assert "needs an image or a video" in no_media.describe()
