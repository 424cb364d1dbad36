"""The pure parts of the Discord adapter: Discord's error answers into the taxonomy (bodies as Discord documents
them), network failures before and after sending, and the nonce and thread name a message request carries."""

from __future__ import annotations

import re

import httpx
import pytest

from adapters.answers import lost_request
from adapters.base import (
    AdapterError,
    MediaRejected,
    OutcomeUnknown,
    RateLimited,
    ReauthRequired,
    Rejected,
    Secrets,
    Transient,
)
from adapters.discord.api import DiscordApi
from adapters.discord.errors import ThreadAlreadyCreated, api_message
from adapters.discord.message import nonce_for, thread_name
from adapters.http import Answer


def from_response(status: int, headers: httpx.Headers, body: object, *, action: str) -> AdapterError:
    api = DiscordApi(httpx.AsyncClient(), "https://discord.invalid/api/v10", Secrets({"bot_token": "t"}))
    return api.error_for(Answer(status, headers, body, ""), action=action)


INVALID_FORM = {
    "code": 50035,
    "message": "Invalid Form Body",
    "errors": {
        "content": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 2000 or fewer in length."}]},
        "attachments": {"0": {"description": {"_errors": [{"code": "X", "message": "Too long."}]}}},
    },
}


@pytest.mark.parametrize(
    ("status", "body", "expected", "message"),
    [
        (401, {"message": "401: Unauthorized", "code": 0}, ReauthRequired, "reconnect the account"),
        (403, {"message": "Missing Permissions", "code": 50013}, Rejected, r"\(403\): Missing Permissions"),
        (404, {"message": "Unknown Channel", "code": 10003}, Rejected, r"\(404\): Unknown Channel"),
        (400, {"message": "Cannot send an empty message", "code": 50006}, Rejected, "empty message"),
        (413, {"message": "Request entity too large", "code": 40005}, MediaRejected, r"\(413\): Request entity"),
        (422, {"message": "lorem"}, Rejected, r"\(422\): lorem"),  # Prism: the request breaks the spec
        (500, {"message": "500: Internal Server Error", "code": 0}, Transient, "answered 500"),
        (502, None, Transient, r"answered 502 \(HTTP 502\)"),  # Cloudflare's HTML: no JSON
        (
            400,
            {"message": "A thread has already been created for this message", "code": 160004},
            ThreadAlreadyCreated,
            "already been created",
        ),
    ],
)
def test_answers_map_to_the_taxonomy(status: int, body: object, expected: type[AdapterError], message: str) -> None:
    error = from_response(status, httpx.Headers(), body, action="post")

    assert type(error) is expected
    assert re.search(message, error.message), error.message


def test_a_thread_that_exists_is_still_a_rejection_if_it_escapes() -> None:
    assert isinstance(from_response(400, httpx.Headers(), {"code": 160004}, action="x"), Rejected)
    assert type(from_response(400, httpx.Headers(), {"code": 50035}, action="x")) is Rejected


def test_an_invalid_form_body_names_the_fields() -> None:
    assert api_message(INVALID_FORM) == (
        "Invalid Form Body (content: Must be 2000 or fewer in length.; attachments.0.description: Too long.)"
    )
    assert api_message({"message": "string", "errors": {"property1": {}}}) == "string"  # Prism's random errors
    assert api_message("not json") == ""


@pytest.mark.parametrize(
    ("headers", "body", "seconds"),
    [
        ({"Retry-After": "2"}, {"message": "Slow down", "retry_after": 1.337, "global": False}, 1.337),
        ({"Retry-After": "30"}, None, 30.0),  # Cloudflare in front of Discord: no JSON
        ({"X-RateLimit-Reset-After": "4.5"}, {"message": "x"}, 4.5),
        ({}, {"message": "x"}, None),
    ],
)
def test_a_rate_limit_carries_its_wait(headers: dict[str, str], body: object, seconds: float | None) -> None:
    error = from_response(429, httpx.Headers(headers), body, action="post")

    assert isinstance(error, RateLimited)
    assert error.retry_after == seconds


def test_the_global_rate_limit_says_so() -> None:
    error = from_response(429, httpx.Headers(), {"message": "m", "retry_after": 1, "global": True}, action="post")
    assert "global rate limit" in error.message


@pytest.mark.parametrize(
    ("exc", "creates", "expected"),
    [
        (httpx.ConnectError("refused"), True, Transient),  # never sent: safe either way
        (httpx.ConnectTimeout("slow"), True, Transient),
        (httpx.ReadTimeout("no answer"), True, OutcomeUnknown),  # sent: the message may exist
        (httpx.RemoteProtocolError("dropped"), True, OutcomeUnknown),
        (httpx.ReadTimeout("no answer"), False, Transient),  # a lookup or a thread start: just retry
    ],
)
def test_network_failures_before_and_after_sending(
    exc: httpx.HTTPError, creates: bool, expected: type[AdapterError]
) -> None:
    assert type(lost_request(exc, where="Discord post", creates=creates)) is expected


def test_the_nonce_is_the_key_or_a_stable_digest_of_it() -> None:
    assert nonce_for("3kzyxwvutsrqp") == "3kzyxwvutsrqp"  # a TID: 13 characters, Discord takes ≤25
    long_key = "k" * 40
    assert nonce_for(long_key) == nonce_for(long_key)
    assert len(nonce_for(long_key)) == 25
    assert nonce_for(long_key) != nonce_for("k" * 41)


def test_thread_names() -> None:
    assert thread_name("Hello\nworld") == "Hello"
    assert thread_name("", "\n", "from the reply") == "from the reply"
    assert thread_name("", "") == "Thread"
    assert thread_name("é" * 101) == "é" * 99 + "…"  # counted in characters
    assert len(thread_name("word " * 40)) <= 100
