"""The Ziik adapter's sessions against the fake: a login with the password, a token given directly, renewing it
before it expires, a refused token or password, and a 401 turned into AuthExpired that ``refresh`` answers with a
new token (renewed, else logged in again) to store with the account."""

from __future__ import annotations

import pytest

from adapters.base import AuthExpired, PersistsSession, ReauthRequired, RefreshesSession
from adapters.ziik.auth import RENEW_MARGIN_SECONDS, jwt_expiry
from tests.adapters.ziik.support import LOGIN, MakeAdapter, Sent, only_content, request, token
from tests.fakes.running import RunningFake
from tests.fakes.ziik import USER_ID, USERNAME


async def test_connecting_with_the_password_logs_in_and_keeps_the_token(
    make_adapter: MakeAdapter, fake: RunningFake, sent: Sent
) -> None:
    adapter = make_adapter()

    profile = await adapter.verify()

    assert (profile.platform_user_id, profile.username, profile.display_name) == (
        str(USER_ID),
        USERNAME,
        "Erna Langworth",
    )
    assert sent.steps() == [("POST", "/api/authenticate"), ("GET", "/api/users/current")]
    assert "authorization" not in sent.requests[0].headers  # the login carries the password alone
    stored = adapter.updated_credentials()
    assert stored is not None
    assert stored["username"] == USERNAME
    assert stored["password"] == LOGIN["password"]
    expiry = jwt_expiry(stored["token"])
    assert expiry is not None
    assert sent.requests[1].headers["authorization"] == f"Bearer {stored['token']}"
    # The next publish uses the stored token: no second login.
    again = make_adapter(dict(stored))
    await again.publish(request("with the stored token"))
    assert fake.stats()["logins"] == 1
    assert again.updated_credentials() is None  # nothing new to store


async def test_a_token_given_directly_is_used_as_it_is(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    given = token(fake)
    adapter = make_adapter({"token": given})

    profile = await adapter.verify()
    await adapter.publish(request())

    assert profile.platform_user_id == str(USER_ID)
    assert fake.stats().get("logins", 0) == fake.stats().get("renewals", 0) == 0
    assert adapter.updated_credentials() is None


async def test_a_token_about_to_expire_is_renewed_first_and_stored(
    make_adapter: MakeAdapter, fake: RunningFake, sent: Sent
) -> None:
    expiring = token(fake, lifetime_seconds=RENEW_MARGIN_SECONDS / 2)
    adapter = make_adapter({"token": expiring})

    await adapter.publish(request("after a renewal"))

    assert sent.steps()[:2] == [("POST", "/api/renew"), ("POST", "/api/content")]
    assert sent.requests[0].headers["authorization"] == f"Bearer {expiring}"
    stored = adapter.updated_credentials()
    assert stored is not None
    assert stored["token"] != expiring
    assert sent.requests[1].headers["authorization"] == f"Bearer {stored['token']}"
    renewed_expiry, old_expiry = jwt_expiry(stored["token"]), jwt_expiry(expiring)
    assert renewed_expiry is not None
    assert old_expiry is not None
    assert renewed_expiry > old_expiry + RENEW_MARGIN_SECONDS
    assert only_content(fake)["request"]["title"] == "after a renewal"


async def test_an_expired_token_is_replaced_by_a_login_when_there_is_a_password(
    make_adapter: MakeAdapter, fake: RunningFake, sent: Sent
) -> None:
    adapter = make_adapter({**LOGIN, "token": token(fake, lifetime_seconds=-60)})

    await adapter.publish(request())

    # /renew refuses an expired token (401); the password gives a new one.
    assert sent.steps() == [("POST", "/api/renew"), ("POST", "/api/authenticate"), ("POST", "/api/content")]
    assert fake.stats()["logins"] == 1


async def test_an_expired_token_without_a_password_needs_the_account_reconnected(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    adapter = make_adapter({"token": token(fake, lifetime_seconds=-60)})

    with pytest.raises(ReauthRequired, match=r"Ziik refused to renew the account's token \(401: The token has expired"):
        await adapter.verify()
    with pytest.raises(ReauthRequired, match="it expired at"):
        await adapter.publish(request())
    assert fake.created() == []


async def test_a_wrong_password_is_refused_with_a_clear_message(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter({"username": USERNAME, "password": "not-it"})

    with pytest.raises(ReauthRequired) as refused:
        await adapter.verify()

    assert str(refused.value) == (
        f"Ziik refused the username or password of {USERNAME!r} (422: The username or password is incorrect "
        "[invalid_credentials]); check them and connect the account again"
    )
    assert "not-it" not in str(refused.value)


async def test_a_forged_token_is_refused_at_connect(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    real = token(fake)
    forged = real[: real.rindex(".") + 1] + "c2lnbmF0dXJl"

    with pytest.raises(ReauthRequired, match=r"Ziik refused the token .*401: The token is invalid"):
        await make_adapter({"token": forged}).verify()


async def test_a_revoked_token_is_auth_expired_and_refresh_logs_in_again(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    """Ziik refuses a token it issued (a 401, e.g. after a password reset): the publisher sees AuthExpired, calls
    ``refresh`` once (the renewal is refused as well, the password still works) and retries with the new token."""
    adapter = make_adapter()
    await adapter.verify()
    fake.control("POST", "tokens/revoke")

    with pytest.raises(AuthExpired, match=r"Ziik: the session expired during post \(401: The token has been revoked"):
        await adapter.publish(request("after the revocation"))

    assert isinstance(adapter, RefreshesSession)
    assert isinstance(adapter, PersistsSession)
    refreshed = await adapter.refresh()
    assert refreshed is not None
    assert refreshed == adapter.updated_credentials()
    await adapter.publish(request("after the revocation"))
    assert [c["request"]["title"] for c in [only_content(fake)]] == ["after the revocation"]
    assert fake.stats()["logins"] == 2


async def test_refresh_without_a_password_after_a_revocation_needs_a_reconnect(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    adapter = make_adapter({"token": token(fake)})
    fake.control("POST", "tokens/revoke")

    with pytest.raises(AuthExpired):
        await adapter.publish(request())
    with pytest.raises(ReauthRequired, match="connect the account again with a new token"):
        await adapter.refresh()
    assert fake.created() == []


def test_the_session_never_shows_the_token_or_password(make_adapter: MakeAdapter) -> None:
    adapter = make_adapter({**LOGIN, "token": "header.payload.signature"})

    shown = repr(adapter) + repr(vars(adapter)) + repr(vars(adapter._session))

    assert LOGIN["password"] not in shown
    assert "header.payload.signature" not in shown


def test_a_jwt_expiry_is_read_from_its_claims() -> None:
    # {"alg":"HS256"} . {"sub":7,"exp":1700000000} . signature
    assert jwt_expiry("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOjcsImV4cCI6MTcwMDAwMDAwMH0.c2ln") == 1_700_000_000
    assert jwt_expiry("not-a-jwt") is None
    assert jwt_expiry("a.bm90IGpzb24.c") is None  # "not json"
