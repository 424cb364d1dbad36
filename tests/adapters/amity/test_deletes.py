"""Deleting what the Amity adapter posted (DeletesPost), against the Amity fake: the comments of a thread and its main
post soft-deleted (``DELETE /api/v4/comments/{id}`` and ``/api/v4/posts/{id}``; Amity keeps them with ``isDeleted``),
a repeat a success, another user's post refused (400300), a rate limit with its wait (400311), the token never in a
message."""

from __future__ import annotations

import pytest

from adapters.base import DeletesPost, RateLimited, Rejected
from tests.adapters.amity.support import CREDENTIALS, TOKEN, MakeAdapter, Sent, fetch, request
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake


async def test_a_thread_is_deleted_comment_first_and_a_repeat_is_a_success(
    make_adapter: MakeAdapter, fake: RunningFake, sent: Sent
) -> None:
    adapter = make_adapter()
    assert isinstance(adapter, DeletesPost)
    main = await adapter.publish(request("main post"))
    comment = await adapter.publish(request("its comment", index=1, root=main))
    sent.requests.clear()

    await adapter.delete(comment)
    await adapter.delete(main)

    assert sent.steps() == [("DELETE", f"/api/v4/comments/{comment.id}"), ("DELETE", f"/api/v4/posts/{main.id}")]
    assert fetch(fake, f"/api/v3/comments/{comment.id}")["comments"][0]["isDeleted"] is True
    assert fetch(fake, f"/api/v3/posts/{main.id}")["posts"][0]["isDeleted"] is True
    await adapter.delete(comment)  # not found once deleted: an unpublish resumed after a crash
    await adapter.delete(main)


async def test_another_users_post_is_refused(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    theirs = await make_adapter({"access_token": "dave-session-token"}).publish(request("Dave's"))

    with pytest.raises(Rejected, match="Forbidden") as refused:
        await make_adapter().delete(theirs)

    assert fetch(fake, f"/api/v3/posts/{theirs.id}")["posts"][0]["isDeleted"] is False
    assert TOKEN not in refused.value.message


async def test_a_rate_limited_delete_says_when_to_try_again(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter(CREDENTIALS)
    posted = await adapter.publish(request("soon gone"))
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["429"], retry_after_seconds=7))

    with pytest.raises(RateLimited) as limited:
        await adapter.delete(posted)

    assert limited.value.retry_after == 7
    assert TOKEN not in limited.value.message
    fake.set_conditions(Conditions())
    assert fetch(fake, f"/api/v3/posts/{posted.id}")["posts"][0]["isDeleted"] is False
