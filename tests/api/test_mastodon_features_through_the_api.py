"""Mastodon's post features end to end through `octopost serve` against mastodon_mock: a native poll and the
platform options published on every segment of a thread, the options stored, returned and edited while the post is a
draft, and what Mastodon cannot take refused when the post is scheduled (nothing reaches the instance)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.peers.mastodon import MastodonAccount, MastodonPeer
from tests.scheduler.flows import connect, in_seconds, publish, wait_for_status

OPTIONS = {"visibility": "unlisted", "spoiler_text": "election talk", "sensitive": True, "language": "en"}


@pytest.fixture
def connected(api: httpx.Client, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount) -> MastodonAccount:
    connect(api, "mastodon", mastodon_peer.url, mastodon_account.credentials)
    return mastodon_account


def test_a_poll_and_the_options_are_published_on_mastodon(
    api: httpx.Client, mastodon_peer: MastodonPeer, connected: MastodonAccount
) -> None:
    poll = {"options": ["yes", "no", "ask me later"], "duration_minutes": 60}
    post_id = publish(
        api,
        "mastodon",
        "Should we?",
        segments=[{"content": "context in this reply"}],
        poll=poll,
        platform_options={"mastodon": OPTIONS},
    )

    done = wait_for_status(api, post_id, "published", "failed", timeout=60)

    result = done["platform_results"]["mastodon"]
    assert done["status"] == "published", result
    main, reply = (mastodon_peer.status(s["post_id"], connected.token) for s in result["segments"])
    assert [o["title"] for o in main["poll"]["options"]] == poll["options"]
    assert reply["poll"] is None
    assert reply["in_reply_to_id"] == main["id"]
    for status in (main, reply):
        assert {key: status[key] for key in OPTIONS} == OPTIONS
    assert done["poll"]["options"] == poll["options"]
    assert done["platform_options"] == {"mastodon": OPTIONS}


def test_the_options_are_kept_returned_and_edited_while_a_draft(api: httpx.Client, connected: MastodonAccount) -> None:
    draft = api.post(
        "/v1/posts",
        json={
            "content": "draft",
            "platforms": ["mastodon"],
            "platform_options": {"mastodon": {"visibility": "private"}},
        },
    )
    assert draft.status_code == 201, draft.text
    post_id = draft.json()["id"]
    assert api.get(f"/v1/posts/{post_id}").json()["platform_options"] == {"mastodon": {"visibility": "private"}}

    edited = api.put(f"/v1/posts/{post_id}", json={"platform_options": {"mastodon": {"visibility": "direct"}}})
    assert edited.status_code == 200, edited.text
    assert api.get(f"/v1/posts/{post_id}").json()["platform_options"] == {"mastodon": {"visibility": "direct"}}

    refused = api.put(f"/v1/posts/{post_id}", json={"platform_options": {"mastodon": {"visibility": "bogus"}}})
    assert refused.status_code == 422, refused.text
    assert "platform_options.mastodon: Invalid enum value 'bogus' - at `$.visibility`" in refused.text
    assert api.get(f"/v1/posts/{post_id}").json()["platform_options"] == {"mastodon": {"visibility": "direct"}}


IMAGE = {"images": [{"url": "https://media.example/picture.png", "alt_text": "a picture"}]}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param(
            {"poll": {"options": ["a", "b"], "duration_minutes": 60}, "media": IMAGE},
            "mastodon: poll cannot go with media on Mastodon",
            id="poll-with-media",
        ),
        pytest.param(
            {"poll": {"options": ["a", "b", "c", "d", "e"], "duration_minutes": 60}},
            "poll.options: 5 options; a poll has 2 to 4",
            id="five-options",
        ),
        pytest.param(
            {"poll": {"options": ["x" * 51, "b"], "duration_minutes": 60}},
            "mastodon: poll option 1 is 51 characters; the limit is 50",
            id="long-option",
        ),
        pytest.param(
            {"poll": {"options": ["a", "b"], "duration_minutes": 2}},
            "mastodon: poll lasts 2 minutes; Mastodon takes 5 to 43829",
            id="too-short",
        ),
        pytest.param(
            {"reply_policy": "followers"},
            "mastodon: reply_policy 'followers' cannot be applied on Mastodon (it supports: everyone)",
            id="reply-policy",
        ),
        pytest.param(
            {"content": "t" * 490, "platform_options": {"mastodon": {"spoiler_text": "w" * 11}}},
            "mastodon: platform_options.mastodon spoiler_text: content is 501 characters with its content warning",
            id="warning-and-text-over-the-limit",
        ),
        pytest.param(
            {"platform_options": {"mastodon": {"visibility": "bogus"}}},
            "platform_options.mastodon: Invalid enum value 'bogus' - at `$.visibility`",
            id="bogus-visibility",
        ),
    ],
)
def test_what_mastodon_cannot_take_is_refused_when_scheduled(
    api: httpx.Client,
    mastodon_peer: MastodonPeer,
    connected: MastodonAccount,
    fields: dict[str, Any],
    message: str,
) -> None:
    body = {"content": "Scheduled", "platforms": ["mastodon"], "scheduled_for": in_seconds(3600)} | fields

    refused = api.post("/v1/posts", json=body)

    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "validation_error"
    assert message in refused.text
    assert mastodon_peer.statuses(connected.token) == []
