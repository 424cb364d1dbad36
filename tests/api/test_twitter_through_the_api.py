"""X end to end through `octopost serve`: connect over /v1/accounts, publish a thread, read back post URLs that
name the account (X's create answer carries no handle, so the stored account's must reach the adapter); a thread
with a poll for mentioned users only, and what X cannot take refused when the post is scheduled.

Against Prism serving X's own v2 spec (every request must pass it; Prism invents lorem-ipsum handles, mostly
not valid ones, so the URLs fall back to x.com/i/status), and against the X fake (a real handle, and the post read
back as X's lookup shows it)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.fakes.running import running_fake
from tests.peers.prism import PrismPeer
from tests.scheduler.flows import connect, in_seconds, publish, wait_for_status

_HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")
TOKEN = "oauth2-user-token"
POLL = {"options": ["Tabs", "Spaces"], "duration_minutes": 60}


@pytest.fixture
def x_fake_url(tmp_path: Path) -> Iterator[str]:
    with running_fake("twitter", tmp_path) as fake:
        yield fake.url


def publish_thread(api: httpx.Client, base_url: str, **fields: object) -> tuple[dict, dict]:
    account = connect(api, "twitter", base_url, {"access_token": TOKEN})
    assert account["platform"] == "twitter"
    assert account["id"].startswith("acc_")
    assert TOKEN not in str(account)  # never the credentials
    post_id = publish(api, "twitter", "X, main", segments=[{"content": "X, reply"}], **fields)
    done = wait_for_status(api, post_id, "published", "failed", timeout=60)
    result = done["platform_results"]["twitter"]
    assert done["status"] == "published", result
    assert result["success"] is True
    assert len(result["segments"]) == 2
    return account, result


def urls_name(result: dict, handle: str) -> bool:
    return all(s["post_url"] == f"https://x.com/{handle}/status/{s['post_id']}" for s in [result, *result["segments"]])


def test_x_thread_through_the_api_passes_the_spec(api: httpx.Client, prism_x: PrismPeer) -> None:
    since = prism_x.log_offset()
    account, result = publish_thread(api, prism_x.url, poll=POLL, reply_policy="mentioned")
    handle = account["username"]  # Prism's invention: mostly lorem ipsum with spaces, not a valid handle
    assert urls_name(result, handle if _HANDLE.fullmatch(handle) else "i")
    assert prism_x.request_violations(since) == []  # every request we sent passed X's spec


def test_x_post_urls_name_the_connected_account(api: httpx.Client, x_fake_url: str) -> None:
    account, result = publish_thread(api, x_fake_url)
    assert _HANDLE.fullmatch(account["username"]), account
    assert urls_name(result, account["username"])


def test_a_poll_for_mentioned_users_only_lands_on_the_main_post(api: httpx.Client, x_fake_url: str) -> None:
    _, result = publish_thread(api, x_fake_url, poll=POLL, reply_policy="mentioned")

    main, reply = (lookup(x_fake_url, segment["post_id"]) for segment in result["segments"])
    assert main["data"]["reply_settings"] == "mentionedUsers"
    (poll,) = main["includes"]["polls"]
    assert [(o["position"], o["label"]) for o in poll["options"]] == [(1, "Tabs"), (2, "Spaces")]
    assert poll["duration_minutes"] == 60
    assert reply["data"]["conversation_id"] == main["data"]["id"]  # the reply inherits the conversation's setting
    assert "includes" not in reply


@pytest.mark.parametrize(
    ("fields", "refusal"),
    [
        pytest.param(
            {"poll": {"options": ["x" * 26, "short"], "duration_minutes": 60}},
            "twitter: poll option 1 is 26 characters; the limit is 25",
            id="option-of-26",
        ),
        pytest.param(
            {"poll": POLL, "media": {"images": [{"url": "https://media.example/cat.png", "alt_text": "a cat"}]}},
            "twitter: poll cannot go with media on X",
            id="poll-with-an-image",
        ),
        pytest.param(
            {"reply_policy": "followers"},
            "twitter: reply_policy 'followers' cannot be applied on X (it supports: everyone, following, mentioned)",
            id="followers",
        ),
        pytest.param(
            {"platform_options": {"twitter": {}}}, "platform_options.twitter: X takes no platform_options", id="options"
        ),
    ],
)
def test_what_x_cannot_take_is_refused_when_scheduled(
    api: httpx.Client, x_fake_url: str, fields: dict[str, object], refusal: str
) -> None:
    connect(api, "twitter", x_fake_url, {"access_token": TOKEN})

    answer = api.post(
        "/v1/posts",
        json={"content": "Tabs or spaces?", "platforms": ["twitter"], "scheduled_for": in_seconds(3600), **fields},
    )

    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "validation_error"
    assert refusal in answer.json()["details"]["errors"]
    assert api.get("/v1/posts").json()["total"] == 0


def lookup(base_url: str, tweet_id: str) -> dict:
    """The post as X's lookup shows it, with its reply setting and its poll."""
    params = {"tweet.fields": "reply_settings,conversation_id", "expansions": "attachments.poll_ids"}
    params["poll.fields"] = "duration_minutes"
    answer = httpx.get(f"{base_url}/2/tweets/{tweet_id}", params=params, headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200, answer.text
    return dict(answer.json())
