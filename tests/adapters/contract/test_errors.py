"""The contract over every registered adapter, table-driven: each failure a platform can answer with — 401, 403, 404,
413, 422, 429 with Retry-After, 5xx, no connection (never sent), an answer lost after the request went out — comes
back from ``publish`` as the taxonomy's error the publisher reacts to, in the platform's own envelope."""

from __future__ import annotations

import httpx
import pytest

from adapters.base import (
    Adapter,
    AdapterError,
    AuthExpired,
    FindsDelivery,
    OutcomeUnknown,
    Platform,
    PublishRequest,
    RateLimited,
    Transient,
)
from adapters.registry import ADAPTERS
from octopost.ids import new_tid
from tests.adapters.contract.answering import Answering
from tests.adapters.contract.case import EXPECTED, RETRY_AFTER, Case, can_refresh
from tests.adapters.contract.cases import CASES
from tests.peers.ports import free_port

PLATFORMS = sorted(ADAPTERS)
STATUSES = sorted(EXPECTED)


def test_every_registered_adapter_has_a_contract_case() -> None:
    assert set(CASES) == set(ADAPTERS)


async def _publish_error(platform: Platform, base_url: str, http: httpx.AsyncClient) -> tuple[Adapter, AdapterError]:
    case = CASES[platform]
    adapter = ADAPTERS[platform].build(base_url=base_url, credentials=case.credentials(base_url), http=http)
    request = PublishRequest(segment=case.segment(), idempotency_key=new_tid())
    try:
        with pytest.raises(AdapterError) as raised:
            await adapter.publish(request)
    finally:
        await adapter.aclose()
    return adapter, raised.value


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("platform_id", PLATFORMS, ids=[p.value for p in PLATFORMS])
async def test_each_failure_answer_is_classified(
    platform_id: Platform, status: int, platform: Answering, http: httpx.AsyncClient
) -> None:
    case: Case = CASES[platform_id]
    platform.answer = case.envelope(status, f"contract says {status}")
    adapter, error = await _publish_error(platform_id, platform.url, http)
    expected = case.expect(status)
    assert isinstance(error, expected), (type(error).__name__, error.message)
    assert platform.seen, "the adapter never called the platform"
    if isinstance(error, RateLimited):
        assert error.retry_after is not None
        assert abs(error.retry_after - RETRY_AFTER) <= 2, error.retry_after
    if isinstance(error, AuthExpired):  # the publisher refreshes once: the account must be refreshable
        assert can_refresh(adapter)


@pytest.mark.parametrize("platform_id", PLATFORMS, ids=[p.value for p in PLATFORMS])
async def test_a_request_that_never_left_is_transient(platform_id: Platform, http: httpx.AsyncClient) -> None:
    """Nothing listens: the request was never sent, so trying again cannot duplicate anything."""
    _, error = await _publish_error(platform_id, f"http://127.0.0.1:{free_port()}", http)
    assert isinstance(error, Transient), (type(error).__name__, error.message)


@pytest.mark.parametrize("platform_id", PLATFORMS, ids=[p.value for p in PLATFORMS])
async def test_an_answer_lost_after_sending_is_never_taken_for_not_applied(
    platform_id: Platform, platform: Answering, http: httpx.AsyncClient
) -> None:
    """The connection drops once the request is read: the post may exist. OutcomeUnknown, or Transient only where a
    resend cannot post twice (the platform honours the idempotency key, or the adapter can look the segment up).
    Where the first request only prepares the post (a quota read, a container, an upload session), it is that
    request that was lost, and Transient: nothing was posted."""
    platform.answer = None
    adapter, error = await _publish_error(platform_id, platform.url, http)
    prepares = CASES[platform_id].prepares
    if prepares is not None:
        assert platform.seen == [prepares]
        assert isinstance(error, Transient), (type(error).__name__, error.message)
        return
    resolvable = adapter.info.idempotent_publish or isinstance(adapter, FindsDelivery)
    assert isinstance(error, OutcomeUnknown) or (resolvable and isinstance(error, Transient)), (
        type(error).__name__,
        error.message,
    )
