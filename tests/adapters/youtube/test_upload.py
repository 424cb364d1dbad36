"""The resumable upload against the YouTube fake: the session as the Pending handle, chunks byte-exact, an
interruption resumed from the server's Range, a lost last answer settled by the status query, an expired session
started again, a crash resumed by another adapter from the handle alone, and the thumbnail."""

from __future__ import annotations

import dataclasses
import json

import pytest

from adapters.base import Pending, PublishedRef, Rejected
from adapters.youtube.metadata import YouTubeOptions
from tests.adapters.pending import drive
from tests.adapters.youtube.support import VIDEO_BYTES, MakeAdapter, listing, request, thumbnail, video
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake


def interrupt(fake: RunningFake, chunk: int, fault: str) -> None:
    fake.control("PUT", "interrupt", {"chunk": chunk, "fault": fault})


async def test_a_video_goes_up_in_chunks_behind_a_pending_session(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    driven = await drive(make_adapter(), request("A walk in the park\nWhat we saw."))
    ref, pendings = driven.ref, driven.pendings

    assert len(pendings) == 1  # the session is stored before any byte is sent
    assert json.loads(pendings[0].handle)["step"] == "upload"
    (uploaded,) = listing(fake, "videos")
    assert ref == PublishedRef(id=uploaded["id"], url=f"https://www.youtube.com/watch?v={uploaded['id']}")
    assert uploaded["size"] == len(VIDEO_BYTES)
    assert uploaded["snippet"]["title"] == "A walk in the park"
    assert uploaded["snippet"]["description"] == "A walk in the park\nWhat we saw."
    assert uploaded["status"]["privacyStatus"] == "public"
    assert [s["received"] for s in listing(fake, "sessions")] == [len(VIDEO_BYTES)]
    assert len(fake.created()) == 1


async def test_the_options_shape_the_metadata(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    options = YouTubeOptions(
        title="Our title", privacy_status="unlisted", category_id="22", tags=("park", "walk"), made_for_kids=True
    )
    await drive(make_adapter(), request("first line", options=options))

    (uploaded,) = listing(fake, "videos")
    assert uploaded["snippet"]["title"] == "Our title"
    assert uploaded["snippet"]["categoryId"] == "22"
    assert uploaded["snippet"]["tags"] == ["park", "walk"]
    assert uploaded["status"]["privacyStatus"] == "unlisted"
    assert uploaded["status"]["selfDeclaredMadeForKids"] is True


async def test_an_interrupted_chunk_resumes_from_the_servers_range(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    interrupt(fake, 2, "reset")
    driven = await drive(make_adapter(), request())
    ref, pendings = driven.ref, driven.pendings

    assert [p.handle for p in pendings[1:]] == [pendings[0].handle]  # the same session, resumed
    assert [s["received"] for s in listing(fake, "sessions")] == [len(VIDEO_BYTES)]
    assert [c["id"] for c in fake.created()] == [ref.id]


async def test_a_chunk_the_server_kept_only_part_of_is_sent_on_from_there(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    adapter = make_adapter()
    adapter.uploads.chunk_bytes = 2 * 256 * 1024
    interrupt(fake, 1, "partial")
    driven = await drive(adapter, request())
    ref, pendings = driven.ref, driven.pendings

    assert len(pendings) == 1
    (uploaded,) = listing(fake, "videos")
    assert uploaded["id"] == ref.id
    assert uploaded["size"] == len(VIDEO_BYTES)


async def test_a_backend_error_on_a_chunk_is_an_interruption(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    interrupt(fake, 3, "503")
    pendings = (await drive(make_adapter(), request())).pendings

    assert len(pendings) == 2
    assert len(fake.created()) == 1


async def test_a_lost_answer_to_the_last_chunk_is_settled_by_the_status_query(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    interrupt(fake, 3, "reset_after")  # the server has the whole video; the client never heard so
    driven = await drive(make_adapter(), request())
    ref, pendings = driven.ref, driven.pendings

    assert len(pendings) == 2
    assert [c["id"] for c in fake.created()] == [ref.id]  # exactly one video, never a second upload
    assert len(listing(fake, "sessions")) == 1


async def test_an_expired_session_starts_over(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter()
    first = request()
    started = await adapter.publish(first)
    assert isinstance(started, Pending)
    fake.control("POST", "expire_sessions")

    again = await adapter.publish(dataclasses.replace(first, pending=started.handle))
    assert isinstance(again, Pending)
    assert again.handle != started.handle
    done = await adapter.publish(dataclasses.replace(first, pending=again.handle))

    assert isinstance(done, PublishedRef)
    assert [s["video_id"] for s in listing(fake, "sessions")] == [None, done.id]
    assert len(fake.created()) == 1


async def test_a_crash_mid_upload_resumes_from_the_handle_alone(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    first = request()
    started = await make_adapter().publish(first)
    assert isinstance(started, Pending)
    interrupt(fake, 2, "reset")
    stopped = await make_adapter().publish(dataclasses.replace(first, pending=started.handle))
    assert isinstance(stopped, Pending)
    (session,) = listing(fake, "sessions")
    assert 0 < session["received"] < len(VIDEO_BYTES)

    # Another process: nothing but the request and the stored handle.
    done = await make_adapter().publish(dataclasses.replace(first, pending=stopped.handle))

    assert isinstance(done, PublishedRef)
    assert [c["id"] for c in fake.created()] == [done.id]


async def test_the_thumbnail_is_set_on_the_video(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    await drive(make_adapter(), request(media=(video(), thumbnail())))

    (uploaded,) = listing(fake, "videos")
    assert uploaded["thumbnail"] == len(thumbnail().data)


async def test_a_failing_thumbnail_keeps_the_video_and_tries_again(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    adapter = make_adapter()
    first = request(media=(video(), thumbnail()))
    started = await adapter.publish(first)
    assert isinstance(started, Pending)
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["500"], fault_paths=["/upload/youtube/v3/thumbnails"]))
    waiting = await adapter.publish(dataclasses.replace(first, pending=started.handle))
    assert isinstance(waiting, Pending)
    assert json.loads(waiting.handle)["step"] == "thumbnail"
    fake.set_conditions(Conditions())

    done = await adapter.publish(dataclasses.replace(first, pending=waiting.handle))

    assert isinstance(done, PublishedRef)
    (uploaded,) = listing(fake, "videos")
    assert uploaded["id"] == done.id
    assert uploaded["thumbnail"] == len(thumbnail().data)
    assert len(fake.created()) == 1


async def test_a_file_changed_since_the_session_began_is_uploaded_anew(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    adapter = make_adapter()
    started = await adapter.publish(request())
    assert isinstance(started, Pending)
    changed = request(media=(video(VIDEO_BYTES + b"more"),))

    driven = await drive(adapter, dataclasses.replace(changed, pending=started.handle))
    ref, pendings = driven.ref, driven.pendings

    assert json.loads(pendings[0].handle)["size"] == len(VIDEO_BYTES) + 4
    assert [s["video_id"] for s in listing(fake, "sessions")] == [None, ref.id]
    assert len(fake.created()) == 1


async def test_an_unreadable_handle_is_never_guessed_at(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    with pytest.raises(Rejected, match="handle is unreadable"):
        await make_adapter().publish(dataclasses.replace(request(), pending="not json"))
    assert listing(fake, "sessions") == []
