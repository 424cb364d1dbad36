"""Threads posts through their containers against the Threads fake: a native-reply thread, an image with alt
text and a mixed carousel fetched by the fake from our media URLs, each through several Pending steps (the fake's
containers stay IN_PROGRESS for a number of status reads), with permalinks as post URLs."""

from __future__ import annotations

import json

import pytest

from adapters.base import MediaItem, MediaRejected, ReplyPolicy
from tests.adapters.threads.support import MakeAdapter, containers, drive, drive_thread, published, request
from tests.fakes.running import RunningFake
from tests.fakes.threads import USERNAME
from tests.media import make_png
from tests.peers.media_server import MediaServer


def served(media_server: MediaServer, name: str, kind: str, content_type: str, alt: str | None = None) -> MediaItem:
    data = make_png() if kind == "image" else b"\x00\x00\x00\x18ftypmp42" + bytes(64)
    url = media_server.add(f"/threads/{name}", data, content_type)
    return MediaItem(data=data, content_type=content_type, kind=kind, alt_text=alt, public_url=url)  # type: ignore[arg-type]


async def test_a_thread_is_native_replies_each_through_its_container(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    fake.control("PUT", "processing", {"polls": 3})
    adapter = make_adapter()
    texts = ["Launch day 🚀", "part two", "part three"]

    main, *replies = await drive_thread(adapter, texts, reply_policy=ReplyPolicy.FOLLOWING)

    made = containers(fake)
    assert [c["media_type"] for c in made] == ["TEXT"] * 3
    assert [c["status_polls"] for c in made] == [3, 3, 3]  # each read until FINISHED, then published
    assert made[0]["fields"]["reply_control"] == "accounts_you_follow"
    assert "reply_to_id" not in made[0]["fields"]
    assert [c["fields"]["reply_to_id"] for c in made[1:]] == [main.id, replies[0].id]
    assert all("reply_control" not in c["fields"] for c in made[1:])
    assert [(c["text"], c["reply_to"]) for c in fake.created()] == [
        (texts[0], None),
        (texts[1], main.id),
        (texts[2], replies[0].id),
    ]
    assert main.url.startswith(f"https://www.threads.net/@{USERNAME}/post/")
    assert [p["permalink"] for p in published(fake)] == [main.url, *(r.url for r in replies)]


async def test_the_handle_says_where_the_container_stands(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    fake.control("PUT", "processing", {"polls": 2})

    driven = await drive(make_adapter(), request("hello"))

    assert len(driven.handles) == 2  # made (pending), read IN_PROGRESS (pending), read FINISHED → published
    (container,) = containers(fake)
    assert {json.loads(h)["container"] for h in driven.handles} == {container["id"]}
    assert driven.waits == [3.0, 3.0]
    assert container["published_id"] == driven.ref.id


async def test_an_image_with_alt_text_is_fetched_by_threads_from_its_url(
    make_adapter: MakeAdapter, fake: RunningFake, media_server: MediaServer
) -> None:
    image = served(media_server, "one.png", "image", "image/png", alt="A red square")

    driven = await drive(make_adapter(), request("with a picture", media=(image,)))

    (container,) = containers(fake)
    assert container["media_type"] == "IMAGE"
    assert container["fields"]["image_url"] == image.public_url
    assert container["fields"]["alt_text"] == "A red square"
    assert media_server.hits["/threads/one.png"] == 1
    assert driven.waits[0] == 10.0
    assert [c["text"] for c in fake.created()] == ["with a picture"]


async def test_a_carousel_makes_its_items_first_and_publishes_once(
    make_adapter: MakeAdapter, fake: RunningFake, media_server: MediaServer
) -> None:
    items = (
        served(media_server, "c1.png", "image", "image/png"),
        served(media_server, "c2.mp4", "video", "video/mp4"),
    )

    await drive(make_adapter(), request("a carousel", media=items))

    first, second, carousel = containers(fake)
    assert [first["is_carousel_item"], second["is_carousel_item"]] == [True, True]
    assert [first["media_type"], second["media_type"], carousel["media_type"]] == ["IMAGE", "VIDEO", "CAROUSEL"]
    assert carousel["children"] == [first["id"], second["id"]]
    assert [p["children"] for p in published(fake)] == [[first["id"], second["id"]]]
    assert len(fake.created()) == 1


async def test_media_without_a_public_url_is_refused_before_anything_is_made(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    image = MediaItem(data=make_png(), content_type="image/png", kind="image")

    with pytest.raises(MediaRejected, match=r"no public URL.*OCTOPOST_PUBLIC_URL"):
        await make_adapter().publish(request("no url", media=(image,)))

    assert containers(fake) == []


async def test_an_image_threads_cannot_fetch_is_refused_with_its_error(
    make_adapter: MakeAdapter, fake: RunningFake, media_server: MediaServer
) -> None:
    missing = media_server.add("/threads/here.png", make_png(), "image/png").replace("here.png", "missing.png")
    gone = MediaItem(data=make_png(), content_type="image/png", kind="image", public_url=missing)

    with pytest.raises(MediaRejected, match=r"Media download has failed.*\[code 9004/2207052\]"):
        await make_adapter().publish(request("broken", media=(gone,)))

    assert fake.created() == []


async def test_a_video_that_fails_processing_is_refused_with_the_containers_error(
    make_adapter: MakeAdapter, fake: RunningFake, media_server: MediaServer
) -> None:
    served_as_text = served(media_server, "not-a-video.mp4", "video", "text/plain").public_url
    video = MediaItem(data=b"\x00" * 64, content_type="video/mp4", kind="video", public_url=served_as_text)

    with pytest.raises(MediaRejected, match=r"Threads could not process the media \(FAILED_DOWNLOADING_VIDEO\)"):
        await drive(make_adapter(), request("video", media=(video,)))

    assert fake.created() == []
