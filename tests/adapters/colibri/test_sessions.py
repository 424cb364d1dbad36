"""Connecting a ColibriSM account and keeping its session, against the fake site: a password login whose session is
kept, an app session checked and named, every way a site refuses a session, and the renewal of an expired session
(only once it has expired: the site's refresh logs the user's other sessions out)."""

from __future__ import annotations

import httpx
import pytest

from adapters.base import AuthExpired, ReauthRequired, Rejected
from tests.adapters.colibri.support import APP_SESSION, PASSWORD, MakePosts, posts, quirks, request
from tests.fakes.colibri import ALICE, ALICE_SESSION
from tests.fakes.running import RunningFake


def session_works(fake: RunningFake, session: str) -> bool:
    answer = httpx.get(f"{fake.url}/mobile_api/get_chats", params={"session_id": session}).json()
    return bool(answer.get("code") == 200)


async def test_a_password_login_names_the_account_and_keeps_its_session(
    make_posts: MakePosts, fake: RunningFake
) -> None:
    adapter = make_posts()

    profile = await adapter.verify()

    assert (profile.platform_user_id, profile.username, profile.display_name) == ("7", "alice", "Alice Liddell")
    kept = adapter.updated_credentials()
    assert kept is not None
    assert {k: kept[k] for k in PASSWORD} == PASSWORD  # the password stays: a new login when the session ends
    assert kept["user_id"] == "7"
    assert len(kept["session_id"]) > 20
    assert kept["refresh_token"]
    later = make_posts(dict(kept))  # as the publisher builds it from the stored account
    await later.publish(request("with the kept session"))
    assert later.updated_credentials() is None  # nothing new to store: no second login
    assert [p["text"] for p in posts(fake)] == ["with the kept session"]


async def test_an_app_session_is_checked_and_named_by_its_user_id(make_posts: MakePosts) -> None:
    adapter = make_posts(APP_SESSION)

    profile = await adapter.verify()

    assert (profile.platform_user_id, profile.username) == (str(ALICE.id), "alice")
    assert adapter.updated_credentials() is None  # nothing learned: the session is the user's own


async def test_a_wrong_password_is_refused_with_the_sites_words(make_posts: MakePosts) -> None:
    adapter = make_posts({"username": "alice", "password": "not-it"})

    with pytest.raises(ReauthRequired, match=r"ColibriSM refused the username and password \(.*Incorrect credentials"):
        await adapter.verify()
    assert "not-it" not in repr(adapter)


@pytest.mark.parametrize(
    ("shape", "answer"),
    [
        pytest.param("body", r"Unauthorized Access", id="code-401-in-the-body"),
        pytest.param("http", r"Unauthorized Access", id="http-401"),
        pytest.param("invalid_access_token", r"Invalid access token", id="status-400-invalid-access-token"),
    ],
)
async def test_every_way_of_refusing_a_session_needs_a_reconnect(
    make_posts: MakePosts, fake: RunningFake, shape: str, answer: str
) -> None:
    quirks(fake, unauthorized=shape)
    stale = make_posts({"session_id": "no-such-session", "user_id": "7"})

    with pytest.raises(ReauthRequired, match=rf"refused the session during session check \({answer}\); reconnect"):
        await stale.verify()
    with pytest.raises(ReauthRequired, match=answer):
        await stale.publish(request("never posted"))
    assert posts(fake) == []


async def test_an_app_session_with_a_user_id_the_site_does_not_have_is_refused(make_posts: MakePosts) -> None:
    adapter = make_posts({**APP_SESSION, "user_id": "999"})

    with pytest.raises(Rejected, match=r"ColibriSM has no user '999' \(.*User ID is missing or invalid\)"):
        await adapter.verify()


async def test_an_expired_session_is_renewed_once_with_the_refresh_token(
    make_posts: MakePosts, fake: RunningFake
) -> None:
    adapter = make_posts()
    await adapter.verify()
    await adapter.publish(request("before it expired"))
    assert fake.stats().get("refreshes", 0) == 0  # never ahead of time: it would log the app's session out
    assert session_works(fake, ALICE_SESSION)
    old = adapter.updated_credentials()
    assert old is not None
    fake.control("POST", "expire_sessions")

    with pytest.raises(AuthExpired, match=r"the session expired during publish post \(Unauthorized Access\)"):
        await adapter.publish(request("after it expired"))
    renewed = await adapter.refresh()  # what the publisher does on AuthExpired, then it retries once
    posted = await adapter.publish(request("after it expired"))

    assert renewed is not None
    assert renewed["session_id"] != old["session_id"]
    assert renewed["refresh_token"] != old["refresh_token"]  # rotated
    assert fake.stats()["refreshes"] == 1
    assert [p["text"] for p in posts(fake)] == ["before it expired", "after it expired"]
    assert posts(fake)[-1]["id"] == int(posted.id)
    assert not session_works(fake, ALICE_SESSION)  # the site logged the user's other sessions out


async def test_a_refused_refresh_token_falls_back_to_logging_in(make_posts: MakePosts, fake: RunningFake) -> None:
    adapter = make_posts({**PASSWORD, "session_id": "expired-session", "refresh_token": "revoked-refresh"})

    with pytest.raises(AuthExpired):
        await adapter.publish(request("needs a session"))
    renewed = await adapter.refresh()
    await adapter.publish(request("needs a session"))

    assert renewed is not None
    assert renewed["refresh_token"] != "revoked-refresh"
    assert fake.stats().get("refreshes", 0) == 0  # the site refused the token: a login gave the new session
    assert [p["text"] for p in posts(fake)] == ["needs a session"]


async def test_an_expired_app_session_cannot_be_renewed(make_posts: MakePosts, fake: RunningFake) -> None:
    adapter = make_posts(APP_SESSION)
    fake.control("POST", "expire_sessions")

    with pytest.raises(ReauthRequired, match="reconnect the account"):
        await adapter.publish(request("never posted"))
    with pytest.raises(ReauthRequired, match="no password or refresh token to renew it"):
        await adapter.refresh()
