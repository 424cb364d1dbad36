"""What one Ziik content item carries, read back from the fake (which refuses unknown fields and wrong types at
every level): the folded thread as an escaped HTML body, the title from the options or the first line, the options
in Ziik's own fields, the poll and its close_at, the reply policy as comments, and publish_on from scheduled_for."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import msgspec
import pytest

from adapters.base import Poll, ReplyPolicy
from adapters.segments import FOLD_SEPARATOR
from adapters.ziik.content import MAX_BODY_BYTES, MAX_BODY_CHARS, body_html, title_of
from adapters.ziik.options import ZiikOptions
from tests.adapters.ziik.support import MakeAdapter, only_content, request
from tests.fakes.running import RunningFake
from tests.fakes.ziik import GROUP_ID, SECOND_UNIT


def options(**given: object) -> ZiikOptions:
    """Options as the API decodes them from ``platform_options.ziik``."""
    return msgspec.convert(given, ZiikOptions, strict=True)


async def test_a_folded_thread_is_one_item_with_a_paragraph_per_segment(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    segments = ["Q3 <results> & plans", "Revenue: up\nCosts: down", 'Questions? Ask "HR" in #general']
    adapter = make_adapter()

    ref = await adapter.publish(request(FOLD_SEPARATOR.join(segments)))

    item = only_content(fake)
    assert item["request"]["body"] == (
        '<p>Q3 &lt;results&gt; &amp; plans</p><p>Revenue: up<br>Costs: down</p><p>Questions? Ask "HR" in #general</p>'
    )
    assert item["request"]["title"] == "Q3 <results> & plans"  # the title is text, not HTML
    assert item["published"] is True
    assert ref.id == item["id"]
    assert ref.url == f"{fake.url}/api/content/{ref.id}"
    assert [c["text"] for c in fake.created()] == [item["request"]["body"]]


def test_the_body_renders_every_paragraph_and_nothing_else() -> None:
    assert body_html("  one\r\n\r\n\r\n two \n  \n<script>alert(1)</script>  ") == (
        "<p>one</p><p>two</p><p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )
    assert body_html("") == ""


async def test_the_longest_body_fits_what_ziik_stores(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    """The worst text at the limit (every character an ``&``) still renders under 65,535 bytes of HTML."""
    await make_adapter().publish(request("&" * MAX_BODY_CHARS, options=options(title="Ampersands")))

    body = only_content(fake)["request"]["body"]
    assert len(body.encode()) <= MAX_BODY_BYTES
    assert body.count("&amp;") == MAX_BODY_CHARS


async def test_the_title_comes_from_the_options_else_the_first_line(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    adapter = make_adapter()

    await adapter.publish(request("\n  Town hall   on Friday \nDetails inside", options=options(title="Town hall")))
    await adapter.publish(request("\n  Town hall   on Friday \nDetails inside"))

    titles = [item["request"]["title"] for item in fake.control("GET", "contents")]
    assert titles == ["Town hall", "Town hall on Friday"]


def test_a_first_line_over_255_characters_is_cut_at_a_word() -> None:
    title = title_of("word " * 100, None)
    assert len(title) <= 255
    assert title.endswith("word…")
    assert title_of("x" * 300, None) == "x" * 254 + "…"


async def test_the_options_become_ziiks_fields(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    pin_until = datetime.now(UTC).replace(microsecond=0) + timedelta(days=7)
    given = options(
        owner_unit=SECOND_UNIT,
        visibility={"all_units": False, "units": [3], "units_falldown": [4], "userTypes": [1, 2]},
        important=True,
        pinned_until=pin_until.isoformat(),
        comments_enabled=False,
        show_in_feed=False,
        require_confirmation=True,
    )

    await make_adapter().publish(request("Safety first", options=given))

    sent = only_content(fake)["request"]
    assert {k: v for k, v in sent.items() if k not in {"title", "body", "publish"}} == {
        "owner_unit": SECOND_UNIT,
        "visibility": {"all_units": False, "units": [3], "units_falldown": [4], "userTypes": [1, 2]},
        "important": True,
        "pinned": {"until": int(pin_until.timestamp())},
        "comments": {"enabled": False},
        "show_in_feed": False,
        "confirm": {"enabled": True},
    }


async def test_a_group_post(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    await make_adapter().publish(request("For the group", options=options(group=GROUP_ID)))

    assert only_content(fake)["request"]["group"] == GROUP_ID


async def test_a_poll_closes_its_duration_after_it_opens(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter()
    before = int(time.time())

    await adapter.publish(request("Lunch vote\nPick one", poll=Poll(("Pizza", "Sushi", "Salad"), 90)))
    await adapter.publish(request("Second vote", poll=Poll(("Yes", "No"), 60, question="Friday drinks?")))

    after = int(time.time())
    first, second = (item["request"]["poll"] for item in fake.control("GET", "contents"))
    assert before + 90 * 60 <= first["close_at"] <= after + 90 * 60
    assert {k: v for k, v in first.items() if k != "close_at"} == {
        "question": "Lunch vote",  # no question of its own: the title's
        "choices": [{"title": "Pizza"}, {"title": "Sushi"}, {"title": "Salad"}],
    }
    assert second["question"] == "Friday drinks?"


@pytest.mark.parametrize(("policy", "enabled"), [(ReplyPolicy.NOBODY, False), (ReplyPolicy.EVERYONE, True)])
async def test_the_reply_policy_opens_or_closes_the_comments(
    make_adapter: MakeAdapter, fake: RunningFake, policy: ReplyPolicy, enabled: bool
) -> None:
    await make_adapter().publish(request("Read only", reply_policy=policy))

    assert only_content(fake)["request"]["comments"] == {"enabled": enabled}


async def test_without_a_policy_or_option_ziiks_default_applies(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    await make_adapter().publish(request("Plain"))

    assert set(only_content(fake)["request"]) == {"title", "body", "publish"}


async def test_publish_on_is_when_the_post_was_due_in_unix_seconds(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    adapter = make_adapter()
    due = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=3)  # picked up a little late
    early = datetime.now(UTC) + timedelta(hours=2)  # published on demand before its time

    await adapter.publish(request("Due", scheduled_for=due))
    before = int(time.time())
    await adapter.publish(request("Now, as asked", scheduled_for=early))
    await adapter.publish(request("Unscheduled"))
    after = int(time.time())

    due_item, early_item, now_item = (item["request"]["publish"] for item in fake.control("GET", "contents"))
    assert due_item == {"status": True, "publish_on": int(due.timestamp())}
    assert before <= early_item["publish_on"] <= after
    assert before <= now_item["publish_on"] <= after
    assert all(item["published"] for item in fake.control("GET", "contents"))


async def test_an_answer_wrapped_in_data_is_read_as_well(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    """Ziik's older docs answer ``{"data": {...}}``, the content API reference the item itself: both work."""
    fake.control("PUT", "answers", {"wrapped": True})

    ref = await make_adapter().publish(request("Wrapped"))

    assert ref.id == only_content(fake)["id"]
