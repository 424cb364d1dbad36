"""The Slack adapter against Prism serving Slack's own Web API spec (../shared/specs/slack-web.openapi-v2.json, with
the bearer overlay of tests/peers/prism.py): every request the adapter makes for the methods the spec has
(auth.test, conversations.info, chat.postMessage with thread_ts, chat.getPermalink) passes the spec, and Prism's
refusals come back classified. The upload flow is not in that 2021 document: the fake checks it (test_threads.py)."""

from __future__ import annotations

import json
import re

import pytest

from adapters.base import ReauthRequired
from tests.adapters.slack.support import (
    PRISM_CHANNEL,
    PRISM_CREDENTIALS,
    PRISM_TOKEN,
    TS,
    MakeAdapter,
    Sent,
    publish_thread,
    request,
)
from tests.peers.prism import SLACK_SPEC, PrismPeer, shared_spec, slack_spec_overlay


def test_the_overlay_only_moves_the_token_to_the_bearer_header() -> None:
    original = json.loads(shared_spec(SLACK_SPEC).read_text())
    patched = json.loads(json.dumps(original))
    slack_spec_overlay(patched)

    post = original["paths"]["/chat.postMessage"]["post"]
    assert {
        k: v
        for k, v in next(p for p in post["parameters"] if p["name"] == "token").items()
        if k in ("in", "name", "required")
    } == {"in": "header", "name": "token", "required": True}
    assert post["security"] == [{"slackAuth": ["chat:write:user", "chat:write:bot"]}]  # OAuth 2: a bearer token
    for path, operations in original["paths"].items():
        for verb, operation in operations.items():
            kept = [p for p in operation.get("parameters", []) if p["name"] != "token"]
            assert patched["paths"][path][verb].get("parameters", kept) == kept
            assert patched["paths"][path][verb].get("security") == operation.get("security")


async def test_verify_passes_the_spec(make_static_adapter: MakeAdapter, prism_slack: PrismPeer, sent: Sent) -> None:
    since = prism_slack.log_offset()

    profile = await make_static_adapter().verify()

    assert (profile.platform_user_id, profile.username) == ("W12345678", "grace")  # the spec's example
    assert sent.steps() == ["auth.test", "conversations.info"]
    assert sent.calls("conversations.info") == [{"channel": PRISM_CHANNEL}]
    assert {r.headers["authorization"] for r in sent.requests} == {f"Bearer {PRISM_TOKEN}"}
    assert all("token" not in r.headers for r in sent.requests)
    assert prism_slack.request_violations(since) == []


async def test_a_thread_passes_the_spec_with_every_reply_under_the_main_ts(
    make_adapter: MakeAdapter, prism_slack: PrismPeer, sent: Sent
) -> None:
    since = prism_slack.log_offset()

    main, *replies = await publish_thread(make_adapter(), ["main <!here>", "second", "third"])

    assert re.fullmatch(TS, main.id)
    assert all(re.fullmatch(TS, reply.id) for reply in replies)
    posts = sent.calls("chat.postMessage")
    assert [p.get("thread_ts") for p in posts] == [None, main.id, main.id]
    assert posts[0]["text"] == "main &lt;!here&gt;"
    assert sent.calls("chat.getPermalink") == [{"channel": PRISM_CHANNEL, "message_ts": r.id} for r in [main, *replies]]
    assert all(ref.url for ref in [main, *replies])
    assert prism_slack.request_violations(since) == []


async def test_without_the_bearer_prism_refuses_as_slack_does(
    make_adapter: MakeAdapter, prism_slack: PrismPeer
) -> None:
    since = prism_slack.log_offset()

    # Prism answers 401 with a body made up from the spec's error schema: the status says it all.
    with pytest.raises(ReauthRequired, match=r"Slack refused the bot token during post"):
        await make_adapter({**PRISM_CREDENTIALS, "bot_token": ""}).publish(request("no token"))

    prism_slack.wait_for_violation("Invalid security scheme used", since=since)
