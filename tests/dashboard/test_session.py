"""Signing in and out of the dashboard, its session cookie, the sandbox banner, and CSRF (browser and raw HTTP)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import re
from collections.abc import Callable

import httpx
from playwright.sync_api import BrowserContext, Page, expect

from octopost.db import Database
from octopost.keys import service as keys
from tests.dashboard.browser import PHONE, screenshot
from tests.dashboard.raw_http import csrf_token, signed_in_client
from tests.peers.app import OctopostProcess


def _revoke(octopost: OctopostProcess, key: str) -> None:
    async def revoke() -> None:
        db = Database(octopost.database_url)
        try:
            listed = await keys.list_keys(db)
            key_id = next(found.id for found, _ in listed if key.startswith(found.prefix))
            await keys.revoke_key(db, key_id)
        finally:
            await db.dispose()

    with concurrent.futures.ThreadPoolExecutor(1) as pool:  # its own loop, away from the browser's
        pool.submit(asyncio.run, revoke()).result()


def test_signing_in_with_a_key_lands_on_the_calendar(octopost: OctopostProcess, page: Page, workspace: str) -> None:
    page.goto(f"{octopost.url}/app")

    assert page.url == f"{octopost.url}/app/login?next=/app"
    screenshot(page, "login")
    page.get_by_label("API key").fill(octopost.new_key(workspace))
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Calendar")
    assert page.url.startswith(f"{octopost.url}/app")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Accounts")).to_be_visible()
    expect(page.get_by_text("Sandbox")).to_have_count(0)


def test_a_wrong_key_is_refused_with_a_message(octopost: OctopostProcess, page: Page) -> None:
    page.goto(f"{octopost.url}/app/login")
    page.get_by_label("API key").fill("oct_live_not-a-key-we-issued")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("alert")).to_have_text("That API key is not valid or was revoked.")
    expect(page.get_by_label("API key")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "login-refused")
    page.goto(f"{octopost.url}/app")
    assert "/app/login" in page.url


def test_signing_out_ends_the_session(signed_in_page: Callable[..., Page], octopost: OctopostProcess) -> None:
    page = signed_in_page()

    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_role("status")).to_have_text("You are signed out.")
    assert page.url == f"{octopost.url}/app/login"
    page.goto(f"{octopost.url}/app")
    assert page.url.startswith(f"{octopost.url}/app/login")


def test_the_session_cookie_is_httponly_strict_and_keeps_the_key_unreadable(
    octopost: OctopostProcess, context: BrowserContext, page: Page, workspace: str
) -> None:
    key = octopost.new_key(workspace)
    page.goto(f"{octopost.url}/app/login")
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendar")

    [cookie] = [found for found in context.cookies() if found["name"] == "octopost_session"]
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/app"
    assert cookie["secure"] is False  # OCTOPOST_PUBLIC_URL is http here
    assert key not in cookie["value"]
    assert key.split("_", 2)[2][:16] not in cookie["value"]
    assert page.evaluate("document.cookie") == ""  # scripts cannot read it
    assert key not in page.content()


def test_a_test_key_sees_the_sandbox_banner(signed_in_page: Callable[..., Page]) -> None:
    page = signed_in_page(mode="test")

    expect(page.get_by_role("note", name="Sandbox mode")).to_contain_text("Sandbox")
    screenshot(page, "sandbox-calendar")


def test_the_layout_reads_on_a_phone(signed_in_page: Callable[..., Page]) -> None:
    page = signed_in_page()
    page.set_viewport_size(PHONE)  # type: ignore[arg-type]
    page.reload()

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px)"
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    screenshot(page, "calendar-phone")


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(
    octopost: OctopostProcess, workspace: str
) -> None:
    with signed_in_client(octopost, octopost.new_key(workspace)) as client:
        calendar = client.get("/app")
        assert calendar.status_code == 200
        token = csrf_token(calendar.text)

        for refused in (
            client.post("/app/logout"),
            client.post("/app/logout", data={"csrf_token": "0" * 64}),
            client.post("/app/logout", headers={"X-CSRF-Token": token[:-1] + "0"}),
        ):
            assert refused.status_code == 403, refused.text
            assert "nothing was done" in refused.text
        assert client.get("/app").status_code == 200  # still signed in

        signed_out = client.post("/app/logout", headers={"X-CSRF-Token": token})
        assert signed_out.status_code == 303
        assert client.get("/app").status_code == 303


def test_a_token_from_another_session_is_refused(octopost: OctopostProcess, workspace: str) -> None:
    key = octopost.new_key(workspace)
    with signed_in_client(octopost, key) as first, signed_in_client(octopost, key) as second:
        their_token = csrf_token(second.get("/app").text)

        assert first.post("/app/logout", data={"csrf_token": their_token}).status_code == 403
        assert first.get("/app").status_code == 200


def test_the_sign_in_form_needs_its_token_too(octopost: OctopostProcess, workspace: str) -> None:
    with httpx.Client(base_url=octopost.url) as client:
        client.get("/app/login")

        refused = client.post("/app/login", data={"api_key": octopost.new_key(workspace)})

        assert refused.status_code == 403
        assert "octopost_session" in client.cookies
        assert client.get("/app").status_code == 303


def test_unauthenticated_pages_redirect_to_the_sign_in_page(octopost: OctopostProcess) -> None:
    with httpx.Client(base_url=octopost.url) as client:
        for path, next_path in (("/app", "/app"), ("/app?view=month", "/app%3Fview%3Dmonth")):
            answer = client.get(path)
            assert answer.status_code == 303
            assert answer.headers["location"] == f"/app/login?next={next_path}"
        forged = httpx.get(f"{octopost.url}/app", headers={"Cookie": "octopost_session=gAAAAAforged"})
        assert forged.status_code == 303


def test_a_revoked_key_signs_the_session_out(octopost: OctopostProcess, workspace: str) -> None:
    key = octopost.new_key(workspace)
    with signed_in_client(octopost, key) as client:
        assert client.get("/app").status_code == 200

        _revoke(octopost, key)
        answer = client.get("/app")

        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/app/login")
        assert "octopost_session" not in client.cookies  # cleared
        assert "revoked" in client.get(answer.headers["location"]).text


def test_the_rest_api_ignores_the_dashboard_session(octopost: OctopostProcess, workspace: str) -> None:
    key = octopost.new_key(workspace)
    with signed_in_client(octopost, key) as client:
        session = client.cookies["octopost_session"]

        cookie_only = httpx.get(f"{octopost.url}/v1/posts", headers={"Cookie": f"octopost_session={session}"})
        assert cookie_only.status_code == 401
        with_key = httpx.get(f"{octopost.url}/v1/posts", headers={"Authorization": f"Bearer {key}"})
        assert with_key.status_code == 200, with_key.text
        created = httpx.post(  # no CSRF token: the API takes bearer keys, which a browser never sends by itself
            f"{octopost.url}/v1/posts",
            json={"content": "from the API", "platforms": ["mastodon"]},
            headers={"Authorization": f"Bearer {key}"},
        )
        assert created.status_code == 201, created.text


def test_static_files_are_served_by_the_app_with_long_caching(octopost: OctopostProcess) -> None:
    page = httpx.get(f"{octopost.url}/app/login")
    stylesheet = re.search(r'href="(/app/static/app\.css\?v=[0-9a-f]+)"', page.text)
    script = re.search(r'src="(/app/static/app\.js\?v=[0-9a-f]+)"', page.text)
    assert stylesheet
    assert script

    css = httpx.get(f"{octopost.url}{stylesheet.group(1)}")
    js = httpx.get(f"{octopost.url}{script.group(1)}")

    assert css.status_code == 200
    assert "text/css" in css.headers["content-type"]
    assert js.status_code == 200
    assert "fetchJSON" in js.text
    assert "max-age=31536000" in css.headers["cache-control"]
    assert "no-store" in page.headers["cache-control"]
    assert "default-src 'self'" in page.headers["content-security-policy"]


def test_a_restricted_key_sees_only_what_its_scopes_allow(octopost: OctopostProcess, workspace: str) -> None:
    key = octopost.new_key(workspace, scopes=["posts:read"])
    with signed_in_client(octopost, key) as client:
        calendar = client.get("/app")
        assert calendar.status_code == 200
        assert 'href="/app/posts"' in calendar.text
        assert 'href="/app/accounts"' not in calendar.text

        accounts = client.get("/app/accounts")
        assert accounts.status_code == 403
        assert "This API key lacks the accounts:read scope" in accounts.text
        token = csrf_token(calendar.text)
        refused = client.post("/app/webhooks", data={"csrf_token": token, "url": "https://example.com/h"})
        assert refused.status_code == 403
