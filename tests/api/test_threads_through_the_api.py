"""Threads end to end through `octopost serve`: connected through the OAuth screen (the OAuth peer as Meta's
authorization server, no refresh token) with the short-lived token traded for a long-lived one at connect; a
thread with an uploaded image published as native replies, Threads fetching the image from our signed public
URL; a worker killed while a container processes resumed from its handle; a publish whose answer was lost settled
by the container's status; a used-up publishing quota rescheduled, not failed; the long-lived token renewed by
Threads' own refresh; Threads' limits refused at schedule time. The peer is the strict fake (tests/fakes/threads/)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.api.meta_support import (
    MetaWorld,
    hurried_until,
    lost_answers,
    module_fixtures,
    post_now,
    published,
    target_row,
    world_per_module,
)
from tests.api.oauth_support import stored_credentials
from tests.api.support import assert_refused_when_scheduled
from tests.api.support import settled_through_processing as settled
from tests.api.support import upload_media as upload
from tests.fakes.core import Conditions
from tests.fakes.threads import USER_ID
from tests.media import make_png
from tests.scheduler.flows import ledger, make_all_due, wait_for

threads_world = world_per_module("threads")
world, api = module_fixtures("threads_world")
PUBLISH = "/{user}/threads_publish"


def test_connecting_keeps_the_long_lived_token_and_its_expiry(world: MetaWorld) -> None:
    api = world.service.client(workspace="ws-threads-connect")
    codes = world.peer.grant_count("authorization_code")

    account = world.connect(api)

    assert (account["platform"], account["username"], account["is_active"]) == ("threads", "octopost.fake", True)
    assert world.peer.grant_count("authorization_code") == codes + 1
    assert world.fake.stats()["exchanges"] == 1
    stored = stored_credentials(world.service, account["id"])
    assert stored["access_token"].startswith("TH-long-lived-")  # not the peer's one-hour token
    assert stored["user_id"] == USER_ID
    assert "refresh_token" not in stored
    lifetime = datetime.fromisoformat(stored["expires_at"]) - datetime.now(UTC)
    assert timedelta(days=59) < lifetime <= timedelta(days=60)


def test_a_thread_with_an_uploaded_image_is_native_replies(world: MetaWorld, api: httpx.Client) -> None:
    image = make_png(8, 6)
    url = upload(api, image, "image/png")
    texts = ["Launch day", "What is new", "Thanks all"]

    post_id = post_now(
        api,
        "threads",
        texts[0],
        media={"images": [{"url": url, "alt_text": "The launch banner"}]},
        segments=[{"content": t} for t in texts[1:]],
    )
    done = settled(world.service, api, post_id)

    result = done["platform_results"]["threads"]
    assert done["status"] == "published", result
    main, second, third = published(world)
    assert [(p["text"], p["reply_to"]) for p in (main, second, third)] == [
        (texts[0], None),
        (texts[1], main["id"]),
        (texts[2], second["id"]),
    ]
    assert [s["post_url"] for s in result["segments"]] == [p["permalink"] for p in (main, second, third)]
    image_container = world.fake.control("GET", "containers")[0]
    assert image_container["media_type"] == "IMAGE"
    assert image_container["fields"]["alt_text"] == "The launch banner"
    assert image_container["fields"]["image_url"].startswith(world.service.url)  # ours, signed, fetched by Threads


def test_a_worker_killed_while_the_container_processes_is_resumed_from_its_handle(
    world: MetaWorld, api: httpx.Client
) -> None:
    world.fake.control("PUT", "processing", {"polls": 1000})
    key = api.headers["Authorization"].removeprefix("Bearer ")
    post_id = post_now(api, "threads", "Survives a crash")
    first = world.service
    db = first.data_dir / "octopost.db"
    wait_for(lambda: [r[2] for r in ledger(db, post_id)] == ["pending"], timeout=30, what="the container pending")
    wait_for(lambda: target_row(first, post_id)[:2] == ("pending", None), timeout=30, what="the target released")

    second = world.crash_and_succeed()
    world.fake.control("POST", "finish")  # Threads finished processing while no worker ran
    make_all_due(second.database_url)
    done = settled(second, second.client(key), post_id)

    assert done["status"] == "published", done["platform_results"]
    assert len(world.fake.control("GET", "containers")) == 1  # resumed from the handle: no second container
    assert [p["text"] for p in published(world)] == ["Survives a crash"]


def test_a_lost_publish_answer_is_settled_by_the_containers_status(world: MetaWorld, api: httpx.Client) -> None:
    world.fake.set_conditions(Conditions(fault_rate=1.0, faults=["reset_after"], fault_paths=[PUBLISH]))

    post_id = post_now(api, "threads", "Published once")
    hurried_until(world.service, lambda: lost_answers(world) >= 1, what="the lost answer")
    world.fake.set_conditions(Conditions())
    done = settled(world.service, api, post_id)

    assert done["status"] == "published", done["platform_results"]
    (post,) = published(world)  # the container's PUBLISHED status said so: never published again
    assert done["platform_results"]["threads"]["post_id"] == post["id"]
    assert lost_answers(world) == 1


def test_a_used_up_publishing_quota_reschedules_the_post(world: MetaWorld, api: httpx.Client) -> None:
    world.fake.control("PUT", "quota", {"posts": 0})

    post_id = post_now(api, "threads", "Once the quota allows")
    wait_for(lambda: target_row(world.service, post_id)[2] == "rate_limited", timeout=30, what="the reschedule")
    assert api.get(f"/v1/posts/{post_id}").json()["status"] != "failed"
    assert world.fake.control("GET", "containers") == []  # refused before anything was made

    world.fake.control("PUT", "quota", {"posts": 250})  # a day later
    make_all_due(world.service.database_url)
    done = settled(world.service, api, post_id)
    assert done["status"] == "published", done["platform_results"]
    assert [p["text"] for p in published(world)] == ["Once the quota allows"]


def test_a_token_near_its_expiry_is_renewed_by_threads_refresh_before_publishing(world: MetaWorld) -> None:
    world.fake.control("PUT", "token_lifetime", {"expires_in": 3 * 86_400})  # inside the 7 days of renewal
    api = world.service.client(workspace="ws-threads-renewal")
    account = world.connect(api)
    before = stored_credentials(world.service, account["id"])

    done = settled(world.service, api, post_now(api, "threads", "On a renewed token"))

    assert done["status"] == "published", done["platform_results"]
    assert world.fake.stats()["refreshes"] == 1
    after = stored_credentials(world.service, account["id"])
    assert after["access_token"] != before["access_token"]
    assert datetime.fromisoformat(after["expires_at"]) - datetime.now(UTC) > timedelta(days=59)


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        pytest.param({"content": "a" * 501}, "threads: content is 501 characters; the limit is 500", id="501-chars"),
        pytest.param(
            {"content": " ".join(f"https://site{n}.example/" for n in range(6))},
            "threads: content has 6 different links; the limit is 5",
            id="6-links",
        ),
    ],
)
def test_threads_limits_are_refused_when_scheduled(
    world: MetaWorld, api: httpx.Client, fields: dict, problem: str
) -> None:
    assert_refused_when_scheduled(api, world.fake, "threads", fields, problem)
