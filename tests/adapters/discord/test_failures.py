"""The Discord adapter's failures against the Discord fake: the nonce that makes a resend safe, answers lost before
or after Discord applied a message, refused tokens and channels, rate limits, server errors, and what is refused
before anything is sent (Discord's limits, checked by our validation layer and by the adapter)."""

from __future__ import annotations

import pytest

from adapters.base import MediaItem, OutcomeUnknown, RateLimited, ReauthRequired, Rejected, Transient
from adapters.discord import DiscordAdapter
from adapters.validation import PostShape, SegmentShape, validate
from tests.adapters.discord.support import FAKE_CREDENTIALS, MakeAdapter, Sent, request
from tests.fakes.core import Conditions
from tests.fakes.discord import HIDDEN_CHANNEL_ID, REVOKED_TOKEN, THREAD_STARTS
from tests.fakes.running import RunningFake
from tests.media import png

# ---- the nonce ---------------------------------------------------------------------------------------------


async def test_a_resend_with_the_same_key_answers_the_first_message(
    make_fake_adapter: MakeAdapter, fake: RunningFake
) -> None:
    adapter = make_fake_adapter()
    segment = request("only once")

    first = await adapter.publish(segment)
    again = await adapter.publish(segment)
    other = await adapter.publish(request("only once"))  # the same text under a new key is a new message

    assert again == first
    assert other.id != first.id
    created = fake.created()
    assert [(c["id"], c["idempotency_key"]) for c in created] == [
        (first.id, segment.idempotency_key),
        (other.id, created[1]["idempotency_key"]),
    ]


@pytest.mark.parametrize("fault", ["reset_after", "reset"])
async def test_a_lost_answer_is_in_doubt_and_the_resend_posts_once(
    make_fake_adapter: MakeAdapter, fake: RunningFake, fault: str
) -> None:
    """``reset_after``: Discord posted it and the answer was lost; ``reset``: it never got there. Either way the
    adapter cannot tell (OutcomeUnknown), and the publisher's resend under the same nonce leaves one message."""
    adapter = make_fake_adapter()
    await adapter.verify()  # the guild is known: the fault hits the message itself
    segment = request("in doubt")
    fake.set_conditions(Conditions(fault_rate=1.0, faults=[fault]))

    with pytest.raises(OutcomeUnknown, match="Discord post: no answer after the request was sent"):
        await adapter.publish(segment)

    fake.set_conditions(Conditions())
    resent = await adapter.publish(segment)
    assert [(c["id"], c["text"]) for c in fake.created()] == [(resent.id, "in doubt")]


async def test_a_lost_thread_start_is_retried_safely(make_fake_adapter: MakeAdapter, fake: RunningFake) -> None:
    """Starting a thread creates no message: a lost answer is Transient, and the retry meets 160004 and goes on."""
    adapter = make_fake_adapter()
    main = await adapter.publish(request("main"))
    reply = request("reply", index=1, root=main)
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["reset_after"], fault_paths=[THREAD_STARTS]))

    with pytest.raises(Transient, match="Discord thread start failed"):
        await adapter.publish(reply)

    fake.set_conditions(Conditions())
    posted = await adapter.publish(reply)
    assert [c["text"] for c in fake.created()] == ["main", "reply"]
    assert fake.created()[-1]["id"] == posted.id


# ---- refusals ---------------------------------------------------------------------------------------------


async def test_a_revoked_token_needs_reauth(make_fake_adapter: MakeAdapter, fake: RunningFake) -> None:
    revoked = make_fake_adapter({**FAKE_CREDENTIALS, "bot_token": REVOKED_TOKEN})

    with pytest.raises(ReauthRequired, match=r"refused the bot token during credentials check \(401: 401: Unaut"):
        await revoked.verify()
    with pytest.raises(ReauthRequired, match="reconnect the account"):
        await make_fake_adapter({**FAKE_CREDENTIALS, "bot_token": REVOKED_TOKEN, "guild_id": "1"}).publish(
            request("never posted")
        )
    assert fake.created() == []


async def test_a_token_pasted_with_its_scheme_still_works(make_fake_adapter: MakeAdapter, sent: Sent) -> None:
    profile = await make_fake_adapter({**FAKE_CREDENTIALS, "bot_token": " Bot fake-bot-token "}).verify()

    assert profile.username.startswith("fakebot")
    assert {r.headers["authorization"] for r in sent.requests} == {"Bot fake-bot-token"}


@pytest.mark.parametrize(
    ("channel", "answer"),
    [
        pytest.param("1100000000000000999", r"404\): Unknown Channel", id="unknown"),
        pytest.param(HIDDEN_CHANNEL_ID, r"403\): Missing Access", id="hidden"),
    ],
)
async def test_a_channel_the_bot_cannot_see_is_rejected_by_name(
    make_fake_adapter: MakeAdapter, channel: str, answer: str
) -> None:
    adapter = make_fake_adapter({**FAKE_CREDENTIALS, "channel_id": channel})

    with pytest.raises(Rejected, match=rf"the bot cannot use channel '{channel}' \(.*{answer}\)\. Check the channel"):
        await adapter.verify()
    with pytest.raises(Rejected, match=rf"cannot use channel '{channel}'"):
        await adapter.publish(request("nowhere to go"))


async def test_a_rate_limit_says_when_to_come_back(make_fake_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_fake_adapter()
    await adapter.verify()
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["429"], retry_after_seconds=7))

    with pytest.raises(RateLimited, match="You are being rate limited") as limited:
        await adapter.publish(request("limited"))

    assert limited.value.retry_after == 7.0
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["500"]))
    with pytest.raises(Transient, match=r"Discord answered 500"):
        await adapter.publish(request("broken"))
    assert fake.created() == []


# ---- Discord's limits -------------------------------------------------------------------------------------


def test_our_validation_layer_refuses_text_over_2000_code_points() -> None:
    info = DiscordAdapter.info

    assert (
        validate(info, PostShape([SegmentShape("a" * 2000), SegmentShape("👍" * 2000)])) == []
    )  # characters, not bytes
    (too_long,) = validate(info, PostShape([SegmentShape("ok"), SegmentShape("a" * 2001)]))
    assert too_long.describe() == "discord: segments[0] is 2001 characters; the limit is 2000 (codepoints)"
    assert validate(info, PostShape([SegmentShape("both", images=4, videos=1)])) == []  # a message mixes attachments


async def test_discord_refuses_what_the_validation_layer_would(
    make_fake_adapter: MakeAdapter, fake: RunningFake
) -> None:
    """Should a too-long text get past validation, Discord's own refusal comes back readable."""
    with pytest.raises(Rejected, match=r"\(400\): Invalid Form Body \(content: Must be 2000 or fewer in length\.\)"):
        await make_fake_adapter().publish(request("a" * 2001))
    assert fake.created() == []


@pytest.mark.parametrize(
    ("media", "problem"),
    [
        pytest.param((png(),) * 11, "11 files; at most 10 per message", id="eleven-files"),
        pytest.param(
            (MediaItem(data=bytes(10 * 1024 * 1024 + 1), content_type="video/mp4", kind="video"),),
            "video 1 is 10,485,761 bytes; the limit is 10,485,760",
            id="over-10-MiB",
        ),
        pytest.param(
            (MediaItem(data=b"BM", content_type="image/bmp", kind="image"),), "image 1 is image/bmp", id="bmp"
        ),
        pytest.param((png(), png("x" * 1025)), "alt text of image 2 is 1025 characters; at most 1024", id="long-alt"),
    ],
)
async def test_media_discord_would_refuse_is_rejected_before_sending(
    make_fake_adapter: MakeAdapter, sent: Sent, media: tuple[MediaItem, ...], problem: str
) -> None:
    with pytest.raises(Rejected, match=problem):
        await make_fake_adapter().publish(request("with media", media=media))
    assert sent.requests == []


async def test_images_and_a_video_go_in_one_message(make_fake_adapter: MakeAdapter, fake: RunningFake) -> None:
    video = MediaItem(data=b"\x00\x00\x00\x18ftypmp42", content_type="video/mp4", kind="video")

    ref = await make_fake_adapter().publish(request("mixed", media=(png("one"), png("two"), video)))

    assert fake.created()[-1]["id"] == ref.id
