"""TikTok's envelope classified (an HTTP 200 with an error code is an error), verify's user (open_id) and word on
privacy, the OAuth app as TikTok's token endpoint wants it (the engine refreshes, never the adapter), and the tokens
that never show."""

from __future__ import annotations

import pytest

from adapters.base import (
    AdapterError,
    AuthExpired,
    ClientAuth,
    PersistsSession,
    RateLimited,
    ReauthRequired,
    RefreshesSession,
    Rejected,
    Transient,
)
from adapters.tiktok import TikTokAdapter
from tests.adapters.pending import drive
from tests.adapters.tiktok.support import REFRESH_TOKEN, TOKEN, MakeAdapter, publishes, request
from tests.fakes.running import RunningFake
from tests.fakes.tiktok import EXPIRED_TOKEN, OWN_OPEN_ID

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
    profile = await make_adapter({"access_token": TOKEN}).verify()

    assert profile.platform_user_id == OWN_OPEN_ID  # user/info's open_id, though the credentials hold none
    assert profile.username == "octopost.fake"
    assert profile.display_name is not None
    assert "SELF_ONLY" in profile.display_name
    assert "not audited posts only SELF_ONLY" in profile.display_name


async def test_a_refused_user_info_is_classified_like_any_call(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    next_error(fake, "scope_not_authorized", 401, path="/v2/user/info/")
    with pytest.raises(ReauthRequired, match="scope_not_authorized"):
        await make_adapter().verify()


async def test_the_tokens_never_show(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter()
    seen = [repr(adapter), str(adapter.credentials), repr(vars(adapter))]
    for code in ("rate_limit_exceeded", "access_token_invalid", "internal_error"):
        next_error(fake, code)
        with pytest.raises(AdapterError) as failed:
            await adapter.publish(request())
        seen += [failed.value.message, repr(failed.value)]
    seen += (await drive(adapter, request())).handles

    assert all(TOKEN not in text and REFRESH_TOKEN not in text for text in seen)
    assert len(publishes(fake)) == 1


def test_tiktoks_oauth_app_is_declared_and_its_refresh_left_to_the_engine(make_adapter: MakeAdapter) -> None:
    """TikTok's token endpoint takes client_key and client_secret in the form and names the user (open_id); its
    refresh tokens rotate, so refreshing is the engine's compare-and-swap (octopost/oauth/refresh.py): an adapter
    refresh would be saved without it (scheduler/tokens.py prefers one), and so would learned credentials."""
    oauth = TikTokAdapter.info.oauth
    assert oauth is not None
    assert oauth.scopes == ("user.info.basic", "video.publish")
    assert oauth.scope_separator == ","
    assert (oauth.client_id_param, oauth.client_auth, oauth.token_fields) == (
        "client_key",
        ClientAuth.POST,
        ("open_id",),
    )
    adapter = make_adapter()
    assert not isinstance(adapter, RefreshesSession)
    assert not isinstance(adapter, PersistsSession)
