"""Finishing an OAuth connect (FinishesConnect) against the strict Graph fake: the code exchange's token traded for a
long-lived one with the app's id and secret, then the Page named at connect, or the only one the user may post on,
or a refusal naming each Page; the account keeps the Page's token only.

The peer's token is played by a JWT with the claims the fake reads (tests/fakes/authorization.py checks issuer,
client, expiry and scopes, not the signature): the OAuth peer itself is in tests/api/test_facebook_through_the_api.py.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterable

import pytest

from adapters.base import AdapterError, Rejected
from adapters.facebook import FacebookAdapter
from tests.adapters.facebook.support import MakeAdapter
from tests.fakes.facebook import (
    APP_ID,
    APP_SECRET,
    CAFE_PAGE_ID,
    CAFE_PAGE_NAME,
    CAFE_PAGE_TOKEN,
    EXCHANGE_SCOPES,
    PAGE_ID,
    PAGE_NAME,
    PAGE_TOKEN,
    TWO_PAGES_USER_TOKEN,
)
from tests.fakes.running import RunningFake

ISSUER = "http://127.0.0.1:9/oauth-peer"
APP = {"client_id": APP_ID, "client_secret": APP_SECRET}
Connecting = Callable[..., FacebookAdapter]


def peer_token(scopes: Iterable[str] = EXCHANGE_SCOPES) -> str:
    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    claims = {"iss": ISSUER, "client_id": APP_ID, "exp": time.time() + 3600, "scope": ",".join(sorted(scopes))}
    return f"{part({'alg': 'RS256'})}.{part(claims)}.signature"


@pytest.fixture
def connecting(fake: RunningFake, make_adapter: MakeAdapter) -> Connecting:
    """An adapter as the connect builds it: the exchange's credentials (and fields), the operator's app."""
    fake.trust_authorization_server(ISSUER, APP_ID)

    def build(fields: dict[str, str] | None = None, *, app: dict[str, str] = APP, token: str = "") -> FacebookAdapter:
        credentials = {
            **(fields or {}),
            "access_token": token or peer_token(),
            "expires_at": "2026-12-03T15:00:00+00:00",
        }
        return make_adapter(credentials, app=app)

    return build


async def connected(adapter: FacebookAdapter) -> dict[str, str]:
    await adapter.finish_connect()
    profile = await adapter.verify()
    credentials = dict(adapter.updated_credentials() or {})
    assert profile.platform_user_id == credentials["page_id"]
    return credentials


async def test_the_only_page_the_user_may_post_on_is_taken_and_only_its_token_kept(
    connecting: Connecting, fake: RunningFake
) -> None:
    credentials = await connected(connecting())
    # The user's tokens (short- and long-lived) and the short one's expiry are not kept; the Page token has none.
    assert credentials == {
        "page_id": PAGE_ID,
        "page_access_token": PAGE_TOKEN,
        "page_name": PAGE_NAME,
    }
    assert fake.stats()["token_exchanges"] == 1


async def test_the_page_named_at_connect_is_taken(connecting: Connecting, fake: RunningFake) -> None:
    fake.control("PUT", "settings", {"exchange_token": TWO_PAGES_USER_TOKEN})
    credentials = await connected(connecting({"page_id": CAFE_PAGE_ID}))
    assert (credentials["page_id"], credentials["page_access_token"]) == (CAFE_PAGE_ID, CAFE_PAGE_TOKEN)
    assert credentials["page_name"] == CAFE_PAGE_NAME


async def test_several_pages_without_a_page_id_are_refused_naming_each(
    connecting: Connecting, fake: RunningFake
) -> None:
    fake.control("PUT", "settings", {"exchange_token": TWO_PAGES_USER_TOKEN})
    with pytest.raises(Rejected) as refused:
        await connecting().finish_connect()
    message = refused.value.message
    assert f"{PAGE_NAME} ({PAGE_ID})" in message
    assert f"{CAFE_PAGE_NAME} ({CAFE_PAGE_ID})" in message
    assert "Someone Else's Shop" not in message  # a Page the user may only analyze is no choice
    assert '"fields": {"page_id"' in message


async def test_a_token_without_the_posting_scopes_is_not_exchanged(connecting: Connecting) -> None:
    with pytest.raises(AdapterError, match="pages_manage_posts"):
        await connecting(token=peer_token({"pages_show_list", "pages_read_engagement"})).finish_connect()


async def test_a_wrong_app_secret_is_refused_as_the_apps_credentials(connecting: Connecting) -> None:
    with pytest.raises(Rejected, match=r"refused the app's credentials.*client secret"):
        await connecting(app={**APP, "client_secret": "not-the-secret"}).finish_connect()
    with pytest.raises(Rejected, match="needs the app's id and secret"):
        await connecting(app={"client_id": APP_ID}).finish_connect()
