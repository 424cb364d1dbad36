"""Slack end to end through `octopost serve`: connect a bot and a channel over /v1/accounts, publish a thread whose
main message carries an image (with alt text) and read back platform_results, compared with what the Slack fake
(tests/fakes/slack/) received; Slack's 4,000-character limit refused by the API before anything reaches Slack; a 429
and an edge 5xx retried into exactly one message per segment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake, running_fake
from tests.fakes.slack import CHANNEL_ID, OUTSIDE_CHANNEL_ID, TEAM_URL, methods_present
from tests.media import make_png
from tests.peers.media_server import MediaServer
from tests.scheduler.flows import connect, in_seconds, publish, wait_for, wait_for_status

TOKEN = "xoxb-e2e-bot-token"
CREDENTIALS = {"bot_token": TOKEN, "channel_id": CHANNEL_ID}


@pytest.fixture
def slack(tmp_path: Path) -> Iterator[RunningFake]:
    if not methods_present():
        pytest.skip("../shared/specs/slack-methods is absent: the Slack fake checks calls against those descriptions")
    with running_fake("slack", tmp_path) as fake:
        yield fake


def link(ts: str, thread_ts: str | None = None) -> str:
    url = f"{TEAM_URL}archives/{CHANNEL_ID}/p{ts.replace('.', '')}"
    return url + (f"?thread_ts={thread_ts}&cid={CHANNEL_ID}" if thread_ts else "")


def test_a_slack_thread_with_a_file_through_the_api(
    api: httpx.Client, slack: RunningFake, media_server: MediaServer
) -> None:
    account = connect(api, "slack", slack.url, CREDENTIALS)
    assert account["platform"] == "slack"
    assert account["username"].startswith("octobot-")
    assert TOKEN not in str(account)
    image = make_png(8, 5)
    url = media_server.add("/slack/main.png", image, "image/png")
    texts = ["Slack, the main message", "Slack, reply one", "Slack, reply two"]

    post_id = publish(
        api,
        "slack",
        texts[0],
        media={"images": [{"url": url, "alt_text": "An 8 by 5 picture"}]},
        segments=[{"content": t} for t in texts[1:]],
    )

    done = wait_for_status(api, post_id, "published", "failed", timeout=60)
    result = done["platform_results"]["slack"]
    assert done["status"] == "published", result
    main, first, second = (s["post_id"] for s in result["segments"])
    assert result["post_id"] == main
    assert [s["post_url"] for s in result["segments"]] == [link(main), link(first, main), link(second, main)]
    assert [(c["id"], c["text"], c["reply_to"]) for c in slack.created()] == [
        (main, texts[0], None),
        (first, texts[1], main),  # every reply in the main message's thread
        (second, texts[2], main),
    ]
    assert {c["account"] for c in slack.created()} == {account["platform_user_id"]}
    (shared,) = slack.control("GET", "files")
    assert (shared["alt_txt"], shared["size"], shared["completed"]) == ("An 8 by 5 picture", len(image), True)
    assert shared["shared"] == {"title": "image-1.png", "channel": CHANNEL_ID, "thread_ts": main}


def test_text_over_slacks_limit_is_refused_before_it_reaches_slack(api: httpx.Client, slack: RunningFake) -> None:
    connect(api, "slack", slack.url, CREDENTIALS)
    requests_to_connect = slack.stats()["requests"]

    scheduled = api.post(
        "/v1/posts",
        json={"content": "x" * 4001, "platforms": ["slack"], "scheduled_for": in_seconds(3600)},
    )
    draft = api.post(
        "/v1/posts", json={"content": "fits", "platforms": ["slack"], "segments": [{"content": "é" * 4001}]}
    )
    published = api.post(f"/v1/posts/{draft.json()['id']}/publish")

    assert scheduled.status_code == 422, scheduled.text
    assert "slack: content is 4001 characters; the limit is 4000 (codepoints)" in scheduled.text
    assert published.status_code == 422, published.text
    assert "slack: segments[0] is 4001 characters" in published.text
    assert slack.created() == []
    assert slack.stats()["requests"] == requests_to_connect  # nothing was sent


def test_a_channel_the_bot_is_not_in_is_refused_when_connecting(api: httpx.Client, slack: RunningFake) -> None:
    answer = api.post(
        "/v1/accounts",
        json={
            "platform": "slack",
            "base_url": slack.url,
            "credentials": {**CREDENTIALS, "channel_id": OUTSIDE_CHANNEL_ID},
        },
    )

    assert answer.status_code == 422, answer.text
    assert "the bot is not a member of #random; invite it there" in answer.text


def test_a_429_and_a_5xx_are_retried_into_exactly_one_message_per_segment(
    api: httpx.Client, slack: RunningFake
) -> None:
    connect(api, "slack", slack.url, CREDENTIALS)
    posts = ["/chat.postMessage"]
    slack.set_conditions(Conditions(fault_rate=1.0, faults=["429"], retry_after_seconds=1, fault_paths=posts))
    texts = ["retried main", "retried reply one", "retried reply two"]

    post_id = publish(api, "slack", texts[0], segments=[{"content": t} for t in texts[1:]])

    wait_for(lambda: slack.stats().get("fault_429", 0) >= 1, timeout=30, what="the main message's 429")
    slack.set_conditions(Conditions(fault_rate=1.0, faults=["500"], fault_paths=posts))
    wait_for(lambda: slack.stats().get("fault_500", 0) >= 1, timeout=30, what="a 5xx from Slack's edge")
    slack.set_conditions(Conditions())
    done = wait_for_status(api, post_id, "published", "failed", timeout=60)
    result = done["platform_results"]["slack"]
    assert done["status"] == "published", result
    main = result["post_id"]
    assert [(c["text"], c["reply_to"]) for c in slack.created()] == [
        (texts[0], None),
        (texts[1], main),
        (texts[2], main),
    ]
    assert [c["id"] for c in slack.created()] == [s["post_id"] for s in result["segments"]]
    assert slack.duplicates() == 0
