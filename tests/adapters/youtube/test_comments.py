"""The thread as comments on the video (comment_on_main): the first a top-level comment, the rest replies to it;
delete takes each away (replies first), and again is fine; a lost comment answer is in doubt, never reposted."""

from __future__ import annotations

import pytest

from adapters.base import DeletesPost, OutcomeUnknown, Rejected
from adapters.youtube import YouTubeAdapter
from tests.adapters.pending import drive
from tests.adapters.youtube.support import CREDENTIALS, MakeAdapter, listing, request, thread
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake
from tests.fakes.youtube import UPLOAD_ONLY_TOKEN


async def test_a_thread_is_a_comment_and_replies_under_it(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter()
    await adapter.verify()  # learns the channel id, as a connect does
    video, top, second, third = await thread(adapter, ["the video\nabout it", "first comment", "more", "and more"])

    comments = {c["id"]: c for c in listing(fake, "comments")}
    assert comments[top.id]["parent_id"] is None
    assert comments[top.id]["video_id"] == video.id
    assert [comments[r.id]["parent_id"] for r in (second, third)] == [top.id, top.id]
    assert top.url == f"https://www.youtube.com/watch?v={video.id}&lc={top.id}"
    assert [c["text"] for c in fake.created()] == ["the video", "first comment", "more", "and more"]
    assert adapter.updated_credentials() == {**CREDENTIALS, "channel_id": adapter._channel_id}


async def test_replies_find_their_comment_without_a_stored_channel(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    _, top, reply = await thread(make_adapter(), ["the video", "first", "second"])

    assert {c["id"]: c["parent_id"] for c in listing(fake, "comments")}[reply.id] == top.id


async def test_delete_takes_comments_then_the_video_and_again_is_fine(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    adapter = make_adapter()
    assert isinstance(adapter, DeletesPost)
    refs = await thread(adapter, ["the video", "a comment", "a reply"])

    for ref in reversed(refs):
        await adapter.delete(ref)
    for ref in reversed(refs):
        await adapter.delete(ref)  # an unpublish resumed after a crash repeats its last delete

    assert listing(fake, "videos") == []
    assert listing(fake, "comments") == []


async def test_a_lost_comment_answer_is_in_doubt(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter()
    main = (await drive(adapter, request())).ref
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["reset_after"], fault_paths=["/youtube/v3/commentThreads"]))

    with pytest.raises(OutcomeUnknown, match="YouTube comment: no answer after the request was sent"):
        await adapter.publish(request("a comment", index=1, root=main))

    assert [c["text"] for c in fake.created()][1:] == ["a comment"]  # it landed once; nothing is sent again


async def test_comments_need_the_force_ssl_scope(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter: YouTubeAdapter = make_adapter({"access_token": UPLOAD_ONLY_TOKEN})
    main = (await drive(adapter, request())).ref

    with pytest.raises(Rejected, match="insufficientPermissions"):
        await adapter.publish(request("a comment", index=1, root=main))
    assert len(fake.created()) == 1
