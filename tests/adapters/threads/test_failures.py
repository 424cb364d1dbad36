"""The Threads adapter's failures and account calls against the Threads fake: the publishing quota read before a
container is made, a 429, refused tokens (never in a message), the long-lived token refresh, delete, verify."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.base import DeletesPost, Pending, PersistsSession, RateLimited, ReauthRequired, RefreshesSession
from adapters.instagram import InstagramAdapter
from adapters.threads import ThreadsAdapter
from tests.adapters.threads.support import CREDENTIALS, TOKEN, MakeAdapter, containers, drive, published, request
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake
from tests.fakes.threads import USER_ID, USERNAME


async def test_a_used_up_quota_is_a_rate_limit_before_any_container(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    fake.control("PUT", "quota", {"posts": 1, "replies": 1})
    adapter = make_adapter()
    main = (await drive(adapter, request("the one post of the day"))).ref

    with pytest.raises(RateLimited, match="used its 1 posts of the last 24 hours") as limited:
        await adapter.publish(request("one too many"))

    assert limited.value.retry_after == 3600.0
    assert len(containers(fake)) == 1
    await drive(adapter, request("a reply still fits", index=1, parent=main))  # replies have their own quota
    with pytest.raises(RateLimited, match="used its 1 replies"):
        await adapter.publish(request("a second reply", index=1, parent=main))
    assert len(fake.created()) == 2


async def test_a_429_says_when_to_come_back(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    fake.set_conditions(
        Conditions(fault_rate=1.0, faults=["429"], retry_after_seconds=9, fault_paths=["/{user}/threads"])
    )

    with pytest.raises(RateLimited, match="Threads container: Threads's rate limit was reached") as limited:
        await make_adapter().publish(request("limited"))

    assert limited.value.retry_after == 9.0
    assert containers(fake) == []


@pytest.mark.parametrize(
    ("token", "said"), [("TH-old-expired", "Session has expired"), ("TH-x-revoked", "not authorized")]
)
async def test_a_refused_token_asks_to_reconnect_and_never_shows(
    make_adapter: MakeAdapter, fake: RunningFake, token: str, said: str
) -> None:
    with pytest.raises(ReauthRequired, match=f"{said}.*reconnect the account") as refused:
        await make_adapter({"access_token": token, "user_id": USER_ID}).publish(request("refused"))

    assert token not in str(refused.value)
    assert "[code 190/" in str(refused.value)
    assert fake.created() == []


async def test_the_long_lived_token_is_refreshed_by_threads_own_exchange(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    adapter = make_adapter()

    updated = await adapter.refresh()

    assert updated is not None
    assert updated["access_token"].startswith("TH-refreshed-")
    assert updated["access_token"] != TOKEN
    expires = datetime.fromisoformat(updated["expires_at"])
    assert timedelta(days=59) < expires - datetime.now(UTC) <= timedelta(days=60)
    assert adapter.updated_credentials() == {**updated, "user_id": USER_ID}
    assert fake.stats()["refreshes"] == 1


async def test_an_expired_token_cannot_be_refreshed(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    with pytest.raises(ReauthRequired, match="Session has expired") as refused:
        await make_adapter({"access_token": "TH-gone-expired"}).refresh()
    assert "TH-gone-expired" not in str(refused.value)


async def test_delete_removes_the_post_and_a_second_delete_is_success(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    adapter = make_adapter()
    ref = (await drive(adapter, request("short-lived"))).ref

    await adapter.delete(ref)
    await adapter.delete(ref)  # an unpublish resumed after a crash repeats its last delete

    assert [p["deleted"] for p in published(fake)] == [True]


async def test_verify_names_the_profile_and_learns_its_id(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter({"access_token": TOKEN})

    profile = await adapter.verify()

    assert (profile.platform_user_id, profile.username, profile.display_name) == (USER_ID, USERNAME, "Octopost Fake")
    assert adapter.updated_credentials() == CREDENTIALS


def test_secrets_never_in_repr(make_adapter: MakeAdapter) -> None:
    adapter = make_adapter()
    assert TOKEN not in repr(adapter)
    assert TOKEN not in repr(adapter.credentials)


def test_threads_deletes_and_refreshes_itself_instagram_deletes_nothing(make_adapter: MakeAdapter) -> None:
    adapter = make_adapter()
    assert isinstance(adapter, DeletesPost)
    assert isinstance(adapter, RefreshesSession)
    assert isinstance(adapter, PersistsSession)
    assert not issubclass(InstagramAdapter, DeletesPost)
    assert ThreadsAdapter.info.oauth is not None
    assert ThreadsAdapter.info.oauth.scopes == ("threads_basic", "threads_content_publish")


async def test_a_handle_that_is_not_ours_starts_over(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    answer = await make_adapter().publish(request("fresh start", pending='{"since": "yesterday"}'))

    assert isinstance(answer, Pending)
    assert len(containers(fake)) == 1
