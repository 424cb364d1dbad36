"""The Facebook adapter's failures against the Graph fake: the codes classified (190 auth; 4/17/32/613 rate with
Meta's regain time; 368 blocked; 1/2 transient), a lost post answer found in the feed, a retry answered 506 settled
as the first post, the limits as data, and secrets kept out of reprs and messages."""

from __future__ import annotations

import httpx
import pytest

from adapters.base import OutcomeUnknown, PublishedRef, RateLimited, ReauthRequired, Rejected, Transient
from adapters.facebook import FacebookAdapter
from adapters.validation import PostShape, SegmentShape, validate
from tests.adapters.facebook.support import MakeAdapter, next_error, photo
from tests.adapters.processing import request
from tests.fakes.core import Conditions
from tests.fakes.facebook import EXPIRED_TOKEN, PAGE_ID, PAGE_TOKEN
from tests.fakes.running import RunningFake


@pytest.mark.parametrize("code", [4, 17, 32, 613])
async def test_rate_limits_wait_for_metas_regain_time(make_adapter: MakeAdapter, fake: RunningFake, code: int) -> None:
    next_error(fake, "feed", code)
    with pytest.raises(RateLimited) as caught:
        await make_adapter().publish(request("throttled"))
    assert caught.value.retry_after == 7 * 60  # estimated_time_to_regain_access, in minutes
    assert fake.created() == []


async def test_a_blocked_page_is_rejected_with_metas_words(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    next_error(fake, "feed", 368)
    with pytest.raises(Rejected, match="temporarily blocked from posting"):
        await make_adapter().publish(request("blocked"))


@pytest.mark.parametrize("code", [1, 2])
async def test_metas_own_failures_are_transient(make_adapter: MakeAdapter, fake: RunningFake, code: int) -> None:
    next_error(fake, "feed", code)
    with pytest.raises(Transient):
        await make_adapter().publish(request("later"))


async def test_an_expired_token_needs_a_reconnect(make_adapter: MakeAdapter) -> None:
    with pytest.raises(ReauthRequired, match="190") as caught:
        await make_adapter({"page_access_token": EXPIRED_TOKEN, "page_id": PAGE_ID}).publish(request("x"))
    assert EXPIRED_TOKEN not in str(caught.value)


async def test_the_users_own_token_cannot_post_on_the_page(fake: RunningFake) -> None:
    """Why verify() takes the Page token: Graph refuses Page posts made with the user's token (#200)."""
    async with httpx.AsyncClient() as http:
        answer = await http.post(
            f"{fake.url}/v21.0/{PAGE_ID}/feed",
            data={"message": "as the user"},
            headers={"Authorization": "Bearer EAAfake-user-token"},
        )
    assert answer.json()["error"]["code"] == 200


async def test_a_lost_post_answer_is_found_in_the_feed(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter()
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["reset_after"], fault_paths=["/{id}/feed"]))
    lost = request("did it land?", media=(photo(),))
    with pytest.raises(OutcomeUnknown):
        await adapter.publish(lost)
    fake.set_conditions(Conditions())
    found = await adapter.find_published(lost)
    assert found is not None
    assert [c["id"] for c in fake.created()] == [found.id]


async def test_a_retry_answered_506_returns_the_first_post(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter()
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["reset_after"], fault_paths=["/{id}/feed"]))
    first = request("posted once")
    with pytest.raises(OutcomeUnknown):
        await adapter.publish(first)
    fake.set_conditions(Conditions())
    again = await adapter.publish(first)  # the engine's retry: Graph answers 506
    assert isinstance(again, PublishedRef)
    assert [c["id"] for c in fake.created()] == [again.id]


async def test_a_lost_comment_is_found_among_the_comments(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter()
    main = await adapter.publish(request("main"))
    assert isinstance(main, PublishedRef)
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["reset_after"], fault_paths=["/{id}/comments"]))
    comment = request("a reply", index=1, root=main)
    with pytest.raises(OutcomeUnknown):
        await adapter.publish(comment)
    fake.set_conditions(Conditions())
    found = await adapter.find_published(comment)
    assert found is not None
    assert len(fake.created()) == 2
    assert fake.created()[1]["id"] == found.id


def test_the_limits_are_checked_as_data() -> None:
    info = FacebookAdapter.info
    assert validate(info, PostShape([SegmentShape("x" * 63206, images=10), SegmentShape("comment")])) == []
    found = [
        v.describe() for v in validate(info, PostShape([SegmentShape("x", images=11), SegmentShape("c", images=1)]))
    ]
    assert any("11 images; the limit is 10" in f for f in found)
    assert any("segments[0] cannot carry media" in f for f in found)
    assert validate(info, PostShape([SegmentShape("both", images=1, videos=1)]))


async def test_secrets_stay_out_of_reprs() -> None:
    async with httpx.AsyncClient() as http:
        adapter = FacebookAdapter.build(
            base_url="http://127.0.0.1:9", credentials={"page_access_token": PAGE_TOKEN, "page_id": PAGE_ID}, http=http
        )
        assert PAGE_TOKEN not in repr(adapter)
        assert PAGE_TOKEN not in repr(vars(adapter))
        with pytest.raises(Transient) as caught:
            await adapter.verify()
        assert PAGE_TOKEN not in str(caught.value)
