"""What the contract's failure table (tests/adapters/contract/) cannot show for ColibriSM, whose application answers
HTTP 200 with the status in the body: the statuses of the web server in front of it, where 500, 502 and 504 may
come after the site published (in doubt) and 503 before the application ran."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from adapters.base import (
    Adapter,
    AdapterError,
    MediaRejected,
    OutcomeUnknown,
    PublishRequest,
    RateLimited,
    ReauthRequired,
    Rejected,
    Segment,
    Transient,
)
from adapters.colibri import ColibriAdapter, ColibriMessagesAdapter
from octopost.ids import new_tid
from tests.adapters.contract.answering import Answering, answering
from tests.fakes.http import Response

RETRY_AFTER = 7
# The default recipient as connecting stores it (id and username): the send is the first request.
CREDENTIALS = {"session_id": "contract-session", "user_id": "7", "recipient_id": "8", "recipient_username": "bob"}
ADAPTERS = [ColibriAdapter, ColibriMessagesAdapter]
FROM_THE_FRONT_SERVER: dict[int, type[AdapterError]] = {
    401: ReauthRequired,
    403: Rejected,
    404: Rejected,
    413: MediaRejected,
    422: Rejected,
    429: RateLimited,
    500: OutcomeUnknown,  # a PHP fatal error, maybe after the post was made
    502: OutcomeUnknown,
    503: Transient,  # refused before the application ran
    504: OutcomeUnknown,
}


def _limits(status: int) -> dict[str, str]:
    return {"retry-after": str(RETRY_AFTER)} if status == 429 else {}


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


@pytest.fixture
async def platform() -> AsyncIterator[Answering]:
    async with answering() as running:
        yield running


async def publish_error(cls: type[Adapter], base_url: str, http: httpx.AsyncClient) -> AdapterError:
    adapter = cls.build(base_url=base_url, credentials=CREDENTIALS, http=http)
    try:
        with pytest.raises(AdapterError) as raised:
            await adapter.publish(PublishRequest(segment=Segment(0, "the contract"), idempotency_key=new_tid()))
    finally:
        await adapter.aclose()
    return raised.value


def check(error: AdapterError, expected: type[AdapterError]) -> None:
    assert isinstance(error, expected), (type(error).__name__, error.message)
    if isinstance(error, RateLimited):
        assert error.retry_after is not None
        assert abs(error.retry_after - RETRY_AFTER) <= 2


@pytest.mark.parametrize(("status", "expected"), sorted(FROM_THE_FRONT_SERVER.items()))
@pytest.mark.parametrize("cls", ADAPTERS, ids=["colibri", "colibri_dm"])
async def test_each_status_of_the_front_server_is_classified(
    cls: type[Adapter], status: int, expected: type[AdapterError], platform: Answering, http: httpx.AsyncClient
) -> None:
    platform.answer = Response(status, b"<html>error page</html>", {"content-type": "text/html", **_limits(status)})
    check(await publish_error(cls, platform.url, http), expected)
