"""The contract of DeletesPost over every registered adapter, table-driven: each adapter either deletes (and then a
delete of what is already gone returns normally, each failure answer comes back as the taxonomy's error, and an answer
lost after sending is only Transient, a delete being safe to repeat) or is listed with the reason it cannot."""

from __future__ import annotations

import httpx
import pytest

from adapters.base import (
    Adapter,
    AdapterError,
    AuthExpired,
    DeletesPost,
    Platform,
    RateLimited,
    Transient,
)
from adapters.registry import ADAPTERS
from tests.adapters.contract.answering import Answering
from tests.adapters.contract.case import EXPECTED, RETRY_AFTER, can_refresh
from tests.adapters.contract.cases import CASES
from tests.adapters.contract.deleting import ALREADY_GONE, CANNOT_DELETE, posted_ref
from tests.peers.ports import free_port

DELETING = sorted(ALREADY_GONE)
# 404 is "already gone" on most platforms: its own test, in each platform's words.
STATUSES = sorted(set(EXPECTED) - {404})


def test_every_adapter_says_whether_it_deletes() -> None:
    assert set(ALREADY_GONE).isdisjoint(CANNOT_DELETE)
    assert set(ALREADY_GONE) | set(CANNOT_DELETE) == set(ADAPTERS)
    for platform, cls in ADAPTERS.items():
        deletes = issubclass(cls, DeletesPost)
        if platform in CANNOT_DELETE:
            assert not deletes, f"{platform} deletes now: give its already-gone answer in ALREADY_GONE"
        else:
            assert deletes, f"{platform} is listed as deleting but is not DeletesPost"


def test_only_ziik_unpublishes_natively() -> None:
    """Ziik takes the post's unpublish_at with it; for the rest the engine schedules a delete."""
    assert {p for p, cls in ADAPTERS.items() if cls.info.native_unpublish} == {Platform.ZIIK}
    assert issubclass(ADAPTERS[Platform.ZIIK], DeletesPost)  # an unpublish asked for now still deletes


def _deleting(platform: Platform, base_url: str, http: httpx.AsyncClient) -> Adapter:
    cls = ADAPTERS[platform]
    assert issubclass(cls, DeletesPost)
    return cls.build(base_url=base_url, credentials=CASES[platform].credentials(base_url), http=http)


async def _delete(adapter: Adapter, platform: Platform, base_url: str) -> None:
    assert isinstance(adapter, DeletesPost)
    try:
        await adapter.delete(posted_ref(platform, base_url))
    finally:
        await adapter.aclose()


@pytest.mark.parametrize("platform_id", DELETING, ids=[p.value for p in DELETING])
async def test_deleting_what_is_already_gone_is_a_success(
    platform_id: Platform, platform: Answering, http: httpx.AsyncClient
) -> None:
    platform.answer = ALREADY_GONE[platform_id]
    adapter = _deleting(platform_id, platform.url, http)

    await _delete(adapter, platform_id, platform.url)

    assert platform.seen, "the adapter never called the platform"


async def _delete_error(platform_id: Platform, base_url: str, http: httpx.AsyncClient) -> tuple[Adapter, AdapterError]:
    adapter = _deleting(platform_id, base_url, http)
    with pytest.raises(AdapterError) as raised:
        await _delete(adapter, platform_id, base_url)
    return adapter, raised.value


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("platform_id", DELETING, ids=[p.value for p in DELETING])
async def test_each_failure_answer_to_a_delete_is_classified(
    platform_id: Platform, status: int, platform: Answering, http: httpx.AsyncClient
) -> None:
    case = CASES[platform_id]
    platform.answer = case.envelope(status, f"contract says {status}")

    adapter, error = await _delete_error(platform_id, platform.url, http)

    assert isinstance(error, case.expect(status)), (type(error).__name__, error.message)
    if isinstance(error, RateLimited):
        assert error.retry_after is not None
        assert abs(error.retry_after - RETRY_AFTER) <= 2, error.retry_after
    if isinstance(error, AuthExpired):  # the engine refreshes once: the account must be refreshable
        assert can_refresh(adapter)


@pytest.mark.parametrize("platform_id", DELETING, ids=[p.value for p in DELETING])
async def test_a_delete_whose_answer_is_lost_is_transient(
    platform_id: Platform, platform: Answering, http: httpx.AsyncClient
) -> None:
    """The connection drops once the request is read: deleting again deletes nothing more, so it is only Transient
    (never OutcomeUnknown, which would leave an unpublish in doubt for no reason)."""
    platform.answer = None
    _, error = await _delete_error(platform_id, platform.url, http)
    assert isinstance(error, Transient), (type(error).__name__, error.message)


@pytest.mark.parametrize("platform_id", DELETING, ids=[p.value for p in DELETING])
async def test_a_delete_that_never_left_is_transient(platform_id: Platform, http: httpx.AsyncClient) -> None:
    _, error = await _delete_error(platform_id, f"http://127.0.0.1:{free_port()}", http)
    assert isinstance(error, Transient), (type(error).__name__, error.message)
