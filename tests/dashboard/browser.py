"""Driving the dashboard in Debian's Chromium through Playwright: launching it, signing in, and screenshots."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from playwright.sync_api import Browser, Page, Playwright, expect

REPO = Path(__file__).resolve().parents[2]
# Without the background-networking flags Chromium dials out at start, and this closed network refuses it.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)


def artifacts_dir() -> Path:
    """Where screenshots go: $OCTOPOST_TEST_ARTIFACTS/dashboard, else test-artifacts/dashboard in the repository."""
    chosen = os.environ.get("OCTOPOST_TEST_ARTIFACTS")
    path = (Path(chosen) if chosen else REPO / "test-artifacts") / "dashboard"
    path.mkdir(parents=True, exist_ok=True)
    return path


def screenshot(page: Page, name: str) -> Path:
    """The whole page as test-artifacts/dashboard/<name>.png (a record of what each page looks like)."""
    path = artifacts_dir() / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page: Page, base_url: str, key: str) -> None:
    """Sign in through the form, as a person would; lands on the calendar."""
    page.goto(f"{base_url}/app/login")
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Calendar"))
