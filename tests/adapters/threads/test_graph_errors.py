"""Meta's Graph error codes (adapters/meta/errors.py) classified into the taxonomy, through the Threads fake
answering each in Graph's envelope: the same table serves Instagram."""

from __future__ import annotations

import json

import pytest

from adapters.base import AdapterError, MediaRejected, RateLimited, ReauthRequired, Rejected, Transient
from tests.adapters.threads.support import MakeAdapter, containers, request
from tests.fakes.running import RunningFake
from tests.fakes.threads import USER_ID

CONTAINERS = "/{user}/threads"


@pytest.mark.parametrize(
    ("code", "subcode", "expected"),
    [
        (4, None, RateLimited),  # application request limit
        (17, None, RateLimited),  # user request limit
        (32, None, RateLimited),  # page request limit
        (613, None, RateLimited),  # custom rate limit
        (9, 2207042, RateLimited),  # the daily publishing limit
        (190, 460, ReauthRequired),  # token invalidated
        (200, None, ReauthRequired),  # a permission the app lacks
        (10, None, ReauthRequired),
        (368, None, Rejected),  # blocked as abusive
        (100, None, Rejected),  # invalid parameter
        (1, None, Transient),  # unknown error
        (2, None, Transient),  # service temporarily unavailable
        (-1, 2207001, Transient),  # server error
        (9004, 2207052, MediaRejected),  # media could not be fetched
    ],
)
async def test_each_graph_code_is_its_taxonomy_error(
    make_adapter: MakeAdapter, fake: RunningFake, code: int, subcode: int | None, expected: type[AdapterError]
) -> None:
    fake.control("PUT", "next_error", {"path": CONTAINERS, "code": code, "subcode": subcode, "message": "said"})

    with pytest.raises(AdapterError) as raised:
        await make_adapter().publish(request("x"))

    assert type(raised.value) is expected
    numbers = f"{code}/{subcode}" if subcode is not None else f"{code}"
    assert f"said [code {numbers}]" in raised.value.message
    assert containers(fake) == []


async def test_a_transient_flag_makes_an_unknown_code_transient(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    fake.control("PUT", "next_error", {"path": CONTAINERS, "code": 12345, "is_transient": True})

    with pytest.raises(Transient):
        await make_adapter().publish(request("x"))


async def test_a_rate_limit_waits_as_long_as_metas_usage_header_says(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    usage = {USER_ID: [{"type": "threads", "call_count": 100, "estimated_time_to_regain_access": 7}]}
    headers = {"x-business-use-case-usage": json.dumps(usage)}
    fake.control("PUT", "next_error", {"path": CONTAINERS, "code": 80001, "headers": headers})

    with pytest.raises(RateLimited) as limited:
        await make_adapter().publish(request("x"))

    assert limited.value.retry_after == 7 * 60.0
