"""The X adapter over real HTTP, publishing: tweepy and our v2 media upload against Prism serving X's own OpenAPI
spec (every request must pass the vendor's schema: a 422 is a spec violation and fails the test), OAuth 1.0a
signatures checked by oauthlib in front of it. Nothing of tweepy or the adapter is mocked.
"""

from __future__ import annotations

import httpx
import pytest

from adapters.base import (
    AuthExpired,
    MediaRejected,
    PublishedRef,
    ReauthRequired,
    Rejected,
)
from tests.adapters.x.support import (
    AUTHS,
    BEARER,
    OAUTH1,
    TWEET_ID,
    UPLOAD_STEPS,
    MakeAdapter,
    Sent,
    assert_tweet,
    request,
)
from tests.media import png
from tests.peers.prism import OAuth1Gateway, PrismPeer

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


async def test_alt_text_over_1000_characters_is_refused_before_any_upload(
    make_adapter: MakeAdapter, prism_x: PrismPeer, sent: Sent, http: httpx.AsyncClient
) -> None:
    with pytest.raises(MediaRejected, match="X: alt text of image 1 is 1001 characters; at most 1000"):
        await make_adapter().publish(request("long alt", media=(png("a" * 1001),)))
    assert sent.requests == []

    # The limit is X's: its spec refuses the same alt text on /2/media/metadata.
    since = prism_x.log_offset()
    metadata = {"id": "1146654567674912769", "metadata": {"alt_text": {"text": "a" * 1001}}}
    refused = await http.post(f"{prism_x.url}/2/media/metadata", json=metadata, headers=BEARER)
    assert refused.status_code == 422
    prism_x.wait_for_violation("must NOT have more than 1000 characters", since=since)


async def test_the_post_url_names_the_handle_once_known(make_adapter: MakeAdapter) -> None:
    adapter = make_adapter(username="OctopostDev")

    assert_tweet(await adapter.publish(request("hello")), handle="OctopostDev")
    adapter.username = "Prism's random words"  # not a handle: fall back to x.com/i/status
    assert_tweet(await adapter.publish(request("hello")))
