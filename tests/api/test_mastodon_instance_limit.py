"""A Mastodon instance's own status limit, end to end through `octopost serve`: the API checks a post against the
limit the account's instance publishes (/api/v2/instance), not Mastodon's default 500, and the scheduler then
posts the long text whole. The Mastodon fake plays an instance that allows 5,000 characters (mastodon_mock's
limit is fixed at 500)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.fakes.running import RunningFake, running_fake
from tests.scheduler.flows import connect, in_seconds, publish, wait_for_status

LONG = "Long-form instance. " * 60  # 1,200 characters: over the default 500, within this instance's 5,000


def schedule(api: httpx.Client, content: str) -> httpx.Response:
    """A post to Mastodon an hour from now: checked against the platform's limits as it is created."""
    body = {"content": content, "platforms": ["mastodon"], "scheduled_for": in_seconds(3600)}
    return api.post("/v1/posts", json=body)


@pytest.fixture
def roomy_instance(tmp_path: Path) -> Iterator[RunningFake]:
    with running_fake("mastodon", tmp_path) as fake:
        fake.control("PUT", "instance", {"max_characters": 5000})
        yield fake


@pytest.fixture
def default_instance(tmp_path: Path) -> Iterator[RunningFake]:
    with running_fake("mastodon", tmp_path) as fake:
        yield fake


def test_a_long_post_is_scheduled_and_published_whole_where_the_instance_allows_it(
    api: httpx.Client, roomy_instance: RunningFake
) -> None:
    connect(api, "mastodon", roomy_instance.url, {"access_token": "roomy"})
    scheduled = schedule(api, LONG)
    assert scheduled.status_code == 201, scheduled.text
    assert scheduled.json()["status"] == "scheduled"

    too_long = schedule(api, "x" * 5001)
    assert too_long.status_code == 422, too_long.text
    assert "mastodon: content is 5001 characters; the limit is 5000" in too_long.text

    draft_id = publish(api, "mastodon", LONG)
    done = wait_for_status(api, draft_id, "published", "failed", timeout=30)
    assert done["status"] == "published", done
    assert [item["text"] for item in roomy_instance.created()] == [LONG]


def test_the_same_post_is_refused_for_an_instance_at_the_default_limit(
    api: httpx.Client, default_instance: RunningFake
) -> None:
    connect(api, "mastodon", default_instance.url, {"access_token": "default"})
    refused = schedule(api, LONG)
    assert refused.status_code == 422, refused.text
    assert "mastodon: content is 1200 characters; the limit is 500" in refused.text
    assert default_instance.created() == []
