"""The Slack adapter's failures against the Slack fake: every error class from the answer that should produce it
(Slack's HTTP 200 ``ok: false`` envelope, its 429, its edge's 5xx, lost answers), what is in doubt once a message
may be posted, what is refused before anything is sent, and the token that never shows in any of it."""

from __future__ import annotations

import pytest

from adapters.base import AdapterError, OutcomeUnknown, RateLimited, ReauthRequired, Rejected, Transient
from adapters.slack import SlackAdapter
from adapters.validation import PostShape, SegmentShape, validate
from tests.adapters.slack.support import FAKE_CREDENTIALS, FAKE_TOKEN, MakeAdapter, Sent, files, next_error, request
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake
from tests.fakes.slack import NO_FILES_TOKEN, OUTSIDE_CHANNEL_ID, UPLOADS
from tests.media import png

POSTS = ["/chat.postMessage"]


async def test_a_rate_limit_says_when_to_come_back(make_fake_adapter: MakeAdapter, fake: RunningFake) -> None:
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["429"], retry_after_seconds=7, fault_paths=POSTS))

    with pytest.raises(RateLimited, match=r"Slack post: Slack's rate limit was reached \(ratelimited\)") as limited:
        await make_fake_adapter().publish(request("limited"))

    assert limited.value.retry_after == 7.0
    assert fake.created() == []


async def test_an_edge_5xx_is_transient_and_posted_nothing(make_fake_adapter: MakeAdapter, fake: RunningFake) -> None:
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["500"], fault_paths=POSTS))

    with pytest.raises(Transient, match=r"Slack post: Slack failed \(HTTP 500\)"):
        await make_fake_adapter().publish(request("broken"))

    assert fake.created() == []


@pytest.mark.parametrize("error", ["internal_error", "fatal_error"])
async def test_slacks_own_failure_after_a_post_is_in_doubt(
    make_fake_adapter: MakeAdapter, fake: RunningFake, error: str
) -> None:
    """Slack documents both as "it's possible some aspect of the operation succeeded": here it did."""
    next_error(fake, "chat.postMessage", error, applied=True)

    with pytest.raises(OutcomeUnknown, match=rf"Slack post: Slack answered {error}; it may have been applied"):
        await make_fake_adapter().publish(request("maybe posted"))

    assert [c["text"] for c in fake.created()] == ["maybe posted"]


async def test_slacks_own_failure_before_the_post_is_transient(
    make_fake_adapter: MakeAdapter, fake: RunningFake
) -> None:
    next_error(fake, "files.getUploadURLExternal", "internal_error", applied=False)

    with pytest.raises(Transient, match=r"upload of image 1: Slack failed \(internal_error\)"):
        await make_fake_adapter().publish(request("with a file", media=(png(),)))

    assert fake.created() == []


@pytest.mark.parametrize(("fault", "path"), [("reset_after", "/chat.postMessage"), ("reset", "/chat.postMessage")])
async def test_a_lost_answer_to_a_post_is_in_doubt(
    make_fake_adapter: MakeAdapter, fake: RunningFake, fault: str, path: str
) -> None:
    fake.set_conditions(Conditions(fault_rate=1.0, faults=[fault], fault_paths=[path]))

    with pytest.raises(OutcomeUnknown, match="Slack post: no answer after the request was sent"):
        await make_fake_adapter().publish(request("in doubt"))


async def test_a_lost_upload_is_only_transient(make_fake_adapter: MakeAdapter, fake: RunningFake) -> None:
    """Nothing is visible before the message: a lost answer while uploading the bytes can be tried again."""
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["reset_after"], fault_paths=[UPLOADS.split("{")[0]]))

    with pytest.raises(Transient, match="upload of image 1 failed"):
        await make_fake_adapter().publish(request("with a file", media=(png(),)))

    assert fake.created() == []


async def test_files_that_cannot_be_shared_after_the_message_leave_it_unconfirmed(
    make_fake_adapter: MakeAdapter, fake: RunningFake
) -> None:
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["429"], fault_paths=["/files.completeUploadExternal"]))

    with pytest.raises(
        OutcomeUnknown, match=r"the message \(ts \d+\.\d+\) was posted but its files could not"
    ) as doubt:
        await make_fake_adapter().publish(request("text first", media=(png(),)))

    assert "not posted again" in doubt.value.message
    assert [c["text"] for c in fake.created()] == ["text first"]  # exactly one message, never a second
    assert [f["completed"] for f in files(fake)] == [False]


@pytest.mark.parametrize(
    ("credentials", "text", "expected", "message"),
    [
        ({"channel_id": OUTSIDE_CHANNEL_ID}, "hi", Rejected, r"not_in_channel: the bot is not a member"),
        ({}, "x" * 40_001, Rejected, r"msg_too_long"),
        ({"bot_token": "xoxb-revoked"}, "hi", ReauthRequired, r"token_revoked.*reconnect the account"),
        ({"bot_token": NO_FILES_TOKEN}, "hi", Rejected, r"missing_scope: the app lacks the files:write scope"),
    ],
)
async def test_slacks_refusals_are_classified(
    make_fake_adapter: MakeAdapter,
    fake: RunningFake,
    credentials: dict[str, str],
    text: str,
    expected: type[AdapterError],
    message: str,
) -> None:
    media = (png(),) if "no-files" in credentials.get("bot_token", "") else ()
    with pytest.raises(AdapterError, match=message) as refused:
        await make_fake_adapter({**FAKE_CREDENTIALS, **credentials}).publish(request(text, media=media))

    assert type(refused.value) is expected
    assert fake.created() == []


@pytest.mark.parametrize(
    ("media", "problem"),
    [
        pytest.param((png(),) * 11, "11 files; at most 10 per message", id="eleven-files"),
        pytest.param((png("x" * 1001),), "alt text of image 1 is 1001 characters; at most 1000", id="long-alt"),
    ],
)
async def test_media_slack_would_refuse_is_rejected_before_sending(
    make_fake_adapter: MakeAdapter, sent: Sent, media: tuple, problem: str
) -> None:
    with pytest.raises(Rejected, match=problem):
        await make_fake_adapter().publish(request("with media", media=media))
    assert sent.requests == []


def test_text_over_4000_characters_is_refused_by_validation() -> None:
    info = SlackAdapter.info

    assert validate(info, PostShape([SegmentShape("&" * 4000), SegmentShape("👍" * 4000)])) == []
    (too_long,) = validate(info, PostShape([SegmentShape("ok"), SegmentShape("a" * 4001)]))
    assert too_long.describe() == "slack: segments[0] is 4001 characters; the limit is 4000 (codepoints)"


async def test_the_escaped_text_of_the_longest_segment_is_still_taken(
    make_fake_adapter: MakeAdapter, fake: RunningFake
) -> None:
    """4000 "&" become 20,000 characters on the wire: under Slack's 40,000, nothing is cut."""
    await make_fake_adapter().publish(request("&" * 4000))

    assert fake.created()[0]["text"] == "&" * 4000


async def test_the_token_never_shows(make_fake_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_fake_adapter()
    seen: list[str] = [repr(adapter), str(adapter.credentials), repr(vars(adapter))]
    for conditions in (Conditions(fault_rate=1.0, faults=[f]) for f in ("429", "500", "reset", "reset_after")):
        fake.set_conditions(conditions)
        with pytest.raises(AdapterError) as failed:
            await adapter.publish(request("never", media=(png(),)))
        seen += [failed.value.message, repr(failed.value), str(failed.value)]
    fake.set_conditions(Conditions())
    with pytest.raises(AdapterError) as refused:
        await make_fake_adapter({**FAKE_CREDENTIALS, "bot_token": "xoxb-revoked"}).verify()
    seen.append(refused.value.message)

    assert all(FAKE_TOKEN not in text and "xoxb-revoked" not in text for text in seen)
