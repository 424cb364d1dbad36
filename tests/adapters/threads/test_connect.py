"""The long-lived token Threads' adapter obtains at connect (FinishesConnect), against the fake's strict
``GET /access_token?grant_type=th_exchange_token``: the code exchange's short-lived token traded for a 60-day one
with the app's secret, kept with its expiry and the profile's id; a wrong secret, an expired or foreign token, or
a grant missing the publishing permission connect nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from adapters.base import AdapterError, ReauthRequired, Rejected
from adapters.threads import ThreadsAdapter
from tests.fakes.meta.exchange import APP_SECRET
from tests.fakes.meta.tokens import CLIENT_ID, ISSUER, short_lived
from tests.fakes.running import RunningFake
from tests.fakes.threads import USER_ID

SCOPES = ("threads_basic", "threads_content_publish")


@pytest.fixture
def trusting(fake: RunningFake) -> RunningFake:
    fake.trust_authorization_server(ISSUER, CLIENT_ID)
    return fake


def connecting(fake: RunningFake, http: httpx.AsyncClient, token: str, secret: str = APP_SECRET) -> ThreadsAdapter:
    return ThreadsAdapter.build(
        base_url=fake.url, credentials={"access_token": token}, http=http, app={"client_secret": secret}
    )


async def test_the_short_lived_token_is_traded_for_a_long_lived_one(
    trusting: RunningFake, http: httpx.AsyncClient
) -> None:
    adapter = connecting(trusting, http, short_lived(SCOPES))

    await adapter.finish_connect()
    profile = await adapter.verify()
    kept = adapter.updated_credentials()

    assert profile.platform_user_id == USER_ID
    assert kept is not None
    assert kept["access_token"].startswith("TH-long-lived-")  # the profile call above took it: the fake's own
    assert kept["user_id"] == USER_ID
    lifetime = datetime.fromisoformat(kept["expires_at"]) - datetime.now(UTC)
    assert timedelta(days=59) < lifetime <= timedelta(days=60)
    assert trusting.stats()["exchanges"] == 1


@pytest.mark.parametrize(
    ("token", "secret", "error", "said"),
    [
        pytest.param(
            short_lived(SCOPES), "not-the-app-secret", Rejected, "Error validating client secret", id="secret"
        ),
        pytest.param(short_lived(SCOPES, lifetime=-5), APP_SECRET, ReauthRequired, "Invalid OAuth", id="expired"),
        pytest.param("TH-long-lived-already", APP_SECRET, ReauthRequired, "Invalid OAuth", id="not-short-lived"),
        pytest.param(
            short_lived(("threads_basic",)), APP_SECRET, ReauthRequired, "threads_content_publish", id="no-publish"
        ),
    ],
)
async def test_an_exchange_threads_refuses_connects_nothing(
    trusting: RunningFake,
    http: httpx.AsyncClient,
    token: str,
    secret: str,
    error: type[AdapterError],
    said: str,
) -> None:
    adapter = connecting(trusting, http, token, secret)

    with pytest.raises(error, match=said):
        await adapter.finish_connect()
    assert trusting.stats().get("exchanges", 0) == 0
    assert secret not in str(adapter.updated_credentials())
