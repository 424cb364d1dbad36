"""Posting on a ColibriSM timeline, against the fake site: a thread as a reply chain with its files, what only the
main post carries (privacy, a poll, a GIF), the draft that uploads wait in, and what our validation refuses before
the site would crop or refuse it."""

from __future__ import annotations

import hashlib

import httpx
import pytest

from adapters.base import Poll, PublishedRef, Rejected, ReplyPolicy, Transient
from adapters.colibri import ColibriAdapter
from adapters.colibri.options import ColibriOptions
from adapters.colibri.posts import post_form
from adapters.validation import PostShape, SegmentShape, decode_options, validate
from tests.adapters.colibri.support import APP_SESSION, MakePosts, drafts, image, posts, request, video
from tests.fakes.colibri import ALICE_SESSION
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake
from tests.media import make_png

INFO = ColibriAdapter.info


async def test_a_thread_is_a_reply_chain_each_post_with_its_own_files(make_posts: MakePosts, fake: RunningFake) -> None:
    adapter = make_posts(APP_SESSION)
    refs: list[PublishedRef] = []
    for index, text in enumerate(["one", "two", "three"]):
        parent = refs[-1] if refs else None
        refs.append(await adapter.publish(request(text, index=index, parent=parent, media=(image(index),))))

    created = fake.created()
    assert [(c["id"], c["text"], c["reply_to"]) for c in created] == [
        (refs[0].id, "one", None),
        (refs[1].id, "two", refs[0].id),
        (refs[2].id, "three", refs[1].id),
    ]
    published = posts(fake)
    assert [p["url"] for p in published] == [r.url for r in refs]  # post_url: the site's own "url"
    assert [r.url for r in refs] == [f"{fake.url}/thread/{r.id}" for r in refs]
    assert [[m["sha256"] for m in p["media"]] for p in published] == [
        [_sha(image(n).data)] for n in range(3)
    ]  # one file each, the segment's own
    assert drafts(fake) == {"7": []}


async def test_a_video_post(make_posts: MakePosts, fake: RunningFake) -> None:
    await make_posts(APP_SESSION).publish(request("a clip", media=(video(),)))

    (post,) = posts(fake)
    assert (post["type"], [m["type"] for m in post["media"]]) == ("video", ["video"])


async def test_privacy_poll_and_gif_go_on_the_main_post_only(make_posts: MakePosts, fake: RunningFake) -> None:
    adapter = make_posts(APP_SESSION)
    poll = Poll(("Tea", "Coffee"), duration_minutes=60)
    main = await adapter.publish(request("Tea or coffee?", poll=poll, reply_policy=ReplyPolicy.MENTIONED))
    await adapter.publish(request("reply", index=1, parent=main, reply_policy=ReplyPolicy.MENTIONED))
    gif = ColibriOptions(gif_url="https://media.example/dance.gif")
    await adapter.publish(request("a GIF", options=gif, reply_policy=ReplyPolicy.FOLLOWERS))

    voted, reply, animated = posts(fake)
    assert (voted["type"], voted["poll"], voted["privacy"]) == ("poll", ["Tea", "Coffee"], "mentioned")
    assert reply["privacy"] == "everyone"  # the site opens every reply to everyone
    assert (animated["type"], animated["gif_src"], animated["privacy"]) == ("gif", gif.gif_url, "followers")


def test_the_publish_form_of_a_reply_carries_only_its_text_and_thread() -> None:
    parent = PublishedRef(id="13", url="https://social.example/thread/13")
    reply = request(
        "reply",
        index=1,
        parent=parent,
        reply_policy=ReplyPolicy.FOLLOWERS,
        options=ColibriOptions(gif_url="https://media.example/a.gif"),
    )
    main = request("main", poll=Poll(("a", "b"), 90), reply_policy=ReplyPolicy.EVERYONE)

    assert post_form(reply) == {"post_text": "reply", "thread_id": "13"}
    assert post_form(main) == {
        "post_text": "main",
        "privacy": "everyone",
        "poll_data": '[{"value": "a"}, {"value": "b"}]',  # no duration: ColibriSM polls never close
    }


async def test_the_site_does_not_check_a_replys_thread_id_so_the_adapter_does(
    make_posts: MakePosts, fake: RunningFake, http: httpx.AsyncClient
) -> None:
    """Straight to the site, a reply to a post that does not exist lands; through the adapter it is refused."""
    orphan = {"session_id": ALICE_SESSION, "post_text": "under nothing", "thread_id": "999"}
    direct = (await http.post(f"{fake.url}/mobile_api/publish_post", data=orphan)).json()
    assert (direct["code"], direct["data"]["thread_id"]) == (200, 999)
    gone = PublishedRef(id="998", url=f"{fake.url}/thread/998")

    with pytest.raises(Rejected, match=r"the post this segment answers \(.*/thread/998\) is not on the site any more"):
        await make_posts(APP_SESSION).publish(request("reply", index=1, parent=gone, media=(image(),)))

    assert [p["text"] for p in posts(fake)] == ["under nothing"]
    assert drafts(fake).get("7", []) == []  # refused before any upload


async def test_uploads_of_two_posts_at_once_would_merge_on_the_site(fake: RunningFake, http: httpx.AsyncClient) -> None:
    """Why the account takes one publish at a time (PlatformInfo.one_publish_at_a_time): the site keeps one draft
    per user, and any publish takes all of it."""
    session = {"session_id": ALICE_SESSION}
    for shade in (1, 2):  # post A's file, then post B's
        files = {"file": (f"{shade}.png", make_png(2, 2, (shade, 0, 0)), "image/png")}
        await http.post(f"{fake.url}/mobile_api/upload_post_media", data={**session, "type": "image"}, files=files)
    await http.post(f"{fake.url}/mobile_api/publish_post", data={**session, "post_text": "post A"})

    (post_a,) = posts(fake)
    assert len(post_a["media"]) == 2  # post B's file went with post A
    assert INFO.one_publish_at_a_time


async def test_files_left_by_a_failed_try_are_deleted_before_the_next_one(
    make_posts: MakePosts, fake: RunningFake
) -> None:
    """A publish surely not made whose files could not be deleted (the site failing): the next try deletes them
    first, so the post carries its files once."""
    adapter = make_posts(APP_SESSION)
    failing = ["/mobile_api/publish_post", "/mobile_api/delete_post_media"]
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["500"], fault_paths=failing))
    segment = request("retried", media=(image(5),))

    with pytest.raises(Transient):
        await adapter.publish(segment)
    assert len(drafts(fake)["7"]) == 1  # still waiting: the deletion failed too
    fake.set_conditions(Conditions())
    await adapter.publish(segment)

    (post,) = posts(fake)
    assert [m["sha256"] for m in post["media"]] == [_sha(image(5).data)]


async def test_the_site_crops_long_texts_silently_so_validation_refuses_them(
    fake: RunningFake, http: httpx.AsyncClient
) -> None:
    long = "é" * 601
    answer = await http.post(
        f"{fake.url}/mobile_api/publish_post", data={"session_id": ALICE_SESSION, "post_text": long}
    )
    assert answer.json()["code"] == 200
    assert posts(fake)[0]["text"] == "é" * 600  # cropped without a word

    assert validate(INFO, PostShape([SegmentShape("é" * 600), SegmentShape("ok")])) == []
    (problem,) = validate(INFO, PostShape([SegmentShape(long)]))
    assert problem.describe() == "colibri: content is 601 characters; the limit is 600 (codepoints)"


@pytest.mark.parametrize(
    ("shape", "problem"),
    [
        pytest.param(
            PostShape([SegmentShape("x")], reply_policy=ReplyPolicy.FOLLOWING),
            "colibri: reply_policy 'following' cannot be applied on ColibriSM (it supports: everyone, followers, "
            "mentioned)",
            id="reply-policy-following",
        ),
        pytest.param(
            PostShape([SegmentShape("x")], reply_policy=ReplyPolicy.NOBODY),
            "colibri: reply_policy 'nobody' cannot be applied",
            id="reply-policy-nobody",
        ),
        pytest.param(
            PostShape([SegmentShape("x", images=1)], poll=Poll(("a", "b"), 5)),
            "colibri: poll cannot go with media on ColibriSM",
            id="poll-with-media",
        ),
        pytest.param(
            PostShape([SegmentShape("x")], poll=Poll(("a" * 101, "b"), 5)),
            "colibri: poll option 1 is 101 characters; the limit is 100",
            id="poll-option-too-long",
        ),
        pytest.param(
            PostShape([SegmentShape("x", images=1)], options=ColibriOptions(gif_url="https://m.example/a.gif")),
            "colibri: platform_options.colibri gif_url cannot go with images or a video on the main post",
            id="gif-with-an-image",
        ),
        pytest.param(
            PostShape([SegmentShape("x")], options=ColibriOptions(gif_url="ftp://m.example/a.gif")),
            "colibri: platform_options.colibri gif_url must be an http(s) URL",
            id="gif-not-a-url",
        ),
        pytest.param(
            PostShape([SegmentShape("x", images=2, videos=1)]),
            "colibri: content cannot carry images and a video together",
            id="images-and-a-video",
        ),
    ],
)
def test_validation_refuses_what_the_site_cannot_take(shape: PostShape, problem: str) -> None:
    found = [v.describe() for v in validate(INFO, shape)]
    assert any(p.startswith(problem) for p in found), found


def test_polls_never_close_so_their_duration_is_not_checked() -> None:
    forever = PostShape([SegmentShape("Which?")], poll=Poll(("a", "b", "c", "d"), duration_minutes=10**7))

    assert validate(INFO, forever) == []
    assert INFO.polls is not None
    assert not INFO.polls.closes


def test_options_of_the_wrong_type_are_refused() -> None:
    assert decode_options(INFO, {"gif_url": "https://m.example/a.gif"}) == ColibriOptions("https://m.example/a.gif")
    with pytest.raises(ValueError, match=r"Expected `str \| null`, got `int` - at `\$.gif_url`"):
        decode_options(INFO, {"gif_url": 5})
    with pytest.raises(ValueError, match="unknown field `gif`"):
        decode_options(INFO, {"gif": "https://m.example/a.gif"})


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
