"""Threads containers across interruptions: an expired container made again from the request, a publish whose
answer was lost settled by the container's PUBLISHED status (never a second post), and a resume from the handle
alone by a new adapter (a crash of the whole process)."""

from __future__ import annotations

import json

import pytest

from adapters.base import MediaItem, OutcomeUnknown, Pending
from tests.adapters.pending import continued
from tests.adapters.threads.support import PUBLISH, MakeAdapter, containers, drive, published, request
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake
from tests.media import make_png
from tests.peers.media_server import MediaServer


async def test_an_expired_container_is_made_again_and_published_once(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    adapter = make_adapter()
    segment = request("made twice, posted once")
    first = continued(segment, await adapter.publish(segment))
    fake.control("POST", "expire", {})

    again = await adapter.publish(first)

    assert isinstance(again, Pending)
    old, new = containers(fake)
    assert old["status"] == "EXPIRED"
    assert json.loads(again.handle)["container"] == new["id"]
    driven = await drive(adapter, continued(segment, again))
    assert [c["text"] for c in fake.created()] == ["made twice, posted once"]
    (post,) = published(fake)
    assert (post["container"], post["id"]) == (new["id"], driven.ref.id)


async def test_a_lost_publish_answer_is_settled_by_the_containers_status(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    fake.control("PUT", "processing", {"polls": 1})
    adapter = make_adapter()
    segment = request("the answer got lost")
    ready = continued(segment, await adapter.publish(segment))
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["reset_after"], fault_paths=[PUBLISH]))

    with pytest.raises(OutcomeUnknown, match="Threads publish"):
        await adapter.publish(ready)  # FINISHED → threads_publish, applied, its answer lost

    fake.set_conditions(Conditions())
    settled = await adapter.publish(ready)  # the engine's next call, with the same handle

    (post,) = published(fake)
    assert not isinstance(settled, Pending)
    assert (settled.id, settled.url) == (post["id"], post["permalink"])
    assert len(fake.created()) == 1
    assert fake.stats().get("fault_reset_after") == 1


async def test_a_reply_whose_publish_answer_was_lost_is_found_among_the_replies(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    fake.control("PUT", "processing", {"polls": 1})
    adapter = make_adapter()
    main = (await drive(adapter, request("main"))).ref
    segment = request("the reply", index=1, parent=main)
    ready = continued(segment, await adapter.publish(segment))
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["reset_after"], fault_paths=[PUBLISH]))
    with pytest.raises(OutcomeUnknown):
        await adapter.publish(ready)
    fake.set_conditions(Conditions())

    settled = await adapter.publish(ready)

    reply = published(fake)[1]
    assert not isinstance(settled, Pending)
    assert settled.id == reply["id"]
    assert reply["reply_to"] == main.id
    assert len(fake.created()) == 2


async def test_a_new_adapter_resumes_from_the_handle_alone(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    fake.control("PUT", "processing", {"polls": 3})
    segment = request("resumed after a crash")
    handle = continued(segment, await make_adapter().publish(segment))

    driven = await drive(make_adapter(), handle)  # another process: nothing but the ledger's handle

    (container,) = containers(fake)
    assert container["published_id"] == driven.ref.id
    assert len(fake.created()) == 1


async def test_an_expired_carousel_item_makes_the_carousel_again(
    make_adapter: MakeAdapter, fake: RunningFake, media_server: MediaServer
) -> None:
    items = tuple(
        MediaItem(
            data=make_png(),
            content_type="image/png",
            kind="image",
            public_url=media_server.add(f"/r/{n}.png", make_png(), "image/png"),
        )
        for n in range(2)
    )
    adapter = make_adapter()
    segment = request("carousel", media=items)
    waiting = continued(segment, await adapter.publish(segment))
    first_items = json.loads(waiting.pending or "")["children"]
    fake.control("POST", "expire", {"container": first_items[0]})

    driven = await drive(adapter, waiting)

    made = containers(fake)
    assert len(made) == 5  # two items, two items again, one carousel
    (post,) = published(fake)
    assert post["children"] == [made[2]["id"], made[3]["id"]]
    assert post["id"] == driven.ref.id
