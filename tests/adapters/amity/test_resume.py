"""What makes an Amity resend safe: the ids we choose before the call. A segment sent before a crash is found by its
id (FindsDelivery), a create that meets "already exists" returns what the earlier try made, and an answer lost
after Amity applied a post is in doubt until the lookup settles it."""

from __future__ import annotations

import pytest

from adapters.base import FindsDelivery, OutcomeUnknown, Rejected, Transient
from tests.adapters.amity.support import MakeAdapter, Sent, request
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake
from tests.media import png


async def test_find_published_looks_a_post_and_a_comment_up_by_the_ids_we_gave_them(
    make_adapter: MakeAdapter, sent: Sent
) -> None:
    adapter = make_adapter()
    assert isinstance(adapter, FindsDelivery)
    first = request("the main post")
    main = await adapter.publish(first)
    reply = request("a comment", index=1, root=main)
    comment = await adapter.publish(reply)
    sent.requests.clear()

    assert await adapter.find_published(first) == main
    assert await adapter.find_published(reply) == comment
    assert await adapter.find_published(request("never sent")) is None
    assert await adapter.find_published(request("never sent either", index=1, root=main)) is None
    assert sent.steps()[:2] == [("GET", f"/api/v3/posts/{main.id}"), ("GET", f"/api/v3/comments/{comment.id}")]


async def test_a_resend_meets_already_exists_and_returns_the_first_post_and_comment(
    make_adapter: MakeAdapter, fake: RunningFake, sent: Sent
) -> None:
    adapter = make_adapter()
    first = request("only once", media=(png(),))
    main = await adapter.publish(first)
    reply = request("a comment, once", index=1, root=main)
    comment = await adapter.publish(reply)

    assert await adapter.publish(first) == main
    assert await adapter.publish(reply) == comment

    assert [c["id"] for c in fake.created()] == [main.id, comment.id]
    assert sent.steps()[-2:] == [("POST", "/api/v3/comments"), ("GET", f"/api/v3/comments/{comment.id}")]


async def test_already_exists_for_an_id_that_is_not_there_stays_a_refusal(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    """Should Amity answer 400315 for something else, the lookup finds nothing and the refusal stands."""
    fake.control("PUT", "next_error", {"status": 403, "code": 400315, "message": "Data already exists"})

    with pytest.raises(Rejected, match=r"Amity post was rejected \(403\): Data already exists"):
        await make_adapter({"access_token": "t", "user_id": "u"}).publish(request("taken?"))


@pytest.mark.parametrize("fault", ["reset_after", "reset"])
async def test_a_lost_answer_is_in_doubt_and_the_lookup_settles_it(
    make_adapter: MakeAdapter, fake: RunningFake, fault: str
) -> None:
    """``reset_after``: Amity created the post and the answer was lost; ``reset``: it never got there. The adapter
    cannot tell (OutcomeUnknown); looking the id up can, and a resend under the same id leaves one post."""
    adapter = make_adapter()
    segment = request("in doubt")
    await adapter.verify()  # the user is known: the fault hits the post itself
    fake.set_conditions(Conditions(fault_rate=1.0, faults=[fault], fault_paths=["/api/v4/posts"]))

    with pytest.raises(OutcomeUnknown, match="Amity post: no answer after the request was sent"):
        await adapter.publish(segment)

    fake.set_conditions(Conditions())
    found = await adapter.find_published(segment)
    assert (found is not None) == (fault == "reset_after")
    posted = found or await adapter.publish(segment)
    assert await adapter.publish(segment) == posted  # and any further resend meets it
    assert [(c["id"], c["text"]) for c in fake.created()] == [(segment.idempotency_key, "in doubt")]


async def test_a_lost_upload_answer_is_only_transient(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    """An upload makes nothing anyone sees: retrying it costs an unused file, never a duplicate post."""
    adapter = make_adapter()
    await adapter.verify()
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["reset_after"], fault_paths=["/api/v4/images"]))

    with pytest.raises(Transient, match="Amity image upload failed"):
        await adapter.publish(request("with a picture", media=(png(),)))

    fake.set_conditions(Conditions())
    await adapter.publish(request("with a picture", media=(png(),)))
    assert [c["text"] for c in fake.created()] == ["with a picture"]
