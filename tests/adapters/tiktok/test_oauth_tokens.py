"""The TikTok fake takes an OAuth peer's access token only for the calls its scopes allow (user.info.basic: user
info; video.publish: creator_info and the posting calls), so the through-the-API tests prove the scopes the adapter
asks for are enough. The token is one the peer would mint, unsigned (the fake reads, it does not verify)."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest

from adapters.base import AuthExpired, ReauthRequired
from tests.adapters.pending import drive
from tests.adapters.tiktok.support import MakeAdapter, request
from tests.fakes.running import RunningFake
from tests.fakes.tiktok import PEER_CREATOR, PEER_OPEN_ID

ISSUER, CLIENT = "http://127.0.0.1:9/peer", "tiktok-client-key"


def peer_token(scope: str, *, issuer: str = ISSUER, expires_in: int = 3600) -> str:
    def part(obj: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    now = int(time.time())
    claims = {"iss": issuer, "client_id": CLIENT, "scope": scope, "sub": "johndoe", "iat": now, "exp": now + expires_in}
    return f"{part({'alg': 'RS256'})}.{part(claims)}.{part({'sig': 'unchecked'})}"


@pytest.fixture
def trusting(fake: RunningFake) -> RunningFake:
    fake.trust_authorization_server(ISSUER, CLIENT)
    return fake


async def test_a_token_with_both_scopes_connects_and_posts(make_adapter: MakeAdapter, trusting: RunningFake) -> None:
    adapter = make_adapter({"access_token": peer_token("user.info.basic,video.publish")})

    profile = await adapter.verify()
    driven = await drive(adapter, request())

    assert (profile.platform_user_id, profile.username) == (PEER_OPEN_ID, PEER_CREATOR)
    assert [c["id"] for c in trusting.created()] == [driven.ref.id]


@pytest.mark.parametrize(
    ("scope", "missing"), [("video.publish", "user.info.basic"), ("user.info.basic", "video.publish")]
)
async def test_a_token_without_a_scope_the_call_needs_is_refused(
    make_adapter: MakeAdapter, trusting: RunningFake, scope: str, missing: str
) -> None:
    with pytest.raises(ReauthRequired, match=f"scope_not_authorized.*{missing}"):
        await make_adapter({"access_token": peer_token(scope)}).verify()


@pytest.mark.parametrize(
    "token",
    [
        peer_token("user.info.basic,video.publish", issuer="http://elsewhere"),
        peer_token("user.info.basic,video.publish", expires_in=-10),
    ],
)
async def test_a_token_of_another_server_or_expired_is_invalid(
    make_adapter: MakeAdapter, trusting: RunningFake, token: str
) -> None:
    with pytest.raises(AuthExpired, match="access_token_invalid"):
        await make_adapter({"access_token": token}).verify()
    assert trusting.created() == []
