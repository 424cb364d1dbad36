"""The YouTube adapter's failures and limits: quota spent until midnight Pacific, an expired token, a channel-less
account, metadata YouTube refuses (checked before anything is sent, and by validation at schedule time), the fake's
strictness to Google's discovery document, and the token that never shows."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from adapters.base import AdapterError, AuthExpired, MediaRejected, RateLimited, ReauthRequired, Rejected
from adapters.validation import PostShape, SegmentShape, decode_options, validate
from adapters.youtube import YouTubeAdapter
from adapters.youtube.errors import until_pacific_midnight
from tests.adapters.pending import drive
from tests.adapters.youtube.support import REFRESH_TOKEN, TOKEN, MakeAdapter, listing, request, thumbnail
from tests.fakes.running import RunningFake
from tests.fakes.youtube import EXPIRED_TOKEN, NO_CHANNEL_TOKEN

INFO = YouTubeAdapter.info


@pytest.mark.parametrize("reason", ["quotaExceeded", "dailyLimitExceeded"])
async def test_a_spent_quota_waits_for_midnight_pacific(
    make_adapter: MakeAdapter, fake: RunningFake, reason: str
) -> None:
    fake.control("PUT", "quota", {"reason": reason})

    with pytest.raises(RateLimited, match=reason) as limited:
        await make_adapter().publish(request())

    assert limited.value.retry_after is not None
    assert abs(limited.value.retry_after - until_pacific_midnight()) < 5
    assert listing(fake, "sessions") == []


@pytest.mark.parametrize(
    ("now", "seconds"),
    [
        (datetime(2026, 7, 1, 6, 59, tzinfo=UTC), 60.0),  # 23:59 PDT
        (datetime(2026, 12, 3, 7, 59, tzinfo=UTC), 60.0),  # 23:59 PST
        (datetime(2026, 12, 3, 8, 0, tzinfo=UTC), 86_400.0),  # midnight PST: a whole day
    ],
)
def test_midnight_pacific_follows_daylight_saving(now: datetime, seconds: float) -> None:
    assert until_pacific_midnight(now) == seconds


async def test_an_expired_token_may_be_refreshed(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter({"access_token": EXPIRED_TOKEN, "refresh_token": REFRESH_TOKEN})
    for call in (adapter.verify(), adapter.publish(request())):
        with pytest.raises(AuthExpired, match="YouTube: the session expired"):
            await call
    with pytest.raises(ReauthRequired, match="no refresh token is stored: connect the account again"):
        await make_adapter({"access_token": EXPIRED_TOKEN}).verify()


async def test_verify_names_the_channel(make_adapter: MakeAdapter) -> None:
    profile = await make_adapter().verify()
    assert profile.platform_user_id.startswith("UC")
    assert profile.username == "@octopostfake"

    with pytest.raises(Rejected, match="has no YouTube channel"):
        await make_adapter({"access_token": NO_CHANNEL_TOKEN}).verify()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a <b> title", "may not contain < or >"),
        ("title\n" + "é" * 2500, "5,006 bytes in UTF-8"),
        ("\n\n", "empty; a YouTube video needs a title"),
    ],
)
async def test_metadata_youtube_refuses_is_not_sent(
    make_adapter: MakeAdapter, fake: RunningFake, text: str, problem: str
) -> None:
    with pytest.raises(Rejected, match=problem):
        await make_adapter().publish(request(text))
    assert listing(fake, "sessions") == []


async def test_a_post_is_one_video(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    with pytest.raises(MediaRejected, match="one video"):
        await make_adapter().publish(request(media=(thumbnail(),)))
    assert listing(fake, "sessions") == []


def test_validation_checks_the_limits_at_schedule_time() -> None:
    assert validate(INFO, PostShape([SegmentShape("hi", videos=1), SegmentShape("a comment")])) == []
    (too_big,) = validate(INFO, PostShape([SegmentShape("é" * 2501, videos=1)]))
    assert too_big.describe() == "youtube: content is 5002 bytes in UTF-8; the limit is 5000"
    (no_video,) = validate(INFO, PostShape([SegmentShape("hi")]))
    assert no_video.describe() == "youtube: content needs an image or a video: YouTube posts media"
    options = decode_options(INFO, {"title": "x" * 101, "privacy_status": "private"})
    (long_title,) = validate(INFO, PostShape([SegmentShape("hi", videos=1)], options=options))
    assert "platform_options.youtube.title is 101 characters; at most 100" in long_title.describe()
    defaults = decode_options(INFO, {"privacy_status": "private"})
    refused = validate(INFO, PostShape([SegmentShape("<b>", images=1)], options=defaults))
    assert sorted(v.message for v in refused) == [
        "a YouTube post is one video; the main post has 0",
        "the description may not contain < or > (YouTube refuses them)",
        "the title (the text's first line) may not contain < or >",
    ]


def test_options_are_decoded_strictly() -> None:
    with pytest.raises(ValueError, match="privacy_status"):
        decode_options(INFO, {"privacy_status": "friends"})
    with pytest.raises(ValueError, match="unknown"):
        decode_options(INFO, {"titel": "typo"})


async def test_the_fake_holds_requests_to_googles_description(fake: RunningFake) -> None:
    """A field videos.insert's Video schema does not have, or a wrong type, is refused with the field named."""
    body = {"snippet": {"title": "t", "description": "d", "colour": "red"}, "status": {"privacyStatus": 3}}
    async with httpx.AsyncClient() as client:
        answer = await client.post(
            f"{fake.url}/upload/youtube/v3/videos",
            params={"uploadType": "resumable", "part": "snippet,status", "notify": "x"},
            json=body,
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
    assert answer.status_code == 400
    message = answer.json()["error"]["message"]
    assert "unknown parameter 'notify'" in message
    assert "body.snippet.colour is not a field of VideoSnippet" in message
    assert "body.status.privacyStatus is not a string" in message


async def test_the_token_never_shows(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter()
    seen = [repr(adapter), str(adapter.credentials), repr(vars(adapter))]
    fake.control("PUT", "quota", {"reason": "quotaExceeded"})
    with pytest.raises(AdapterError) as limited:
        await adapter.publish(request())
    fake.control("PUT", "quota", {"reason": None})
    with pytest.raises(AdapterError) as expired:
        await make_adapter({"access_token": EXPIRED_TOKEN}).publish(request())
    seen += [limited.value.message, str(expired.value), repr(expired.value)]
    pendings = (await drive(adapter, request())).pendings
    seen += [p.handle for p in pendings]

    assert all(secret not in text for text in seen for secret in (TOKEN, EXPIRED_TOKEN, REFRESH_TOKEN))
