"""The pure parts of the Slack adapter: Slack's answers into the taxonomy (bodies as Slack documents them), the
escaping of user text, thread_ts always the main message's, and the permalink built when chat.getPermalink fails."""

from __future__ import annotations

import re

import httpx
import pytest

from adapters.base import (
    AdapterError,
    MediaRejected,
    PublishedRef,
    RateLimited,
    ReauthRequired,
    Rejected,
    Secrets,
    Transient,
)
from adapters.http import Answer
from adapters.slack.api import SlackApi
from adapters.slack.message import archive_url, escape, thread_of
from tests.adapters.slack.support import request


def from_answer(status: int, body: object, headers: dict[str, str] | None = None) -> AdapterError:
    api = SlackApi(httpx.AsyncClient(), "https://slack.invalid/api", Secrets({"bot_token": "xoxb-secret"}))
    return api.error_for(Answer(status, httpx.Headers(headers or {}), body, ""), action="post")


@pytest.mark.parametrize(
    ("status", "body", "expected", "message"),
    [
        (200, {"ok": False, "error": "invalid_auth"}, ReauthRequired, "invalid_auth: the token is not valid"),
        (200, {"ok": False, "error": "account_inactive"}, ReauthRequired, "reconnect the account"),
        (200, {"ok": False, "error": "not_in_channel"}, Rejected, "invite it there with /invite"),
        (200, {"ok": False, "error": "is_archived"}, Rejected, "the channel is archived"),
        (200, {"ok": False, "error": "msg_too_long"}, Rejected, "too long"),
        (200, {"ok": False, "error": "rate_limited"}, RateLimited, "rate limit"),
        (200, {"ok": False, "error": "service_unavailable"}, Transient, "nothing was done"),
        (200, {"ok": False, "error": "alt_txt_too_large"}, MediaRejected, "alt_txt_too_large"),
        (
            200,
            {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": ["[ERROR] missing channel"]}},
            Rejected,
            r"invalid_arguments: \[ERROR\] missing channel",
        ),
        (422, {"ok": False, "error": "too_many_attachments"}, Rejected, "too_many_attachments"),  # Prism's 422
        (401, {"ok": False, "error": "invalid_auth"}, ReauthRequired, "invalid_auth"),  # Prism's 401
        (503, None, Transient, r"HTTP 503"),
    ],
)
def test_answers_map_to_the_taxonomy(status: int, body: object, expected: type[AdapterError], message: str) -> None:
    error = from_answer(status, body)

    assert type(error) is expected
    assert re.search(message, error.message), error.message
    assert "xoxb-secret" not in error.message


def test_a_429_carries_its_retry_after() -> None:
    error = from_answer(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "30"})

    assert isinstance(error, RateLimited)
    assert error.retry_after == 30.0


def test_escaping_covers_slacks_three_control_characters() -> None:
    assert escape("a & b < c > d") == "a &amp; b &lt; c &gt; d"
    assert escape("&lt;") == "&amp;lt;"  # shown as typed, not as "<"
    assert escape("*bold* _it_ @here #general") == "*bold* _it_ @here #general"


def test_thread_ts_is_the_main_messages_never_the_parents() -> None:
    main = PublishedRef(id="1700000000.000001", url="https://x.slack.com/archives/C1/p1700000000000001")
    previous = PublishedRef(id="1700000000.000002", url="https://x.slack.com/archives/C1/p1700000000000002")

    assert thread_of(request("main")) is None
    assert thread_of(request("third", index=2, root=main, parent=previous)) == main.id


def test_a_permalink_is_built_when_slack_cannot_give_one() -> None:
    assert archive_url("https://acme.slack.com/", "C123", "1700000000.000001") == (
        "https://acme.slack.com/archives/C123/p1700000000000001"
    )
    assert archive_url(None, "C123", "1.2") == "https://slack.com/archives/C123/p12"
