"""The LinkedIn adapter against the strict fake over real HTTP: a member's and an organization's posts, the
little-text-format escaping that keeps text whole, images (one, multi-image), a video through the processing step
(parts, ETags, PROCESSING → AVAILABLE), a thread as comments on the main post, and deletes."""

from __future__ import annotations

import httpx
import pytest

from adapters.base import MediaRejected, OutcomeUnknown, Pending, PublishedRef, Rejected
from adapters.linkedin.text import MAX_COMMENTARY_CHARS, RESERVED
from tests.adapters.linkedin.support import (
    MEMBER,
    ORGANIZATION,
    PNG,
    VIDEO,
    MakeAdapter,
    Sent,
    image,
    posts,
    settings,
    uploads,
    video,
)
from tests.adapters.processing import request, until_published, with_pending
from tests.fakes.core import Conditions
from tests.fakes.linkedin import MEMBER_TOKEN, MEMBERS, ORG_ID
from tests.fakes.running import RunningFake

MEMBER_URN = f"urn:li:person:{MEMBERS[MEMBER_TOKEN].sub}"
ORG_URN = f"urn:li:organization:{ORG_ID}"


async def test_verify_names_the_member_and_learns_its_id(make_adapter: MakeAdapter, sent: Sent) -> None:
    adapter = make_adapter()
    profile = await adapter.verify()
    assert profile.platform_user_id == MEMBER_URN
    assert profile.display_name == "Ada Member"
    assert adapter.updated_credentials() == {**MEMBER, "person_id": MEMBERS[MEMBER_TOKEN].sub}
    assert [r.path for r in sent.requests] == ["/v2/userinfo"]


async def test_a_text_post_as_the_member_with_linkedins_headers(
    make_adapter: MakeAdapter, fake: RunningFake, sent: Sent
) -> None:
    ref = await make_adapter().publish(request("Hello LinkedIn"))
    assert isinstance(ref, PublishedRef)
    assert ref.id.startswith("urn:li:share:")
    assert ref.url == f"https://www.linkedin.com/feed/update/{ref.id}/"
    [post] = posts(fake)
    assert (post["author"], post["shown"], post["truncated"]) == (MEMBER_URN, "Hello LinkedIn", False)
    [call] = sent.to("/rest/posts")
    assert call.headers["x-restli-protocol-version"] == "2.0.0"
    assert len(call.headers["linkedin-version"]) == 6
    assert call.headers["authorization"] == f"Bearer {MEMBER_TOKEN}"


async def test_a_text_full_of_reserved_characters_is_shown_whole_at_the_limit(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    reserved = "".join(sorted(RESERVED))
    text = (reserved * (MAX_COMMENTARY_CHARS // len(reserved) + 1))[:MAX_COMMENTARY_CHARS]
    ref = await make_adapter().publish(request(text))
    assert isinstance(ref, PublishedRef)
    [post] = posts(fake)
    assert post["shown"] == text
    assert post["truncated"] is False
    assert len(post["commentary"]) == 2 * MAX_COMMENTARY_CHARS  # every character escaped on the wire
    assert fake.created()[0]["text"] == text


def test_the_fake_cuts_an_unescaped_reserved_character_as_linkedin_does(fake: RunningFake) -> None:
    """What the escaping protects against: raw "@" or "#" and the text after them is lost."""
    body = {
        "author": MEMBER_URN,
        "commentary": "Hello @world (and #more)",
        "visibility": "PUBLIC",
        "distribution": {"feedDistribution": "MAIN_FEED"},
        "lifecycleState": "PUBLISHED",
    }
    headers = {
        "Authorization": f"Bearer {MEMBER_TOKEN}",
        "LinkedIn-Version": "202511",
        "X-Restli-Protocol-Version": "2.0.0",
    }
    response = httpx.post(f"{fake.url}/rest/posts", json=body, headers=headers)
    assert response.status_code == 201
    [post] = posts(fake)
    assert (post["shown"], post["truncated"]) == ("Hello ", True)


async def test_one_image_and_a_multi_image_post(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter()
    one = await adapter.publish(request("one picture", media=(image("a chart"),)))
    many = await adapter.publish(request("three pictures", media=(image("1"), image("2"), image("3", PNG * 2))))
    assert isinstance(one, PublishedRef)
    assert isinstance(many, PublishedRef)
    first, second = posts(fake)
    assert first["content"]["media"]["altText"] == "a chart"
    assert first["content"]["media"]["id"].startswith("urn:li:image:")
    images = second["content"]["multiImage"]["images"]
    assert [i["altText"] for i in images] == ["1", "2", "3"]
    received = {u["urn"]: u["received"] for u in uploads(fake)}
    assert [received[i["id"]] for i in images] == [len(PNG), len(PNG), 2 * len(PNG)]
    assert all(u["owner"] == MEMBER_URN for u in uploads(fake))


async def test_a_video_goes_through_processing_then_posts_once(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    settings(fake, part_size=1000, processing_polls=3)
    first = request("a video", media=(video(),))
    ref, pendings = await until_published(make_adapter(), first)
    assert pendings == 4  # the upload's Pending, then three status reads still PROCESSING
    [upload] = uploads(fake)
    assert upload["parts"] == [0, 1, 2, 3]
    assert upload["received"] == len(VIDEO)
    assert len(set(upload["etags"])) == 4
    assert upload["status"] == "AVAILABLE"
    assert upload["status_reads"] == 4
    [post] = posts(fake)
    assert post["content"]["media"]["id"] == upload["urn"]
    assert post["urn"] == ref.id
    assert len(fake.created()) == 1


async def test_a_crash_during_processing_resumes_from_the_handle(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    settings(fake, part_size=1000, processing_polls=1)
    first = request("resumed video", media=(video(),))
    answer = await make_adapter().publish(first)
    assert isinstance(answer, Pending)
    # The process dies; a new adapter (a new worker) gets the request with the handle from the ledger.
    fresh = make_adapter()
    again = await fresh.publish(with_pending(first, answer.handle))
    assert isinstance(again, Pending)
    ref = await fresh.publish(with_pending(first, again.handle))
    assert isinstance(ref, PublishedRef)
    assert len(uploads(fake)) == 1  # not uploaded again
    assert [c["id"] for c in fake.created()] == [ref.id]


async def test_a_video_linkedin_cannot_process_is_refused(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    settings(fake, part_size=1000, processing_polls=0, fail_processing=True)
    with pytest.raises(MediaRejected, match="PROCESSING_FAILED"):
        await until_published(make_adapter(), request("broken", media=(video(),)))
    assert fake.created() == []


async def test_a_thread_is_comments_on_the_main_post(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter()
    main = await adapter.publish(request("main post"))
    assert isinstance(main, PublishedRef)
    replies = [
        await adapter.publish(request(text, index=i, root=main)) for i, text in enumerate(["two", "three (3)"], 1)
    ]
    created = fake.created()
    assert [c["text"] for c in created] == ["main post", "two", "three (3)"]
    assert [c["reply_to"] for c in created] == [None, main.id, main.id]
    for reply in replies:
        assert isinstance(reply, PublishedRef)
        assert reply.id.startswith(f"urn:li:comment:({main.id},")
        assert reply.url.startswith(main.url + "?commentUrn=")


async def test_an_organization_posts_as_itself(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter(ORGANIZATION)
    profile = await adapter.verify()
    assert profile.platform_user_id == ORG_URN
    ref = await adapter.publish(request("from the company", media=(image(),)))
    assert isinstance(ref, PublishedRef)
    [post] = posts(fake)
    assert post["author"] == ORG_URN
    assert uploads(fake)[0]["owner"] == ORG_URN


async def test_a_member_who_does_not_administer_the_organization_is_refused(make_adapter: MakeAdapter) -> None:
    adapter = make_adapter({**MEMBER, "organization_id": ORG_ID})
    with pytest.raises(Rejected, match="ACCESS_DENIED"):
        await adapter.publish(request("not mine"))


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
    await adapter.delete(main)  # an unpublish resumed after a crash
    assert posts(fake)[0]["deleted"] is True
    assert [c["deleted"] for c in fake.control("GET", "comments")] == [True]


async def test_a_lost_video_post_answer_is_settled_by_the_handle_without_a_second_post(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    settings(fake, part_size=1000, processing_polls=0)
    first = request("a video whose answer is lost", media=(video(),))
    adapter = make_adapter()
    answer = await adapter.publish(first)
    assert isinstance(answer, Pending)
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["reset_after"], fault_paths=["/rest/posts"]))
    with pytest.raises(OutcomeUnknown):
        await adapter.publish(with_pending(first, answer.handle))
    fake.set_conditions(Conditions())
    ref = await adapter.publish(with_pending(first, answer.handle))  # the engine, again with the same handle
    assert isinstance(ref, PublishedRef)
    assert [c["id"] for c in fake.created()] == [ref.id]
