"""The X adapter over real HTTP: tweepy and our v2 media upload against Prism serving X's own OpenAPI spec (every
request must pass the vendor's schema: a 422 is a spec violation and fails the test), OAuth 1.0a signatures
checked by oauthlib in front of it, faults from a proxy, and real api.twitter.com answers replayed with vcrpy.
Nothing of tweepy or the adapter is mocked.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
import vcr
from vcr.filters import decode_response
from vcr.persisters.filesystem import FilesystemPersister

from adapters.base import (
    AuthExpired,
    MediaItem,
    OutcomeUnknown,
    Profile,
    PublishedRef,
    PublishRequest,
    RateLimited,
    ReauthRequired,
    Rejected,
    Segment,
    Transient,
)
from adapters.text import x_weighted_length
from adapters.twitter import TwitterAdapter
from adapters.twitter.errors import from_response, retry_after_seconds
from tests.media import make_png
from tests.peers.prism import SHARED, OAuth1Gateway, PrismPeer
from tests.peers.proxy import FORWARD, FORWARD_THEN_RESET, RESET, Action, Proxy, holding_proxy

RECORDINGS = SHARED / "recordings" / "twitter"
OAUTH2 = {"access_token": "oauth2-user-token"}
OAUTH1 = {
    "consumer_key": "consumer-key",
    "consumer_secret": "consumer-secret",
    "access_token": "1072250532645998596-user-token",
    "access_token_secret": "user-token-secret",
}
TWEET_ID = re.compile(r"[0-9]{1,19}")
UPLOAD_STEPS = [
    ("POST", "/2/media/upload/initialize"),
    ("POST", "/2/media/upload/{id}/append"),
    ("POST", "/2/media/upload/{id}/finalize"),
    ("POST", "/2/media/metadata"),
]

MakeAdapter = Callable[..., TwitterAdapter]


class Sent:
    """What our httpx client sent (an event hook on the test's own client): method, path, auth scheme, JSON."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, str, Any]] = []

    async def __call__(self, request: httpx.Request) -> None:
        is_json = request.headers.get("content-type", "").startswith("application/json")
        body = httpx.Response(200, content=request.content).json() if is_json else None
        scheme = request.headers.get("authorization", "").split(" ")[0]
        self.requests.append((request.method, request.url.path, scheme, body))

    def steps(self) -> list[tuple[str, str]]:
        return [(method, re.sub(r"/upload/\d+/", "/upload/{id}/", path)) for method, path, _, _ in self.requests]


@pytest.fixture
def sent() -> Sent:
    return Sent()


@pytest.fixture
async def http(sent: Sent) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(event_hooks={"request": [sent]}) as client:
        yield client


@pytest.fixture(scope="session")
def oauth1_gateway(prism_x: PrismPeer) -> Iterator[OAuth1Gateway]:
    with OAuth1Gateway(prism_x.url, OAUTH1) as gateway:
        yield gateway


@pytest.fixture
async def make_adapter(
    prism_x: PrismPeer, oauth1_gateway: OAuth1Gateway, http: httpx.AsyncClient
) -> AsyncIterator[MakeAdapter]:
    """Adapters on Prism (OAuth 1.0a ones through the signature-checking gateway), closed at the end."""
    made: list[TwitterAdapter] = []

    def make(credentials: dict[str, str] = OAUTH2, base_url: str | None = None, **options: Any) -> TwitterAdapter:
        default = oauth1_gateway.url if "consumer_key" in credentials else prism_x.url
        adapter = TwitterAdapter(base_url=base_url or default, credentials=credentials, http=http, **options)
        made.append(adapter)
        return adapter

    yield make
    for adapter in made:
        await adapter.aclose()


def png(alt: str | None, rgb: tuple[int, int, int] = (10, 20, 30)) -> MediaItem:
    return MediaItem(data=make_png(6, 4, rgb), content_type="image/png", kind="image", alt_text=alt, width=6, height=4)


def request(text: str, *, media: tuple[MediaItem, ...] = (), parent: PublishedRef | None = None) -> PublishRequest:
    index = 0 if parent is None else 1
    return PublishRequest(segment=Segment(index, text, media), idempotency_key=f"k-{index}", root=parent, parent=parent)


def assert_tweet(ref: PublishedRef, handle: str = "i") -> None:
    assert TWEET_ID.fullmatch(ref.id), ref
    assert ref.url == f"https://x.com/{handle}/status/{ref.id}"


AUTHS = pytest.mark.parametrize("credentials", [OAUTH2, OAUTH1], ids=["oauth2", "oauth1"])


# ---- verify --------------------------------------------------------------------------------------------------


@AUTHS
async def test_verify_passes_the_specs_security_check(
    make_adapter: MakeAdapter, oauth1_gateway: OAuth1Gateway, credentials: dict[str, str]
) -> None:
    verified_before = len(oauth1_gateway.verified)

    profile = await make_adapter(credentials).verify()

    assert all(isinstance(value, str) and value for value in (profile.platform_user_id, profile.username))
    assert profile.display_name is None or isinstance(profile.display_name, str)
    signed = oauth1_gateway.verified[verified_before:]
    assert signed == ([("GET", "/2/users/me")] if "consumer_key" in credentials else [])


async def test_an_empty_token_is_refused_by_prism_and_needs_reauth(
    make_adapter: MakeAdapter, prism_x: PrismPeer
) -> None:
    since = prism_x.log_offset()

    with pytest.raises(ReauthRequired, match="reconnect the account") as refused:
        await make_adapter({"access_token": ""}).verify()

    assert "401" in refused.value.message
    prism_x.wait_for_violation("Invalid security scheme used", since=since)
    # With a refresh token the same 401 means "refresh, then retry once".
    with pytest.raises(AuthExpired):
        await make_adapter({"access_token": "", "refresh_token": "refresh"}).publish(request("hello"))


async def test_a_bad_oauth1_signature_needs_reauth(make_adapter: MakeAdapter, oauth1_gateway: OAuth1Gateway) -> None:
    refused_before = len(oauth1_gateway.refused)

    with pytest.raises(ReauthRequired):
        await make_adapter({**OAUTH1, "consumer_secret": "not-the-apps-secret"}).verify()

    assert oauth1_gateway.refused[refused_before:] == [("GET", "/2/users/me")]


async def test_incomplete_credentials_need_reauth_without_a_request(make_adapter: MakeAdapter, sent: Sent) -> None:
    adapter = make_adapter({"consumer_key": "k", "access_token": "t"}, base_url="http://127.0.0.1:9")

    with pytest.raises(ReauthRequired, match="consumer_secret, access_token_secret"):
        await adapter.verify()
    with pytest.raises(ReauthRequired):
        await adapter.publish(request("hello", media=(png("alt"),)))
    assert sent.requests == []


# ---- publish ---------------------------------------------------------------------------------------------------


async def test_post_then_reply(make_adapter: MakeAdapter, prism_x: PrismPeer, sent: Sent) -> None:
    adapter = make_adapter()
    since = prism_x.log_offset()

    first = await adapter.publish(request("the main post"))
    reply = await adapter.publish(request("a reply", parent=first))

    assert_tweet(first)
    assert_tweet(reply)
    assert sent.requests == []  # text only: no media upload
    assert prism_x.request_violations(since) == []


async def test_the_reply_target_goes_to_x_as_in_reply_to_tweet_id(
    make_adapter: MakeAdapter, prism_x: PrismPeer
) -> None:
    """A parent id that is not an X post id breaks the spec's pattern for reply.in_reply_to_tweet_id: Prism's 422
    shows the field is sent, and it surfaces as Rejected."""
    since = prism_x.log_offset()
    parent = PublishedRef(id="at://not-an-x-post", url="https://example.invalid/post")

    with pytest.raises(Rejected, match=r"X reply was rejected \(422\)"):
        await make_adapter().publish(request("a reply", parent=parent))

    prism_x.wait_for_violation("reply.in_reply_to_tweet_id must match pattern", since=since)


@AUTHS
async def test_two_images_with_alt_text_go_through_the_v2_upload(
    make_adapter: MakeAdapter,
    prism_x: PrismPeer,
    oauth1_gateway: OAuth1Gateway,
    sent: Sent,
    credentials: dict[str, str],
) -> None:
    since = prism_x.log_offset()
    verified_before = len(oauth1_gateway.verified)
    images = (png("a red square", (200, 0, 0)), png("a blue square", (0, 0, 200)))

    ref = await make_adapter(credentials).publish(request("two pictures", media=images))

    assert_tweet(ref)
    assert sent.steps() == UPLOAD_STEPS * 2
    initialize, metadata = sent.requests[0][3], sent.requests[3][3]
    assert initialize == {
        "media_type": "image/png",
        "total_bytes": len(images[0].data),
        "media_category": "tweet_image",
    }
    media_id = metadata["id"]
    assert TWEET_ID.fullmatch(media_id)
    assert sent.requests[1][1] == f"/2/media/upload/{media_id}/append"
    assert metadata["metadata"] == {"alt_text": {"text": "a red square"}}
    assert sent.requests[7][3]["metadata"] == {"alt_text": {"text": "a blue square"}}
    oauth1 = "consumer_key" in credentials
    assert {scheme for _, _, scheme, _ in sent.requests} == {"OAuth" if oauth1 else "Bearer"}
    if oauth1:  # every upload call and the tweet carried a valid signature
        sent_paths = [(method, path) for method, path, _, _ in sent.requests]
        assert oauth1_gateway.verified[verified_before:] == [*sent_paths, ("POST", "/2/tweets")]
    assert prism_x.request_violations(since) == []


async def test_an_image_without_alt_text_skips_the_metadata_call(make_adapter: MakeAdapter, sent: Sent) -> None:
    assert_tweet(await make_adapter().publish(request("", media=(png(None),))))  # media-only: no text

    assert sent.steps() == UPLOAD_STEPS[:3]


async def test_more_than_four_images_break_the_spec_and_are_rejected(
    make_adapter: MakeAdapter, prism_x: PrismPeer
) -> None:
    since = prism_x.log_offset()

    with pytest.raises(Rejected, match=r"\(422\)"):
        await make_adapter().publish(request("five", media=tuple(png(f"#{n}") for n in range(5))))

    prism_x.wait_for_violation("media.media_ids must NOT have more than 4 items", since=since)


async def test_alt_text_over_1000_characters_is_rejected(make_adapter: MakeAdapter, prism_x: PrismPeer) -> None:
    since = prism_x.log_offset()

    with pytest.raises(Rejected, match=r"X media upload was rejected \(422\)"):
        await make_adapter().publish(request("long alt", media=(png("a" * 1001),)))

    prism_x.wait_for_violation("must NOT have more than 1000 characters", since=since)


async def test_the_post_url_names_the_handle_once_known(make_adapter: MakeAdapter) -> None:
    adapter = make_adapter(username="OctopostDev")

    assert_tweet(await adapter.publish(request("hello")), handle="OctopostDev")
    adapter.username = "Prism's random words"  # not a handle: fall back to x.com/i/status
    assert_tweet(await adapter.publish(request("hello")))


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
    adapter = TwitterAdapter(base_url="https://api.twitter.com", credentials=OAUTH1, http=http)
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


def test_the_rate_limit_reset_is_read_on_xs_clock() -> None:
    """x-rate-limit-reset is epoch seconds on X's clock: measured from X's Date header, not ours."""
    headers = httpx.Headers({"date": "Fri, 07 Jan 2022 08:05:56 UTC", "x-rate-limit-reset": "1641543656"})
    assert retry_after_seconds(headers, now=time.time()) == 900  # 08:20:56 - 08:05:56


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
