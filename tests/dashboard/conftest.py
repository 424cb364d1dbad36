"""Fixtures of the dashboard's browser tests: one Chromium per module, a fresh context (no cookies) per test.

The service is the module's real `octopost serve` (tests/peers/app.py). Playwright's sync API runs its own loop in
a thread of its own, so these tests and fixtures stay synchronous.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.dashboard.browser import DESKTOP, chromium_path, launch, sign_in
from tests.peers.app import OctopostProcess


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if chromium_path() is None:
        pytest.skip("Debian's chromium is not installed (scripts/install-peers.sh installs it)")
    with sync_playwright() as playwright:
        launched = launch(playwright)
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    fresh = browser.new_context(viewport=DESKTOP)  # type: ignore[arg-type]
    fresh.set_default_timeout(10_000)
    yield fresh
    fresh.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def workspace(request: pytest.FixtureRequest) -> str:
    """A workspace of this test's own."""
    return f"dash-{request.node.name}"[:180]


@pytest.fixture
def signed_in_page(octopost: OctopostProcess, page: Page, workspace: str) -> Callable[..., Page]:
    """Signs ``page`` in with a new key in this test's workspace (``mode="test"`` for the sandbox); returns it."""

    def sign_in_with(mode: str = "live", key: str | None = None, scopes: list[str] | None = None) -> Page:
        sign_in(page, octopost.url, key or octopost.new_key(workspace, mode=mode, scopes=scopes))
        return page

    return sign_in_with
