"""The X adapter's failures: faults from a proxy in front of Prism classified into the adapter taxonomy, real
api.twitter.com answers replayed with vcrpy, X's error bodies and rate-limit clock, and X's weighted length.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import vcr
from vcr.filters import decode_response
from vcr.persisters.filesystem import FilesystemPersister

from adapters.base import (
    AdapterError,
    AuthExpired,
    OutcomeUnknown,
    Profile,
    PublishedRef,
    RateLimited,
    ReauthRequired,
    Rejected,
    Transient,
)
from adapters.http import Answer
from adapters.text import x_weighted_length
from adapters.twitter import TwitterAdapter
from adapters.twitter.api import XApi
from adapters.twitter.auth import x_auth
from adapters.twitter.errors import retry_after
from tests.adapters.x.support import (
    OAUTH1,
    RECORDINGS,
    MakeAdapter,
    request,
)
from tests.media import png
from tests.peers.prism import PrismPeer
from tests.peers.proxy import FORWARD, FORWARD_THEN_RESET, RESET, Action, Proxy, holding_proxy

# ---- faults (a proxy in front of Prism) ------------------------------------------------------------------------


class OneFault:
    """Decides for the session's proxy: the next request to the armed (method, path) gets the action (header
    values "+N" become N seconds from now, epoch); every other request goes through to Prism untouched."""

    def __init__(self) -> None:
        self._rule: tuple[str, str, Action] | None = None
        self._lock = threading.Lock()
        self.fired: list[tuple[str, str, str]] = []

    def arm(self, method: str, path: str, action: Action) -> None:
        now = int(time.time())
        headers = {k: str(now + int(v[1:])) if v.startswith("+") else v for k, v in action.headers.items()}
        with self._lock:
            self._rule = (method, path, Action(action.kind, action.status, headers, action.delay))

    def disarm(self) -> None:
        with self._lock:
            self._rule = None
            self.fired.clear()

    def __call__(self, method: str, path: str, nth: int) -> Action:
        with self._lock:
            if self._rule is None or self._rule[:2] != (method, path):
                return FORWARD
            action, self._rule = self._rule[2], None
            self.fired.append((method, path, action.kind))
            return action


@pytest.fixture(scope="session")
def fault_proxy(prism_x: PrismPeer) -> Iterator[tuple[Proxy, OneFault]]:
    switch = OneFault()
    with Proxy(prism_x.url, switch) as proxy:
        yield proxy, switch


@pytest.fixture
def fault(fault_proxy: tuple[Proxy, OneFault]) -> Iterator[tuple[str, OneFault]]:
    """(the proxy's URL, its switch), disarmed after the test."""
    proxy, switch = fault_proxy
    yield proxy.url, switch
    switch.disarm()


@pytest.mark.parametrize(
    ("method", "path", "action", "expected", "retry_after"),
    [
        pytest.param(
            "POST",
            "/2/tweets",
            Action("respond", 429, {"x-rate-limit-remaining": "0", "x-rate-limit-reset": "+120"}),
            RateLimited,
            120,
            id="429-window",
        ),
        pytest.param(  # the 24-hour posting cap: its reset, not the 15-minute window's, says when posting works
            "POST",
            "/2/tweets",
            Action(
                "respond",
                429,
                {
                    "x-rate-limit-remaining": "199",
                    "x-rate-limit-reset": "+900",
                    "x-user-limit-24hour-remaining": "0",
                    "x-user-limit-24hour-reset": "+36000",
                },
            ),
            RateLimited,
            36000,
            id="429-24h-cap",
        ),
        pytest.param(
            "POST",
            "/2/media/upload/initialize",
            Action("respond", 429, {"Retry-After": "30"}),
            RateLimited,
            30,
            id="429-retry-after",
        ),
        pytest.param("POST", "/2/media/upload/initialize", Action("respond", 503), Transient, None, id="503-upload"),
        pytest.param("POST", "/2/tweets", Action("respond", 500), Transient, None, id="500-post"),
        pytest.param("POST", "/2/tweets", Action("respond", 401), ReauthRequired, None, id="401-post"),
        # Nothing is posted by an upload; a post whose request went out may have landed.
        pytest.param("POST", "/2/media/upload/initialize", RESET, Transient, None, id="reset-upload"),
        pytest.param("POST", "/2/tweets", RESET, OutcomeUnknown, None, id="reset-post"),
        pytest.param("POST", "/2/tweets", FORWARD_THEN_RESET, OutcomeUnknown, None, id="applied-then-reset"),
    ],
)
async def test_faults_are_classified(
    make_adapter: MakeAdapter,
    fault: tuple[str, OneFault],
    method: str,
    path: str,
    action: Action,
    expected: type[Exception],
    retry_after: int | None,
) -> None:
    url, switch = fault
    switch.arm(method, path, action)

    with pytest.raises(expected) as raised:
        await make_adapter(base_url=url).publish(request("fault", media=(png("alt"),)))

    assert switch.fired == [(method, path, action.kind)]
    if retry_after is not None:
        assert isinstance(raised.value, RateLimited)
        assert raised.value.retry_after is not None
        assert retry_after - 5 <= raised.value.retry_after <= retry_after + 1


async def test_a_post_without_an_answer_in_time_is_outcome_unknown(
    make_adapter: MakeAdapter, prism_x: PrismPeer
) -> None:
    """A proxy holds POST /2/tweets past the adapter's timeout: X may or may not have posted it, and has no
    idempotency key, so the adapter must not say it failed (a retry could post twice)."""
    with holding_proxy(prism_x.url, lambda method, path, nth: (method, path) == ("POST", "/2/tweets")) as proxy:
        adapter = make_adapter(base_url=proxy.url, request_timeout=0.5)
        try:
            with pytest.raises(OutcomeUnknown, match="not sent again"):
                await adapter.publish(request("slow"))
            assert proxy.held.is_set()
        finally:
            proxy.release(forward=True)


async def test_verify_without_an_answer_is_transient(make_adapter: MakeAdapter, fault: tuple[str, OneFault]) -> None:
    url, switch = fault
    switch.arm("GET", "/2/users/me", RESET)

    with pytest.raises(Transient, match="credentials check"):
        await make_adapter(base_url=url).verify()


# ---- real api.twitter.com answers (tweepy's own cassettes) -------------------------------------------------------


class DecompressedCassettes(FilesystemPersister):
    """vcrpy#719: tweepy recorded these under urllib3 1.x; under urllib3 2.x a gzip body plays back still
    compressed. Decompress on load, as vcrpy's own ``decode_compressed_response`` does when recording."""

    @classmethod
    def load_cassette(cls, cassette_path: str, serializer: Any) -> tuple[list[Any], list[Any]]:
        requests, responses = super().load_cassette(cassette_path, serializer)
        return requests, [decode_response(response) for response in responses]


def cassette(name: str) -> str:
    path = RECORDINGS / name
    if not path.exists():
        pytest.skip(f"the X recordings live in ../shared ({path}), which is absent here")
    return str(path)


async def test_real_answers_of_api_twitter_com_are_parsed(http: httpx.AsyncClient) -> None:
    # Our users/me asks for profile_image_url (the query differs from the recording); the tweet body must match.
    replay = vcr.VCR(record_mode="none", match_on=["method", "scheme", "host", "path", "body"])
    replay.register_persister(DecompressedCassettes)
    adapter = TwitterAdapter.build(base_url="https://api.twitter.com", credentials=OAUTH1, http=http)
    try:
        with replay.use_cassette(cassette("test_client_get_me.yaml")):
            profile = await adapter.verify()
        with replay.use_cassette(cassette("test_client_create_and_delete_tweet.yaml")) as played:
            ref = await adapter.publish(request("Test Tweet"))
            assert played.play_count == 1
    finally:
        await adapter.aclose()

    assert profile == Profile(
        platform_user_id="1072250532645998596", username="TweepyDev", display_name="Tweepy Testing"
    )
    assert ref == PublishedRef(id="1456012973835788293", url="https://x.com/TweepyDev/status/1456012973835788293")


# ---- X's documented error answers -----------------------------------------------------------------------------


def from_response(
    status: int, headers: httpx.Headers, body: object, *, action: str, credentials: dict[str, str] = OAUTH1
) -> AdapterError:
    api = XApi(httpx.AsyncClient(), "https://x.invalid", x_auth(credentials))
    return api.error_for(Answer(status, headers, body, ""), action=action)


def test_x_error_bodies_are_classified_with_their_message() -> None:
    duplicate = {
        "detail": "You are not allowed to create a Tweet with duplicate content.",
        "type": "about:blank",
        "title": "Forbidden",
        "status": 403,
    }
    error = from_response(403, httpx.Headers(), duplicate, action="post")
    assert isinstance(error, Rejected)
    assert "duplicate content" in error.message

    not_enrolled = {
        "title": "Client Forbidden",
        "detail": "When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from "
        "a Twitter developer App that is attached to a Project.",
        "reason": "client-not-enrolled",
        "type": "https://api.twitter.com/2/problems/client-forbidden",
    }
    assert isinstance(from_response(403, httpx.Headers(), not_enrolled, action="post"), ReauthRequired)

    too_long = {
        "errors": [{"parameters": {"text": ["x" * 300]}, "message": "The `text` field is too long."}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": "https://api.twitter.com/2/problems/invalid-request",
    }
    error = from_response(400, httpx.Headers(), too_long, action="post")
    assert isinstance(error, Rejected)
    assert "The `text` field is too long." in error.message


def test_a_refused_token_is_refreshed_only_when_a_refresh_token_is_stored() -> None:
    unauthorized = {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}
    refreshable = {"access_token": "t", "refresh_token": "r"}

    assert type(from_response(401, httpx.Headers(), unauthorized, action="post")) is ReauthRequired
    expired = from_response(401, httpx.Headers(), unauthorized, action="post", credentials=refreshable)
    assert type(expired) is AuthExpired
    assert expired.message == "X refused the access token during post (401: Unauthorized); it may be refreshed"


def test_the_rate_limit_reset_is_read_on_xs_clock() -> None:
    """x-rate-limit-reset is epoch seconds on X's clock: measured from X's Date header, not ours."""
    headers = httpx.Headers({"date": "Fri, 07 Jan 2022 08:05:56 UTC", "x-rate-limit-reset": "1641543656"})
    assert retry_after(headers, now=time.time()) == 900  # 08:20:56 - 08:05:56
    exhausted = httpx.Headers(
        {
            **headers,
            "x-rate-limit-remaining": "3",
            "x-app-limit-24hour-remaining": "0",
            "x-app-limit-24hour-reset": "1641546956",
        }
    )
    assert retry_after(exhausted) == 4200  # the app's 24-hour cap, not the 15-minute window with posts left


# ---- weighted counting ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("hello", 5),
        ("see https://example.com/a/very/long/path?with=query", 4 + 23),  # any URL counts 23
        ("日本語", 6),  # CJK: 2 each
        ("👍🏽", 2),  # an emoji (with its skin tone modifier): 2
        ("a" * 280, 280),
    ],
)
def test_x_weighted_length(text: str, length: int) -> None:
    assert x_weighted_length(text) == length
