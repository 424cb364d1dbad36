"""The LinkedIn adapter's failures against the fake: LinkedIn's envelopes classified (401 by its service codes,
429 with the end of LinkedIn's day, 422 with its message, 5xx), a lost post answer settled without a repost, the
60-day token's expiry, the limits as data, and secrets kept out of reprs and messages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from adapters.base import (
    AuthExpired,
    OutcomeUnknown,
    PublishedRef,
    RateLimited,
    ReauthRequired,
    Rejected,
    Transient,
)
from adapters.linkedin import LinkedInAdapter
from adapters.validation import PostShape, SegmentShape, validate
from tests.adapters.linkedin.support import MEMBER, MakeAdapter, image, next_error
from tests.adapters.processing import request
from tests.fakes.core import Conditions
from tests.fakes.linkedin import EXPIRED_TOKEN, MEMBER_TOKEN, OPENID_ONLY_TOKEN, REVOKED_TOKEN
from tests.fakes.running import RunningFake


async def test_the_daily_throttle_is_rate_limited_until_midnight_utc(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    next_error(fake, "/rest/posts", 429)
    with pytest.raises(RateLimited, match="APPLICATION DAY limit") as caught:
        await make_adapter().publish(request("throttled"))
    now = datetime.now(UTC)
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    assert caught.value.retry_after is not None
    assert abs(caught.value.retry_after - (midnight - now).total_seconds()) < 60
    assert fake.created() == []


@pytest.mark.parametrize(
    ("token", "refresh", "error"),
    [
        (EXPIRED_TOKEN, False, ReauthRequired),
        (EXPIRED_TOKEN, True, AuthExpired),
        (REVOKED_TOKEN, True, ReauthRequired),
        ("not-a-token", False, ReauthRequired),
    ],
)
async def test_token_failures(make_adapter: MakeAdapter, token: str, refresh: bool, error: type[Exception]) -> None:
    credentials = {"access_token": token, **({"refresh_token": "r"} if refresh else {})}
    with pytest.raises(error) as caught:
        await make_adapter(credentials).publish(request("who am I"))
    assert token not in str(caught.value)


async def test_a_token_past_its_60_days_is_refused_before_any_call(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    gone = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    with pytest.raises(ReauthRequired, match="reconnect"):
        await make_adapter({**MEMBER, "expires_at": gone}).publish(request("too late"))
    assert fake.stats().get("requests", 0) == 0
    soon = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    assert isinstance(await make_adapter({**MEMBER, "expires_at": soon}).publish(request("in time")), PublishedRef)
    assert LinkedInAdapter.info.warns_before_expiry_days == 7


async def test_without_w_member_social_the_post_is_refused(make_adapter: MakeAdapter) -> None:
    with pytest.raises(Rejected, match="ACCESS_DENIED"):
        await make_adapter({"access_token": OPENID_ONLY_TOKEN}).publish(request("no scope"))


async def test_a_refused_post_carries_linkedins_message(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter()
    first = await adapter.publish(request("said twice"))
    assert isinstance(first, PublishedRef)
    with pytest.raises(Rejected, match=f"Content is a duplicate of {first.id}"):
        await adapter.publish(request("said twice"))


async def test_a_server_error_is_transient(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    next_error(fake, "/rest/posts", 500)
    with pytest.raises(Transient):
        await make_adapter().publish(request("later"))
    assert fake.created() == []


async def test_a_lost_post_answer_is_outcome_unknown_and_posted_once(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["reset_after"], fault_paths=["/rest/posts"]))
    with pytest.raises(OutcomeUnknown):
        await make_adapter().publish(request("did it land?", media=(image(),)))
    assert len(fake.created()) == 1


def test_the_fake_refuses_calls_without_linkedins_headers(fake: RunningFake) -> None:
    auth = {"Authorization": f"Bearer {MEMBER_TOKEN}"}
    missing = httpx.post(f"{fake.url}/rest/posts", json={}, headers=auth)
    assert (missing.status_code, missing.json()["code"]) == (400, "VERSION_MISSING")
    wrong = httpx.post(f"{fake.url}/rest/posts", json={}, headers={**auth, "LinkedIn-Version": "2025-11"})
    assert (wrong.status_code, wrong.json()["code"]) == (426, "NONEXISTENT_VERSION")


def test_the_limits_are_checked_as_data() -> None:
    info = LinkedInAdapter.info
    assert validate(info, PostShape([SegmentShape("x" * 3000, images=20)])) == []
    found = [
        v.describe()
        for v in validate(
            info,
            PostShape(
                [SegmentShape("x" * 3001, images=21), SegmentShape("comment", images=1), SegmentShape("v", videos=1)]
            ),
        )
    ]
    assert any("3001 characters; the limit is 3000" in f for f in found)
    assert any("21 images; the limit is 20" in f for f in found)
    assert any("segments[0] cannot carry media" in f for f in found)
    assert len(validate(info, PostShape([SegmentShape("both", images=1, videos=1)]))) == 1


async def test_secrets_stay_out_of_reprs() -> None:
    secret = "li-very-secret-token"
    async with httpx.AsyncClient() as http:
        adapter = LinkedInAdapter.build(base_url="http://127.0.0.1:9", credentials={"access_token": secret}, http=http)
        assert secret not in repr(adapter)
        assert secret not in repr(adapter.credentials)
        assert secret not in repr(vars(adapter))
        with pytest.raises(Transient) as caught:
            await adapter.verify()
        assert secret not in str(caught.value)
