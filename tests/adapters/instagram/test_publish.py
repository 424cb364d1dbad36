"""Instagram posts through their containers against the Instagram fake: an image with alt text and its thread as
comments, a reel, a mixed carousel (items first), each through several Pending steps while the fake's containers
process, media fetched by the fake from our media server, permalinks as post URLs."""

from __future__ import annotations

import pytest

from adapters.base import MediaItem, MediaRejected, Rejected
from tests.adapters.instagram.support import (
    JPEG,
    MakeAdapter,
    comments,
    containers,
    published,
    request,
    served,
)
from tests.adapters.pending import drive
from tests.fakes.running import RunningFake
from tests.peers.media_server import MediaServer


async def test_an_image_post_and_its_thread_as_comments(
    make_adapter: MakeAdapter, fake: RunningFake, media_server: MediaServer
) -> None:
    fake.control("PUT", "processing", {"polls": 3})
    adapter = make_adapter()
    image = served(media_server, "one.jpg", "image", alt="A red square on white")

    driven = await drive(adapter, request("Launch day #octopost", media=(image,)))
    main = driven.ref
    first = await adapter.publish(request("more in the comments", index=1, root=main))
    second = await adapter.publish(request("and the last word", index=2, root=main))

    (container,) = containers(fake)
    assert container["fields"] == {
        "image_url": image.public_url,
        "alt_text": "A red square on white",
        "caption": "Launch day #octopost",
    }
    assert container["status_polls"] == 3
    assert len(driven.handles) == 3
    assert media_server.hits["/instagram/one.jpg"] == 1
    (post,) = published(fake)
    assert (main.id, main.url) == (post["id"], post["permalink"])
    assert main.url.startswith("https://www.instagram.com/p/")
    assert [(c["media"], c["message"]) for c in comments(fake)] == [
        (main.id, "more in the comments"),
        (main.id, "and the last word"),
    ]
    assert [getattr(ref, "url", None) for ref in (first, second)] == [main.url, main.url]
    assert [(c["text"], c["reply_to"]) for c in fake.created()] == [
        ("Launch day #octopost", None),
        ("more in the comments", main.id),
        ("and the last word", main.id),
    ]


async def test_a_video_is_a_reel(make_adapter: MakeAdapter, fake: RunningFake, media_server: MediaServer) -> None:
    video = served(media_server, "clip.mp4", "video")

    driven = await drive(make_adapter(), request("a reel", media=(video,)))

    (container,) = containers(fake)
    assert (container["media_type"], container["fields"]["video_url"]) == ("REELS", video.public_url)
    assert driven.waits[0] == 30.0
    assert len(fake.created()) == 1


async def test_a_carousel_makes_its_items_first(
    make_adapter: MakeAdapter, fake: RunningFake, media_server: MediaServer
) -> None:
    items = (served(media_server, "c1.jpg", "image", alt="first"), served(media_server, "c2.mp4", "video"))

    await drive(make_adapter(), request("two things", media=items))

    image, video, carousel = containers(fake)
    assert [image["is_carousel_item"], video["is_carousel_item"]] == [True, True]
    assert (image["fields"]["alt_text"], video["media_type"]) == ("first", "VIDEO")
    assert (carousel["media_type"], carousel["children"]) == ("CAROUSEL", [image["id"], video["id"]])
    assert carousel["fields"]["caption"] == "two things"
    assert len(fake.created()) == 1


async def test_a_post_without_media_is_refused_before_anything_is_sent(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    with pytest.raises(Rejected, match="needs an image or a video"):
        await make_adapter().publish(request("text alone"))
    assert containers(fake) == []


async def test_an_image_that_is_not_jpeg_where_instagram_fetches_it_is_refused(
    make_adapter: MakeAdapter, fake: RunningFake, media_server: MediaServer
) -> None:
    image = served(media_server, "really.png", "image", served_as="image/png")

    with pytest.raises(MediaRejected, match=r"image format is not supported.*\[code 36001/2207005\]"):
        await make_adapter().publish(request("png", media=(image,)))

    assert containers(fake) == []


async def test_an_unreachable_image_is_refused_and_a_png_never_sent(
    make_adapter: MakeAdapter, fake: RunningFake, media_server: MediaServer
) -> None:
    missing = media_server.add("/instagram/here.jpg", JPEG, "image/jpeg").replace("here.jpg", "missing.jpg")
    gone = MediaItem(data=JPEG, content_type="image/jpeg", kind="image", public_url=missing)
    with pytest.raises(MediaRejected, match=r"Media download has failed.*\[code 9004/2207052\]"):
        await make_adapter().publish(request("gone", media=(gone,)))

    png = MediaItem(data=JPEG, content_type="image/png", kind="image", public_url=missing)
    with pytest.raises(MediaRejected, match="image 1 is image/png; accepted: image/jpeg"):
        await make_adapter().publish(request("png", media=(png,)))
    assert containers(fake) == []


async def test_a_video_instagram_cannot_fetch_fails_its_container(
    make_adapter: MakeAdapter, fake: RunningFake, media_server: MediaServer
) -> None:
    video = served(media_server, "text.mp4", "video", served_as="text/plain")

    with pytest.raises(MediaRejected, match=r"Instagram could not process the media \(Error: Media download"):
        await drive(make_adapter(), request("broken reel", media=(video,)))

    assert fake.created() == []
