"""The Facebook Pages adapter against the strict Graph fake over real HTTP: the Page chosen among the user's and its
token learned, text and photo posts (unpublished uploads attached), a video through the processing step, a thread as
comments, and deletes."""

from __future__ import annotations

import pytest

from adapters.base import MediaRejected, Pending, PublishedRef, Rejected
from adapters.facebook import FacebookAdapter
from tests.adapters.facebook.support import USER, MakeAdapter, items, photo, video
from tests.adapters.processing import request, until_published, with_pending
from tests.fakes.facebook import OTHER_PAGE_ID, PAGE_ID, PAGE_NAME, PAGE_TOKEN, USER_TOKEN
from tests.fakes.running import RunningFake


async def test_verify_picks_the_page_and_learns_its_token(make_adapter: MakeAdapter) -> None:
    adapter = make_adapter()
    profile = await adapter.verify()
    assert (profile.platform_user_id, profile.username) == (PAGE_ID, PAGE_NAME)
    assert adapter.updated_credentials() == {**USER, "page_access_token": PAGE_TOKEN, "page_name": PAGE_NAME}


async def test_a_page_the_user_may_not_post_on_or_does_not_manage_is_refused(make_adapter: MakeAdapter) -> None:
    with pytest.raises(Rejected, match="Create content"):
        await make_adapter({"access_token": USER_TOKEN, "page_id": OTHER_PAGE_ID}).verify()
    with pytest.raises(Rejected, match=f"the Pages it manages: .*{PAGE_NAME}"):
        await make_adapter({"access_token": USER_TOKEN, "page_id": "999"}).verify()


async def test_a_text_post_as_the_page(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    ref = await make_adapter().publish(request("Fresh bread at 8"))
    assert isinstance(ref, PublishedRef)
    assert ref.id.startswith(f"{PAGE_ID}_")
    [item] = items(fake)
    assert ref.url == item["permalink_url"]
    assert [c["text"] for c in fake.created()] == ["Fresh bread at 8"]


async def test_stored_page_credentials_post_without_the_user_token(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    adapter = make_adapter({"page_access_token": PAGE_TOKEN, "page_id": PAGE_ID})
    assert (await adapter.verify()).username == PAGE_NAME
    assert isinstance(await adapter.publish(request("with the page token")), PublishedRef)


async def test_photos_are_uploaded_unpublished_and_attached(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    ref = await make_adapter().publish(request("three loaves", media=(photo("rye"), photo(), photo("spelt"))))
    assert isinstance(ref, PublishedRef)
    photos = fake.control("GET", "photos")
    assert [(p["published"], p["alt_text"], p["attached_to"]) for p in photos] == [
        (False, "rye", ref.id),
        (False, None, ref.id),
        (False, "spelt", ref.id),
    ]
    [item] = items(fake)
    assert item["photos"] == [p["id"] for p in photos]
    assert len(fake.created()) == 1  # the photos are no posts of their own


async def test_a_video_goes_through_processing_then_is_the_post(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    fake.control("PUT", "settings", {"video_polls": 3})
    ref, pendings = await until_published(make_adapter(), request("the oven, live", media=(video(),)))
    assert pendings == 4  # the upload's Pending, then three reads still processing
    [uploaded] = fake.control("GET", "videos")
    assert (uploaded["state"], uploaded["status_reads"], uploaded["description"]) == ("ready", 4, "the oven, live")
    assert ref.id == uploaded["id"]
    assert ref.url == f"https://www.facebook.com/{PAGE_ID}/videos/{ref.id}/"
    assert len(fake.created()) == 1


async def test_a_crash_during_processing_resumes_from_the_handle(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    fake.control("PUT", "settings", {"video_polls": 1})
    first = request("resumed", media=(video(),))
    answer = await make_adapter().publish(first)
    assert isinstance(answer, Pending)
    fresh = make_adapter({"page_access_token": PAGE_TOKEN, "page_id": PAGE_ID})  # another worker, after a restart
    again = await fresh.publish(with_pending(first, answer.handle))
    assert isinstance(again, Pending)
    ref = await fresh.publish(with_pending(first, again.handle))
    assert isinstance(ref, PublishedRef)
    assert [c["id"] for c in fake.created()] == [ref.id]


async def test_a_video_facebook_cannot_process_is_refused_with_its_reason(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    fake.control("PUT", "settings", {"video_polls": 0, "fail_video": True})
    with pytest.raises(MediaRejected, match="stream is unreadable"):
        await until_published(make_adapter(), request("broken", media=(video(),)))


async def test_a_file_that_is_no_video_is_media_rejected(make_adapter: MakeAdapter) -> None:
    with pytest.raises(MediaRejected, match="352"):
        await make_adapter().publish(request("not a video", media=(video(b"plain text, not mp4"),)))


async def test_a_thread_is_comments_on_the_main_post(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter()
    main = await adapter.publish(request("main"))
    assert isinstance(main, PublishedRef)
    replies = [await adapter.publish(request(t, index=i, root=main)) for i, t in enumerate(["two", "three"], 1)]
    assert [c["reply_to"] for c in fake.created()] == [None, main.id, main.id]
    for reply in replies:
        assert isinstance(reply, PublishedRef)
        assert reply.url.startswith(main.url + "?comment_id=")


async def test_delete_removes_comments_and_posts_and_repeats_quietly(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    adapter = make_adapter()
    main = await adapter.publish(request("to be deleted"))
    assert isinstance(main, PublishedRef)
    comment = await adapter.publish(request("a comment", index=1, root=main))
    assert isinstance(comment, PublishedRef)
    await adapter.delete(comment)
    await adapter.delete(main)
    await adapter.delete(main)
    assert [i["deleted"] for i in items(fake)] == [True, True]


def test_facebook_declares_finding_a_delivery_and_deleting() -> None:
    from adapters.base import DeletesPost, FindsDelivery, PersistsSession

    assert issubclass(FacebookAdapter, FindsDelivery)
    assert issubclass(FacebookAdapter, DeletesPost)
    assert issubclass(FacebookAdapter, PersistsSession)
