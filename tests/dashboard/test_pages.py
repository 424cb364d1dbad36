"""The dashboard's pages in Chromium over a real `octopost serve`: calendar (week, month, time zones, queue slots),
the post list and detail (results, retry, edit, timeline), accounts through the token form, webhooks with their
delivery log. Posts fail on Mastodon's strict fake answering 500 (OCTOPOST_MAX_ATTEMPTS=1: one try, then failed)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.dashboard.browser import PHONE, screenshot, sign_in
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake, calm, running_fake
from tests.peers.app import OctopostProcess, make_octopost
from tests.peers.webhook_receiver import WebhookReceiver
from tests.scheduler.flows import connect, wait_for_status

# Wednesday 16 January 2030, 15:30 in Tokyo (UTC+9 all year).
TOKYO_INSTANT = "2030-01-16T06:30:00Z"


@pytest.fixture(scope="module")
def octopost(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OctopostProcess]:
    service = make_octopost(tmp_path_factory.mktemp("octopost-dashboard"), OCTOPOST_MAX_ATTEMPTS="1").start()
    yield service
    service.stop()


@pytest.fixture(scope="module")
def mastodon_fake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningFake]:
    with running_fake("mastodon", tmp_path_factory.mktemp("fake-mastodon")) as fake:
        yield fake


@pytest.fixture
def mastodon(mastodon_fake: RunningFake) -> Iterator[RunningFake]:
    with calm(mastodon_fake) as fake:
        yield fake


@pytest.fixture
def api(octopost: OctopostProcess, workspace: str) -> httpx.Client:
    """The REST API with another key of the browser's workspace (to arrange what the pages then show)."""
    return octopost.client(workspace=workspace)


def test_the_calendar_places_posts_at_their_local_time_with_the_queue_slots(
    signed_in_page: Callable[..., Page], api: httpx.Client, octopost: OctopostProcess
) -> None:
    slots = [{"day": "wed", "time": "15:30"}, {"day": "thu", "time": "10:00"}]
    assert api.put("/v1/queue", json={"timezone": "Asia/Tokyo", "slots": slots}).status_code == 200
    post = api.post("/v1/posts", json={"content": "Tokyo afternoon", "platforms": ["mastodon"],
                                       "scheduled_for": TOKYO_INSTANT}).json()
    page = signed_in_page()

    page.goto(f"{octopost.url}/app?view=week&tz=Asia/Tokyo&day=2030-01-16")

    wednesday = page.locator("li.day", has=page.locator('time[datetime="2030-01-16"]'))
    expect(wednesday.get_by_role("list", name="Posts")).to_contain_text("15:30 Tokyo afternoon")
    expect(wednesday.get_by_role("list", name="Queue slots")).to_contain_text("15:30 taken")
    thursday = page.locator("li.day", has=page.locator('time[datetime="2030-01-17"]'))
    expect(thursday.get_by_role("list", name="Queue slots")).to_contain_text("10:00 free")
    expect(page.locator("li.day")).to_have_count(7)
    screenshot(page, "calendar-week")

    page.goto(f"{octopost.url}/app?view=week&tz=UTC&day=2030-01-16")  # the same instant, in another zone
    expect(page.locator("li.day", has=page.locator('time[datetime="2030-01-16"]'))).to_contain_text("06:30 Tokyo")

    page.get_by_label("View", exact=True).select_option("month")
    page.get_by_label("Time zone").fill("Asia/Tokyo")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name=re.compile("January 2030"))).to_be_visible()
    page.get_by_role("link", name="Tokyo afternoon").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(post["id"])
    page.go_back()
    page.get_by_role("link", name=re.compile("Next month")).click()
    expect(page.get_by_role("heading", name=re.compile("February 2030"))).to_be_visible()
    screenshot(page, "calendar-month")


def test_the_calendar_opens_in_the_browsers_time_zone(
    octopost: OctopostProcess, browser: Browser, workspace: str
) -> None:
    context = browser.new_context(timezone_id="America/New_York")
    try:
        page = context.new_page()
        sign_in(page, octopost.url, octopost.new_key(workspace))
        page.wait_for_url(re.compile(r"tz=America%2FNew_York"))
        expect(page.get_by_label("Time zone")).to_have_value("America/New_York")
    finally:
        context.close()


def test_the_post_list_filters_by_status_and_links_each_post(
    signed_in_page: Callable[..., Page], api: httpx.Client, octopost: OctopostProcess
) -> None:
    api.post("/v1/posts", json={"content": "Just a draft", "platforms": ["mastodon"]})
    api.post("/v1/posts", json={"content": "Planned", "platforms": ["mastodon"], "scheduled_for": TOKYO_INSTANT})
    page = signed_in_page()
    page.goto(f"{octopost.url}/app/posts")
    expect(page.get_by_role("row")).to_have_count(3)  # header and two posts

    page.get_by_label("Status").select_option("draft")
    page.get_by_role("button", name="Filter").click()

    expect(page.get_by_text("1 post draft.")).to_be_visible()
    expect(page.get_by_role("link", name="Just a draft")).to_be_visible()
    expect(page.get_by_role("link", name="Planned")).to_have_count(0)
    screenshot(page, "posts-list")
    page.get_by_role("link", name="Just a draft").click()
    expect(page.get_by_role("heading", name="Content")).to_be_visible()


def test_a_failed_platform_is_retried_from_the_detail_page_and_published(
    signed_in_page: Callable[..., Page],
    api: httpx.Client,
    octopost: OctopostProcess,
    mastodon: RunningFake,
    webhook_receiver: WebhookReceiver,
) -> None:
    inbox = webhook_receiver.inbox()
    hook = api.post("/v1/webhooks", json={"url": inbox.url, "events": ["post.failed", "post.published"]})
    inbox.secret = hook.json()["secret"]
    connect(api, "mastodon", mastodon.url, {"access_token": "dashboard"})
    mastodon.set_conditions(Conditions(fault_rate=1.0, faults=["500"]))
    post = api.post("/v1/posts", json={"content": "Try, try again", "platforms": ["mastodon"]}).json()
    assert api.post(f"/v1/posts/{post['id']}/publish").status_code == 200
    assert wait_for_status(api, post["id"], "published", "failed")["status"] == "failed"
    page = signed_in_page()

    page.goto(f"{octopost.url}/app/posts/{post['id']}")
    results = page.get_by_role("table")
    expect(results.get_by_role("row", name=re.compile("mastodon"))).to_contain_text("failed")
    expect(results).to_contain_text("transient")
    screenshot(page, "post-failed")
    mastodon.set_conditions(Conditions())
    page.get_by_role("button", name="Retry mastodon").click()

    expect(page.get_by_role("status")).to_contain_text("Retrying")
    done = wait_for_status(api, post["id"], "published", "failed")
    assert done["status"] == "published", done
    page.reload()
    live = page.get_by_role("link", name="Main post")
    expect(live).to_have_attribute("href", done["platform_results"]["mastodon"]["segments"][0]["post_url"])
    timeline = page.get_by_role("list").filter(has_text="Created")
    expect(timeline).to_contain_text("mastodon: main post posted")
    inbox.wait_for_type("post.published")
    page.reload()
    expect(timeline).to_contain_text("Webhook event post.failed — delivered")
    expect(timeline).to_contain_text("Webhook event post.published — delivered")
    assert [item["text"] for item in mastodon.created()] == ["Try, try again"]
    screenshot(page, "post-published")


def test_a_draft_is_edited_and_scheduled_from_its_page(
    signed_in_page: Callable[..., Page], api: httpx.Client, octopost: OctopostProcess
) -> None:
    post = api.post("/v1/posts", json={"content": "First words", "platforms": ["mastodon"]}).json()
    page = signed_in_page()
    page.goto(f"{octopost.url}/app/posts/{post['id']}?tz=Asia/Tokyo")

    page.get_by_role("textbox", name="Content").fill("Better words")
    page.get_by_label("Scheduled for").fill("2030-01-16T15:30")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_have_text("Saved.")
    stored = api.get(f"/v1/posts/{post['id']}").json()
    assert stored["content"] == "Better words"
    assert stored["scheduled_for"] == TOKYO_INSTANT
    assert stored["status"] == "scheduled"
    expect(page.get_by_label("Scheduled for")).to_have_value("2030-01-16T15:30")
    screenshot(page, "post-edit")


def test_another_workspaces_post_is_not_found(
    signed_in_page: Callable[..., Page], octopost: OctopostProcess
) -> None:
    theirs = octopost.client(workspace="dash-someone-else")
    post = theirs.post("/v1/posts", json={"content": "Not yours", "platforms": ["mastodon"]}).json()
    page = signed_in_page()

    answer = page.goto(f"{octopost.url}/app/posts/{post['id']}")

    assert answer is not None
    assert answer.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    expect(page.get_by_text("Not yours")).to_have_count(0)
    screenshot(page, "post-not-found")


def test_a_token_platform_connects_through_its_form_then_is_verified_made_default_and_disconnected(
    signed_in_page: Callable[..., Page], api: httpx.Client, octopost: OctopostProcess, mastodon: RunningFake
) -> None:
    page = signed_in_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{octopost.url}/app/accounts")
    screenshot(page, "accounts-empty")

    page.get_by_role("link", name="Connect Mastodon").click()
    expect(page.get_by_text("Preferences → Development → New application")).to_be_visible()
    page.get_by_label("Access token").fill("first-token")
    page.get_by_label("Server (base URL)").fill(mastodon.url)
    screenshot(page, "account-token-form")
    page.get_by_role("button", name="Connect", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("Connected @")
    [first] = api.get("/v1/accounts").json()["accounts"]
    row = page.get_by_role("row", name=re.compile(first["username"]))
    expect(row).to_contain_text("active")
    expect(row).to_contain_text("default")

    page.get_by_role("button", name=f"Verify @{first['username']}").click()
    expect(page.get_by_role("status")).to_contain_text("works")
    screenshot(page, "accounts")
    page.get_by_role("button", name=f"Disconnect @{first['username']}").click()
    expect(page.get_by_role("status")).to_have_text("The account was disconnected.")
    assert api.get("/v1/accounts").json()["accounts"] == []


def test_a_refused_token_shows_the_platforms_answer_on_the_form(
    signed_in_page: Callable[..., Page], octopost: OctopostProcess
) -> None:
    page = signed_in_page()
    page.goto(f"{octopost.url}/app/accounts/new/telegram")
    page.get_by_label("Bot token").fill("123:abc")
    page.get_by_role("button", name="Connect", exact=True).click()  # no chat id

    expect(page.get_by_role("alert")).to_contain_text("credentials for telegram must contain {bot_token, chat_id}")


def test_webhooks_show_endpoints_and_the_delivery_log_with_status_codes(
    signed_in_page: Callable[..., Page],
    api: httpx.Client,
    octopost: OctopostProcess,
    webhook_receiver: WebhookReceiver,
) -> None:
    inbox = webhook_receiver.inbox()
    page = signed_in_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{octopost.url}/app/webhooks")

    page.get_by_label("URL").fill(inbox.url)
    page.get_by_label("post.scheduled").check()
    page.get_by_role("button", name="Add endpoint").click()

    secret = page.locator("#webhook-secret").inner_text()
    assert secret.startswith("whsec_")
    inbox.secret = secret
    api.post("/v1/posts", json={"content": "Hook me", "platforms": ["mastodon"], "scheduled_for": TOKYO_INSTANT})
    inbox.wait_for_type("post.scheduled")
    page.goto(f"{octopost.url}/app/webhooks")
    expect(page.locator("#webhook-secret")).to_have_count(0)  # shown once
    log = page.get_by_role("row", name=re.compile("post.scheduled"))
    expect(log).to_contain_text("204")
    expect(log).to_contain_text("delivered")
    screenshot(page, "webhooks")

    page.get_by_role("button", name="Rotate secret").click()
    rotated = page.locator("#webhook-secret").inner_text()
    assert rotated.startswith("whsec_")
    assert rotated != secret
    [endpoint] = api.get("/v1/webhooks").json()["webhooks"]
    assert api.put(f"/v1/webhooks/{endpoint['id']}", json={"is_active": False}).status_code == 200
    page.goto(f"{octopost.url}/app/webhooks")
    page.get_by_role("button", name="Re-enable").click()
    expect(page.get_by_role("status")).to_have_text("The endpoint is enabled again.")
    assert api.get(f"/v1/webhooks/{endpoint['id']}").json()["is_active"] is True
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("No endpoints yet.")).to_be_visible()


def test_every_page_reads_on_a_phone(signed_in_page: Callable[..., Page], octopost: OctopostProcess) -> None:
    page = signed_in_page()
    page.set_viewport_size(PHONE)  # type: ignore[arg-type]
    for path, name in (("/app?tz=UTC", "calendar"), ("/app/posts", "posts"), ("/app/accounts", "accounts"),
                       ("/app/webhooks", "webhooks")):
        page.goto(f"{octopost.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} scrolls sideways on a phone ({width}px)"
        screenshot(page, f"{name}-phone")
