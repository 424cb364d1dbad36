"""Connecting Threads from the accounts page through the OAuth screen, in Chromium: the dashboard's form starts the
connect (the same service as POST /v1/accounts/connect), the browser follows the redirect to the mock authorization
server, which sends it back to /v1/oauth/callback, and the account appears on /app/accounts."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.api.meta_support import MetaWorld, world_per_module
from tests.dashboard.browser import screenshot
from tests.peers.app import OctopostProcess

threads_world = world_per_module("threads")


@pytest.fixture(scope="module")
def octopost(threads_world: MetaWorld) -> OctopostProcess:
    """The world's service, configured with Threads' OAuth app pointing at the peer."""
    return threads_world.service


def test_an_account_connects_through_the_platforms_screen(
    signed_in_page: Callable[..., Page], threads_world: MetaWorld, workspace: str
) -> None:
    page = signed_in_page()
    page.goto(f"{threads_world.service.url}/app/accounts")
    card = page.locator("#connect-threads")
    card.get_by_text("Advanced").click()
    card.get_by_label("API server (optional)").fill(threads_world.fake.url)

    card.get_by_role("button", name="Connect Threads").click()

    expect(page.get_by_role("heading", name="Account connected")).to_be_visible()
    screenshot(page, "oauth-connected")
    page.get_by_role("link", name="Back to the dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accounts")
    [account] = threads_world.service.client(workspace=workspace).get("/v1/accounts").json()["accounts"]
    assert account["platform"] == "threads"
    row = page.get_by_role("row", name=re.compile(account["username"]))
    expect(row).to_contain_text("threads")
    expect(row).to_contain_text("active")
    screenshot(page, "accounts-after-oauth")


def test_a_platform_without_app_settings_says_what_to_set(
    signed_in_page: Callable[..., Page], threads_world: MetaWorld
) -> None:
    page = signed_in_page()
    page.goto(f"{threads_world.service.url}/app/accounts")

    page.locator("#connect-youtube").get_by_role("button", name="Connect YouTube").click()

    expect(page.get_by_role("alert")).to_contain_text("YouTube OAuth is not configured on this server")
    assert page.url == f"{threads_world.service.url}/app/accounts"
