"""Taking a Ziik post down, against the Ziik fake: natively (a post's ``unpublish_at`` goes with it as
``publish.unpublish_on``, in Unix seconds, and the engine is told not to schedule a delete of its own), and on demand
(DeletesPost: ``DELETE /content/<id>``; again is a success, another user's item refused, a rate limit with its wait,
no secret in a message). Ziik posts one item per post (thread mode single): there is no reply to delete."""

from __future__ import annotations

import dataclasses
import math
import time
from datetime import UTC, datetime, timedelta

import pytest

from adapters.base import DeletesPost, PublishedRef, RateLimited, Rejected
from adapters.ziik import ZiikAdapter
from tests.adapters.ziik.support import LOGIN, MakeAdapter, contents, only_content, request
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake
from tests.scheduler.flows import wait_for


def test_ziik_unpublishes_natively() -> None:
    assert ZiikAdapter.info.native_unpublish is True


async def test_unpublish_at_goes_with_the_post_as_unpublish_on(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    until = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)

    await make_adapter().publish(dataclasses.replace(request("Canteen closed"), unpublish_at=until))

    item = only_content(fake)
    assert item["request"]["publish"]["unpublish_on"] == int(until.timestamp())
    assert item["request"]["publish"]["unpublish_on"] > item["request"]["publish"]["publish_on"]
    assert item["published"] is True  # until then


async def test_ziik_takes_the_item_down_at_unpublish_on(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    soon = datetime.fromtimestamp(math.ceil(time.time()) + 2, UTC)

    await make_adapter().publish(dataclasses.replace(request("Flash sale"), unpublish_at=soon))

    assert only_content(fake)["published"] is True
    wait_for(lambda: only_content(fake)["published"] is False, timeout=10, what="Ziik taking the item down")
    assert only_content(fake)["deleted"] is False  # taken down by Ziik, not deleted by us


async def test_without_unpublish_at_nothing_is_sent_for_it(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    await make_adapter().publish(request("For good"))

    assert "unpublish_on" not in only_content(fake)["request"]["publish"]


async def test_a_post_whose_unpublish_time_has_passed_is_not_published(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    past = datetime.now(UTC) - timedelta(minutes=1)

    with pytest.raises(Rejected, match="which has passed"):
        await make_adapter().publish(dataclasses.replace(request("Too late"), unpublish_at=past))

    assert contents(fake) == []


async def test_a_post_is_deleted_and_a_repeat_is_a_success(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter()
    assert isinstance(adapter, DeletesPost)
    posted = await adapter.publish(request("Soon gone"))

    await adapter.delete(posted)

    assert only_content(fake)["deleted"] is True
    await adapter.delete(posted)  # 404: an unpublish resumed after a crash repeats its last delete


async def test_another_users_item_is_refused(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    theirs = str(fake.control("POST", "foreign_content")["id"])

    with pytest.raises(Rejected, match="403") as refused:
        await make_adapter().delete(PublishedRef(id=theirs, url=f"https://example.ziik.io/api/content/{theirs}"))

    assert only_content(fake)["deleted"] is False
    assert LOGIN["password"] not in refused.value.message


async def test_a_rate_limited_delete_says_when_to_try_again(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter()
    posted = await adapter.publish(request("Soon gone"))
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["429"], retry_after_seconds=7))

    with pytest.raises(RateLimited) as limited:
        await adapter.delete(posted)

    assert limited.value.retry_after == 7
    assert LOGIN["password"] not in limited.value.message
    assert only_content(fake)["deleted"] is False
