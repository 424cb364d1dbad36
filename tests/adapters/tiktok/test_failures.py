"""TikTok's envelope classified (an HTTP 200 with an error code is an error), verify's word on privacy, TikTok's
own refresh with rotating refresh tokens, and the tokens that never show."""

from __future__ import annotations

import pytest

from adapters.base import AdapterError, AuthExpired, RateLimited, ReauthRequired, RefreshesSession, Rejected, Transient
from adapters.tiktok import TikTokAdapter
from tests.adapters.pending import drive
from tests.adapters.tiktok.support import APP, CREDENTIALS, TOKEN, MakeAdapter, publishes, request
from tests.fakes.running import RunningFake
from tests.fakes.tiktok import EXPIRED_TOKEN, SEED_REFRESH

INIT = "/v2/post/publish/video/init/"


def next_error(fake: RunningFake, code: str, status: int | None = None, path: str = INIT) -> None:
    fake.control("PUT", "next_error", {"path": path, "code": code, "status": status})


@pytest.mark.parametrize(
    ("code", "status", "expected", "retry_after"),
    [
        ("rate_limit_exceeded", 429, RateLimited, 60.0),
        ("spam_risk_too_many_posts", 200, RateLimited, 3600.0),  # HTTP 200, an error all the same
        ("privacy_level_option_mismatch", 200, Rejected, None),
        ("access_token_invalid", 401, AuthExpired, None),
        ("scope_not_authorized", 401, ReauthRequired, None),
        ("internal_error", 500, Transient, None),
    ],
)
async def test_tiktoks_error_codes_are_classified(
    make_adapter: MakeAdapter,
    fake: RunningFake,
    code: str,
    status: int,
    expected: type[AdapterError],
    retry_after: float | None,
) -> None:
    next_error(fake, code, status)
    with pytest.raises(AdapterError, match=code) as failed:
        await make_adapter().publish(request())

    assert type(failed.value) is expected
    if retry_after is not None:
        assert isinstance(failed.value, RateLimited)
        assert failed.value.retry_after == retry_after
    assert "log_id" in failed.value.message
    assert fake.created() == []


async def test_an_expired_token_may_be_refreshed(make_adapter: MakeAdapter) -> None:
    with pytest.raises(AuthExpired, match="access_token_invalid"):
        await make_adapter({"access_token": EXPIRED_TOKEN}).verify()


async def test_verify_names_the_creator_and_the_privacy_it_may_use(make_adapter: MakeAdapter) -> None:
    profile = await make_adapter().verify()

    assert profile.username == "octopost.fake"
    assert profile.display_name is not None
    assert "SELF_ONLY" in profile.display_name
    assert "not audited posts only SELF_ONLY" in profile.display_name


async def test_the_refresh_rotates_both_tokens(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter()
    assert isinstance(adapter, RefreshesSession)
    renewed = await adapter.refresh()

    assert renewed is not None
    assert renewed["access_token"] != TOKEN
    assert renewed["refresh_token"] not in (SEED_REFRESH, "")
    assert {"expires_at", "refresh_expires_at", "open_id"} <= set(renewed)
    assert adapter.updated_credentials() == renewed
    # The new access token posts; the spent refresh token is refused: the account must save both at once.
    await drive(make_adapter(dict(renewed)), request())
    assert len(fake.created()) == 1
    with pytest.raises(ReauthRequired, match="invalid_grant"):
        await make_adapter().refresh()


async def test_a_refresh_with_the_wrong_client_key_names_the_settings(make_adapter: MakeAdapter) -> None:
    adapter = make_adapter(
        app={**APP, "client_secret": "wrong", "token_url": make_adapter().base_url + "/v2/oauth/token/"}
    )
    with pytest.raises(AdapterError, match="invalid_client"):
        await adapter.refresh()
    with pytest.raises(Rejected, match="client key and secret"):
        await make_adapter(app={}).refresh()


async def test_the_tokens_never_show(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter()
    seen = [repr(adapter), str(adapter.credentials), repr(vars(adapter))]
    for code in ("rate_limit_exceeded", "access_token_invalid", "internal_error"):
        next_error(fake, code)
        with pytest.raises(AdapterError) as failed:
            await adapter.publish(request())
        seen += [failed.value.message, repr(failed.value)]
    _, pendings = await drive(adapter, request())
    seen += [p.handle for p in pendings]
    with pytest.raises(AdapterError) as refused:
        await make_adapter(app={**APP, "client_secret": "wrong"}).refresh()
    seen.append(refused.value.message)

    assert all(TOKEN not in text and SEED_REFRESH not in text and APP["client_secret"] not in text for text in seen)
    assert len(publishes(fake)) == 1


def test_info_declares_tiktoks_oauth() -> None:
    oauth = TikTokAdapter.info.oauth
    assert oauth is not None
    assert oauth.scopes == ("user.info.basic", "video.publish")
    assert oauth.scope_separator == ","
    assert dict(CREDENTIALS)["refresh_token"] == SEED_REFRESH
