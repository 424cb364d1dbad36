"""The Compose page in Chromium against a real `octopost serve` with the X and Bluesky fakes connected: a thread to
both platforms counted live as each counts (a counter red with its reason past X's 280, normal again below), an
image uploaded with alt text, a post scheduled for tomorrow 09:00 in New York found in the calendar at 09:00 there,
one published now whose result link leads to the platform's post, and problems shown next to their fields with
the input kept (also without JavaScript). Screenshots of each state go to test-artifacts/dashboard/."""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
from playwright.sync_api import Browser, Locator, Page, Route, expect

from octopost.timefmt import iso
from tests.dashboard.browser import DESKTOP, PHONE, screenshot, sign_in
from tests.fakes.running import RunningFake, fake_per_module
from tests.peers.app import OctopostProcess
from tests.peers.ports import wait_until
from tests.queue.test_queue_api import daily
from tests.scheduler.flows import connect, wait_for_status

x_fake = fake_per_module("twitter")
bluesky_fake = fake_per_module("bluesky")
NEW_YORK = ZoneInfo("America/New_York")


@dataclass
class Composer:
    page: Page
    rest: httpx.Client  # the same workspace through the REST API, to check what the page made
    base_url: str

    def open(self) -> Composer:
        self.page.goto(f"{self.base_url}/app/compose")
        expect(self.page.get_by_role("heading", level=1)).to_have_text("Compose")
        return self

    def tick(self, *labels: str) -> None:
        for label in labels:
            self.page.get_by_role("checkbox", name=label).check()

    def counter(self, field: Locator, platform: str) -> Locator:
        """``platform``'s counter under the text ``field`` (main text or a segment)."""
        return field.locator("xpath=following-sibling::ul[@data-counters][1]").locator(f'[data-platform="{platform}"]')

    def submit(self) -> None:
        self.page.get_by_role("button", name="Create post").click()

    def created_id(self) -> str:
        self.page.wait_for_url(re.compile(r"/app/posts/post_[0-9a-z]+"))
        return self.page.url.rsplit("/", 1)[1]


def _connect_fakes(rest: httpx.Client, x: RunningFake, bluesky: RunningFake, workspace: str) -> None:
    connect(rest, "twitter", x.url, {"access_token": f"token-{workspace}"})
    connect(rest, "bluesky", bluesky.url, {"identifier": workspace.replace("_", "-"), "password": "app-password"})


def _composer(octopost: OctopostProcess, page: Page, workspace: str, x: RunningFake, bluesky: RunningFake) -> Composer:
    key = octopost.new_key(workspace)
    rest = octopost.client(key)
    _connect_fakes(rest, x, bluesky, workspace)
    sign_in(page, octopost.url, key)
    return Composer(page, rest, octopost.url).open()


def png(width: int = 2, height: int = 2) -> bytes:
    """A small valid PNG (grey pixels), made here so the test needs no image file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def test_a_thread_to_two_platforms_is_counted_live_and_a_counter_goes_red_past_the_limit_and_back(
    octopost: OctopostProcess, page: Page, workspace: str, x_fake: RunningFake, bluesky_fake: RunningFake
) -> None:
    composer = _composer(octopost, page, workspace, x_fake, bluesky_fake)
    composer.tick("X", "Bluesky")
    main = page.get_by_label("Main text")
    main.fill("Release notes, a thread")
    page.get_by_role("button", name="Add segment").click()
    first = page.get_by_label("Segment 1", exact=True)
    expect(first).to_be_focused()  # the keyboard lands in the new segment
    first.fill("Second part")

    expect(composer.counter(main, "twitter")).to_have_text("X: 23 / 280 weighted characters")
    expect(composer.counter(main, "bluesky")).to_have_text("Bluesky: 23 / 300 characters")
    expect(composer.counter(first, "twitter")).to_have_text("X: 11 / 280 weighted characters")

    first.fill("a" * 290)
    over = composer.counter(first, "twitter")
    expect(over).to_have_class(re.compile(r"\bover\b"))
    expect(over).to_contain_text("X: 290 / 280 weighted characters — over the limit by 10")
    expect(over).to_contain_text("twitter: segments[0]")  # the reason, as the API gives it
    expect(composer.counter(first, "bluesky")).not_to_have_class(re.compile(r"\bover\b"))  # 300 there
    expect(page.locator("#counter-announcer")).to_have_text("X, segment 1: over the limit by 10")
    assert over.evaluate("e => getComputedStyle(e).color") != "rgb(90, 99, 114)"  # not the muted normal colour
    screenshot(page, "compose-counter-over")

    first.fill("a" * 280)
    expect(composer.counter(first, "twitter")).to_have_text("X: 280 / 280 weighted characters")
    expect(composer.counter(first, "twitter")).not_to_have_class(re.compile(r"\bover\b"))
    expect(page.locator("#counter-announcer")).to_have_text("X, segment 1: within the limit")

    first.fill("Second part")
    page.get_by_role("button", name="Add segment").click()
    page.get_by_label("Segment 2", exact=True).fill("Third part")
    page.get_by_role("button", name="Add segment").click()
    page.get_by_role("button", name="Remove segment 3").click()
    page.get_by_role("button", name="Move segment 2 up").focus()
    page.keyboard.press("Enter")  # reordered from the keyboard
    expect(page.get_by_label("Segment 1", exact=True)).to_have_value("Third part")
    expect(page.get_by_label("Segment 2", exact=True)).to_have_value("Second part")
    expect(page.get_by_label("Segment 3", exact=True)).to_have_count(0)
    page.get_by_role("button", name="Move segment 1 down").click()
    screenshot(page, "compose-thread")

    page.get_by_role("radio", name="Save as a draft").check()
    composer.submit()

    post = composer.rest.get(f"/v1/posts/{composer.created_id()}").json()
    assert post["status"] == "draft"
    assert post["platforms"] == ["twitter", "bluesky"]
    assert post["content"] == "Release notes, a thread"
    assert [s["content"] for s in post["segments"]] == ["Second part", "Third part"]
    expect(page.get_by_role("status")).to_have_text("Saved as a draft.")


def test_an_image_uploaded_with_alt_text_is_attached_to_the_post(
    octopost: OctopostProcess, page: Page, workspace: str, x_fake: RunningFake, bluesky_fake: RunningFake
) -> None:
    composer = _composer(octopost, page, workspace, x_fake, bluesky_fake)
    composer.tick("Bluesky")
    page.get_by_label("Main text").fill("This week's chart")
    page.get_by_label("Image file").set_input_files(
        files=[{"name": "chart.png", "mimeType": "image/png", "buffer": png()}]
    )
    page.get_by_label("Alt text", exact=True).fill("Bars rising from left to right")
    page.get_by_role("button", name="Upload image").click()

    expect(page.locator("#upload-status")).to_have_text("Attached chart.png.")
    attached = page.get_by_role("list", name="Attached images").get_by_role("listitem")
    expect(attached).to_have_count(1)
    expect(page.get_by_label("Alt text for image 1")).to_have_value("Bars rising from left to right")
    expect(attached.get_by_role("img", name="Image 1: Bars rising from left to right")).to_be_visible()
    expect(page.get_by_label("Alt text", exact=True)).to_have_value("")  # ready for the next image
    screenshot(page, "compose-image-attached")

    page.get_by_role("radio", name="Save as a draft").check()
    composer.submit()

    post = composer.rest.get(f"/v1/posts/{composer.created_id()}").json()
    [image] = post["media"]["images"]
    assert image["alt_text"] == "Bars rising from left to right"
    media_id = re.fullmatch(r"https?://[^/]+/v1/media/(med_[0-9a-z]+)/file\.png", image["url"])  # the public URL
    assert media_id, image["url"]
    uploaded = composer.rest.get(f"/v1/media/{media_id.group(1)}").json()  # an upload of this workspace
    assert (uploaded["content_type"], uploaded["width"], uploaded["height"]) == ("image/png", 2, 2)


def test_a_post_scheduled_for_tomorrow_nine_in_new_york_is_in_the_calendar_at_nine_there(
    octopost: OctopostProcess, page: Page, workspace: str, x_fake: RunningFake, bluesky_fake: RunningFake
) -> None:
    composer = _composer(octopost, page, workspace, x_fake, bluesky_fake)
    tomorrow = datetime.now(NEW_YORK).date() + timedelta(days=1)
    composer.tick("X", "Bluesky")
    page.get_by_label("Main text").fill("Good morning, New York")
    page.get_by_role("radio", name="At a date and time").check()
    page.get_by_label("Date and time", exact=True).fill(f"{tomorrow.isoformat()}T09:00")
    page.get_by_label("Time zone").select_option("America/New_York")
    screenshot(page, "compose-schedule")
    composer.submit()

    post_id = composer.created_id()
    post = composer.rest.get(f"/v1/posts/{post_id}").json()
    assert post["status"] == "scheduled"
    assert post["scheduled_for"] == iso(datetime.combine(tomorrow, time(9), NEW_YORK).astimezone(UTC))

    calendar = f"{octopost.url}/app?view=week&tz=America/New_York&day={tomorrow.isoformat()}"
    entry = page.locator(f'li.day:has(time[datetime="{tomorrow.isoformat()}"]) li:has(a[href="/app/posts/{post_id}"])')

    def listed() -> bool:
        page.goto(calendar)
        return entry.count() == 1

    wait_until(listed, timeout=15, what="the scheduled post in the calendar")
    expect(entry.locator("time")).to_have_text("09:00")
    screenshot(page, "compose-scheduled-in-calendar")


def test_a_post_published_now_links_to_the_platform_s_post(
    octopost: OctopostProcess, page: Page, workspace: str, x_fake: RunningFake, bluesky_fake: RunningFake
) -> None:
    composer = _composer(octopost, page, workspace, x_fake, bluesky_fake)
    composer.tick("X")
    page.get_by_label("Main text").fill(f"Live from the dashboard ({workspace})")
    page.get_by_label("Who may reply").select_option("mentioned")
    page.get_by_role("radio", name="Publish now").check()
    composer.submit()

    post_id = composer.created_id()
    done = wait_for_status(composer.rest, post_id, "published", "failed", timeout=60)
    result = done["platform_results"]["twitter"]
    assert done["status"] == "published", result
    assert done["reply_policy"] == "mentioned"
    assert [c["text"] for c in x_fake.created() if c["id"] == result["post_id"]] == [done["content"]]

    row = page.get_by_role("row", name=re.compile("twitter"))
    link = row.get_by_role("link", name=re.compile("Main post|Live post"))

    def shown() -> bool:
        page.reload()
        return link.count() == 1

    wait_until(shown, timeout=30, what="the result link on the post's page")
    assert link.get_attribute("href") == result["post_url"]
    screenshot(page, "compose-published-detail")

    # This network reaches no real x.com: the browser is answered for it, to follow the link as a person would.
    def x_com(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body="<title>The post on X</title>")

    page.route("https://x.com/**", x_com)
    link.click()
    page.wait_for_url(result["post_url"])
    assert page.title() == "The post on X"


def test_problems_are_shown_next_to_their_fields_with_the_input_kept_and_nothing_created(
    octopost: OctopostProcess, page: Page, workspace: str, x_fake: RunningFake, bluesky_fake: RunningFake
) -> None:
    composer = _composer(octopost, page, workspace, x_fake, bluesky_fake)
    composer.tick("X", "Bluesky")
    page.get_by_label("Main text").fill("Kept as typed")
    page.get_by_role("button", name="Add segment").click()
    page.get_by_label("Segment 1", exact=True).fill("x" * 281)
    page.get_by_label("Option 1").fill("Only one option")
    page.get_by_label("Duration in minutes").fill("60")
    page.get_by_role("radio", name="At a date and time").check()
    in_two_days = datetime.now(UTC) + timedelta(days=2)
    page.get_by_label("Date and time", exact=True).fill(in_two_days.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Time zone").select_option("Europe/Paris")
    composer.submit()

    expect(page.get_by_role("alert")).to_contain_text("The post was not created")
    segment = page.get_by_label("Segment 1", exact=True)
    expect(segment).to_have_value("x" * 281)
    expect(segment).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#problems-segment-0")).to_contain_text("twitter: segments[0]")
    expect(page.locator("#problems-poll")).to_contain_text("poll.options")
    expect(page.get_by_label("Main text")).to_have_value("Kept as typed")
    expect(page.get_by_label("Option 1")).to_have_value("Only one option")
    expect(page.get_by_role("checkbox", name="Bluesky")).to_be_checked()
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Paris")  # not replaced by the browser's
    expect(page.get_by_role("radio", name="At a date and time")).to_be_checked()
    screenshot(page, "compose-problems")
    assert composer.rest.get("/v1/posts").json()["total"] == 0


def test_the_form_works_without_javascript(
    octopost: OctopostProcess, browser: Browser, workspace: str, x_fake: RunningFake, bluesky_fake: RunningFake
) -> None:
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        key = octopost.new_key(workspace)
        rest = octopost.client(key)
        _connect_fakes(rest, x_fake, bluesky_fake, workspace)
        page.goto(f"{octopost.url}/app/login")
        page.get_by_label("API key").fill(key)
        page.get_by_role("button", name="Sign in").click()
        composer = Composer(page, rest, octopost.url).open()
        expect(page.get_by_role("button", name="Add segment")).to_be_hidden()
        page.get_by_role("radio", name="At a date and time").check()
        page.get_by_label("Main text").fill("No script needed")
        composer.submit()

        expect(page.locator("#problems-platforms")).to_contain_text("platforms: at least one platform is required")
        expect(page.locator("#problems-schedule")).to_contain_text("scheduled_for: choose a date and a time")
        expect(page.get_by_label("Main text")).to_have_value("No script needed")
        screenshot(page, "compose-no-script-problems")

        composer.tick("X")
        page.get_by_role("radio", name="In the next free queue slot").check()
        composer.submit()
        expect(page.locator("#problems-schedule")).to_contain_text("the queue has no slots")
        slots, instants = daily("UTC")
        assert rest.put("/v1/queue", json={"timezone": "UTC", "slots": slots}).status_code == 200
        expect(page.get_by_role("checkbox", name="X")).to_be_checked()
        expect(page.get_by_role("radio", name="In the next free queue slot")).to_be_checked()
        composer.submit()

        post = rest.get(f"/v1/posts/{composer.created_id()}").json()
        assert (post["status"], post["platforms"], post["content"]) == ("scheduled", ["twitter"], "No script needed")
        assert post["scheduled_for"] == instants[0]
    finally:
        context.close()


def test_the_compose_page_reads_on_a_phone(
    octopost: OctopostProcess, page: Page, workspace: str, x_fake: RunningFake, bluesky_fake: RunningFake
) -> None:
    composer = _composer(octopost, page, workspace, x_fake, bluesky_fake)
    page.set_viewport_size(PHONE)  # type: ignore[arg-type]
    composer.open()
    page.get_by_role("button", name="Add segment").click()

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the compose page scrolls sideways on a phone ({width}px)"
    screenshot(page, "compose-phone")


def test_the_script_endpoints_need_the_session_and_its_csrf_token(
    octopost: OctopostProcess, signed_in_page: Callable[..., Page]
) -> None:
    anonymous = httpx.post(f"{octopost.url}/app/api/validate", json={"content": "hi"})
    assert anonymous.status_code == 403  # no session, so no token: refused before anything runs
    assert anonymous.json()["code"] == "forbidden"

    page = signed_in_page()
    for path, body, kind in (
        ("/app/api/validate", '{"content": "hi"}', "application/json"),
        ("/app/api/media", png(), "image/png"),
    ):
        refused = page.request.post(f"{octopost.url}{path}", data=body, headers={"Content-Type": kind})
        assert refused.status == 403, refused.text()
        assert refused.json()["code"] == "forbidden"

    token = {"X-CSRF-Token": page.get_attribute('meta[name="csrf-token"]', "content") or ""}
    checked = page.request.post(
        f"{octopost.url}/app/api/validate",
        data='{"content": "", "platform": ["twitter"]}',
        headers={**token, "Content-Type": "application/json"},
    )
    assert checked.status == 200, checked.text()
    assert checked.json()["fields"]["content"] == ["content: is required and must not be empty"]
    uploaded = page.request.post(
        f"{octopost.url}/app/api/media", data=png(), headers={**token, "Content-Type": "image/png"}
    )
    assert uploaded.status == 201, uploaded.text()
    assert uploaded.json()["id"].startswith("med_")
    assert (
        page.request.post(
            f"{octopost.url}/app/api/media", data=b"not an image", headers={**token, "Content-Type": "image/png"}
        ).json()["code"]
        == "validation_error"
    )


def test_a_key_that_may_only_read_cannot_open_compose(
    signed_in_page: Callable[..., Page], octopost: OctopostProcess
) -> None:
    page = signed_in_page(scopes=["posts:read"])

    answer = page.goto(f"{octopost.url}/app/compose")

    assert answer is not None
    assert answer.status == 403
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Compose")).to_have_count(0)
