"""Bluesky's post features end to end through `octopost serve` against the real PDS: a thread published with
``reply_policy: "nobody"`` and its languages (one threadgate, on the main post, allowing no one), and what Bluesky
cannot take refused when the post is scheduled (a poll; options outside the lexicon)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.peers.bluesky import BskyAccount, BskyPds
from tests.scheduler.flows import connect, in_seconds, publish, wait_for_status


@pytest.fixture
def connected(api: httpx.Client, bsky_pds: BskyPds, bsky_account: BskyAccount) -> BskyAccount:
    connect(api, "bluesky", bsky_pds.url, bsky_account.credentials)
    return bsky_account


def test_a_thread_nobody_may_answer_is_published_with_its_gate(
    api: httpx.Client, bsky_pds: BskyPds, connected: BskyAccount
) -> None:
    post_id = publish(
        api,
        "bluesky",
        "Announcement: no replies, please",
        segments=[{"content": "the details, in a reply of my own"}],
        reply_policy="nobody",
        platform_options={"bluesky": {"langs": ["en", "de"]}},
    )

    done = wait_for_status(api, post_id, "published", "failed", timeout=60)

    result = done["platform_results"]["bluesky"]
    assert done["status"] == "published", result
    main_uri, reply_uri = (s["post_id"] for s in result["segments"])
    gates = bsky_pds.list_records(connected.did, "app.bsky.feed.threadgate")
    assert [(g["uri"].rsplit("/", 1)[-1], g["value"]["post"], g["value"]["allow"]) for g in gates] == [
        (main_uri.rsplit("/", 1)[-1], main_uri, [])
    ]
    posts = {r["uri"]: r["value"] for r in bsky_pds.list_records(connected.did)}
    assert set(posts) == {main_uri, reply_uri}
    assert [posts[uri]["langs"] for uri in (main_uri, reply_uri)] == [["en", "de"], ["en", "de"]]
    assert posts[reply_uri]["reply"]["parent"]["uri"] == main_uri
    assert done["reply_policy"] == "nobody"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param(
            {"poll": {"options": ["yes", "no"], "duration_minutes": 60}},
            "bluesky: poll cannot be posted: Bluesky has no polls",
            id="poll",
        ),
        pytest.param(
            {"platform_options": {"bluesky": {"langs": ["en", "de", "fr", "es"]}}},
            "platform_options.bluesky: Expected `array` of length <= 3 - at `$.langs`",
            id="four-languages",
        ),
        pytest.param(
            {"platform_options": {"bluesky": {"langs": ["English"]}}},
            "platform_options.bluesky: Expected `str` matching regex",
            id="not-a-language-tag",
        ),
    ],
)
def test_what_bluesky_cannot_take_is_refused_when_scheduled(
    api: httpx.Client, bsky_pds: BskyPds, connected: BskyAccount, fields: dict[str, Any], message: str
) -> None:
    body = {"content": "Scheduled", "platforms": ["bluesky"], "scheduled_for": in_seconds(3600), **fields}

    refused = api.post("/v1/posts", json=body)

    assert refused.status_code == 422, refused.text
    assert message in refused.text
    assert bsky_pds.list_records(connected.did) == []
