"""Tokens that cannot be refreshed, end to end through `octopost serve` and the LinkedIn fake: an account whose
token expires within LinkedIn's warning window gets one ``account.expiring`` event (not one per check), and an
account whose token has expired is ended (``is_active`` false, ``account.disconnected``) before any post fails on
it. The expiry check runs every 0.3 s here instead of hourly."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.fakes.linkedin import ADMIN_TOKEN, MEMBER_TOKEN
from tests.fakes.running import RunningFake, running_fake
from tests.peers.app import OctopostProcess
from tests.peers.webhook_receiver import Inbox, WebhookReceiver
from tests.scheduler.flows import connect, wait_for
from tests.webhooks.flows import running_service, subscribe


@pytest.fixture(scope="module")
def octopost(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OctopostProcess]:
    yield from running_service(tmp_path_factory, OCTOPOST_TOKEN_EXPIRY_CHECK_SECONDS="0.3")


@pytest.fixture(scope="module")
def linkedin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningFake]:
    with running_fake("linkedin", tmp_path_factory.mktemp("fake-linkedin")) as fake:
        yield fake


@pytest.fixture
def inbox(webhook_receiver: WebhookReceiver) -> Inbox:
    return webhook_receiver.inbox()


def expiring_in(delta: timedelta) -> str:
    return (datetime.now(UTC) + delta).isoformat()


def expiring_for(inbox: Inbox, account_id: str) -> list[dict]:
    return [
        r.payload["data"] for r in inbox.of_type("account.expiring") if r.payload["data"]["account"]["id"] == account_id
    ]


def test_a_token_expiring_soon_is_warned_about_once(api: httpx.Client, inbox: Inbox, linkedin: RunningFake) -> None:
    subscribe(api, inbox, ["account.expiring", "account.disconnected"])
    soon = expiring_in(timedelta(days=3))
    first = connect(api, "linkedin", linkedin.url, {"access_token": MEMBER_TOKEN, "expires_at": soon})
    inbox.wait_for_type("account.expiring")
    (warning,) = expiring_for(inbox, first["id"])
    assert warning["account"]["id"] == first["id"]
    assert warning["account"]["is_active"] is True
    assert warning["expires_at"][:19] == soon[:19]  # when to reconnect by

    # A second account connected later is warned by a later check, which saw the first one again: still one.
    later = connect(
        api, "linkedin", linkedin.url, {"access_token": ADMIN_TOKEN, "expires_at": expiring_in(timedelta(days=5))}
    )
    inbox.wait_for_type("account.expiring", 2)
    assert len(expiring_for(inbox, first["id"])) == 1
    assert len(expiring_for(inbox, later["id"])) == 1
    assert api.get(f"/v1/accounts/{first['id']}").json()["is_active"] is True
    assert inbox.of_type("account.disconnected") == []
    api.delete(f"/v1/accounts/{later['id']}")


def test_an_expired_token_ends_the_account(api: httpx.Client, inbox: Inbox, linkedin: RunningFake) -> None:
    subscribe(api, inbox, ["account.disconnected"])
    account = connect(
        api, "linkedin", linkedin.url, {"access_token": MEMBER_TOKEN, "expires_at": expiring_in(timedelta(seconds=2))}
    )
    (ended,) = inbox.wait_for_type("account.disconnected")
    assert ended.payload["data"]["account"]["id"] == account["id"]
    assert ended.payload["data"]["account"]["is_active"] is False
    wait_for(
        lambda: api.get(f"/v1/accounts/{account['id']}").json()["is_active"] is False,
        timeout=10,
        what="the account shown inactive",
    )


def test_a_token_far_from_expiry_is_left_alone(api: httpx.Client, inbox: Inbox, linkedin: RunningFake) -> None:
    subscribe(api, inbox, ["account.expiring", "account.disconnected"])
    far = connect(
        api, "linkedin", linkedin.url, {"access_token": ADMIN_TOKEN, "expires_at": expiring_in(timedelta(days=50))}
    )
    # One that expires soon, connected after it, proves a check ran over both.
    near = connect(
        api, "linkedin", linkedin.url, {"access_token": MEMBER_TOKEN, "expires_at": expiring_in(timedelta(days=1))}
    )
    inbox.wait_for_type("account.expiring")
    assert expiring_for(inbox, far["id"]) == []
    assert len(expiring_for(inbox, near["id"])) == 1
