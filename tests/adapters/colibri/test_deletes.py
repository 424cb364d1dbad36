"""Deleting what the ColibriSM messages adapter sent (DeletesPost: ``delete_message``, as the site's API reference
documents it), against the fake site: a conversation's messages gone, a repeat a success ("A message with this ID was
not found"), a message of another conversation left alone, the site's rate limit with its wait, the session never in
a message. ColibriSM posts have no documented delete: ColibriAdapter is not DeletesPost."""

from __future__ import annotations

import pytest

from adapters.base import DeletesPost, PublishedRef, RateLimited
from adapters.colibri import ColibriAdapter
from adapters.colibri.options import ColibriMessageOptions
from tests.adapters.colibri.support import APP_SESSION, MakeMessages, messages, request
from tests.fakes.colibri import ALICE_SESSION, BOB
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake

TO_BOB = ColibriMessageOptions(recipient_id=BOB.id)


def test_posts_cannot_be_deleted_through_the_documented_api() -> None:
    assert not issubclass(ColibriAdapter, DeletesPost)


async def test_a_conversations_messages_are_deleted_and_a_repeat_is_a_success(
    make_messages: MakeMessages, fake: RunningFake
) -> None:
    adapter = make_messages(APP_SESSION)
    assert isinstance(adapter, DeletesPost)
    first = await adapter.publish(request("hello", options=TO_BOB))
    second = await adapter.publish(request("bye", index=1, parent=first, options=TO_BOB))
    kept = await adapter.publish(request("this one stays", options=TO_BOB))

    await adapter.delete(second)
    await adapter.delete(first)

    assert [str(m["id"]) for m in messages(fake)] == [kept.id]
    await adapter.delete(second)  # not found: an unpublish resumed after a crash repeats its last delete
    await adapter.delete(first)


async def test_an_id_that_is_not_the_accounts_deletes_nothing(make_messages: MakeMessages, fake: RunningFake) -> None:
    adapter = make_messages(APP_SESSION)
    kept = await adapter.publish(request("stays", options=TO_BOB))

    await adapter.delete(PublishedRef(id=str(int(kept.id) + 1000), url=f"{fake.url}/conversation/@bob"))

    assert [str(m["id"]) for m in messages(fake)] == [kept.id]


async def test_a_rate_limited_delete_says_when_to_try_again(make_messages: MakeMessages, fake: RunningFake) -> None:
    adapter = make_messages(APP_SESSION)
    posted = await adapter.publish(request("soon gone", options=TO_BOB))
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["429"], retry_after_seconds=7))

    with pytest.raises(RateLimited) as limited:
        await adapter.delete(posted)

    assert limited.value.retry_after == 7
    assert ALICE_SESSION not in limited.value.message
    fake.set_conditions(Conditions())
    assert [str(m["id"]) for m in messages(fake)] == [posted.id]
