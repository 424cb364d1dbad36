"""Direct messages on a ColibriSM site, against the fake: segments as messages in order to one recipient (from the
post's options or the account's default), one image per message, recipients who refuse, answers lost."""

from __future__ import annotations

import hashlib

import pytest

from adapters.base import OutcomeUnknown, Rejected
from adapters.colibri import ColibriMessagesAdapter
from adapters.colibri.options import ColibriMessageOptions
from adapters.validation import PostShape, SegmentShape, decode_options, validate
from tests.adapters.colibri.support import APP_SESSION, PASSWORD, MakeMessages, image, messages, request
from tests.fakes.colibri import BOB, CAROL, DAVE
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake
from tests.scheduler.flows import wait_for

INFO = ColibriMessagesAdapter.info
TO_BOB = ColibriMessageOptions(recipient_id=BOB.id)


async def test_segments_are_messages_in_order_each_with_its_image(
    make_messages: MakeMessages, fake: RunningFake
) -> None:
    adapter = make_messages(APP_SESSION)
    refs = []
    for index, text in enumerate(["hello", "how are you?", "bye"]):
        parent = refs[-1] if refs else None
        refs.append(
            await adapter.publish(request(text, index=index, parent=parent, media=(image(index),), options=TO_BOB))
        )

    sent = messages(fake)
    assert [(m["sent_to"], m["message"], m["media_type"]) for m in sent] == [
        (BOB.id, "hello", "image"),
        (BOB.id, "how are you?", "image"),
        (BOB.id, "bye", "image"),
    ]
    assert [m["sha256"] for m in sent] == [hashlib.sha256(image(n).data).hexdigest() for n in range(3)]
    assert [r.id for r in refs] == [str(m["id"]) for m in sent]
    assert [r.url for r in refs] == [f"{fake.url}/conversation/@bob#message-{m['id']}" for m in sent]
    assert [c["text"] for c in fake.created()] == ["hello", "how are you?", "bye"]


async def test_the_accounts_default_recipient_unless_the_post_names_one(
    make_messages: MakeMessages, fake: RunningFake
) -> None:
    await (connecting := make_messages({**PASSWORD, "recipient_id": str(BOB.id)})).verify()  # BOB exists
    stored = connecting.updated_credentials()
    assert stored is not None
    assert (stored["recipient_id"], stored["recipient_username"]) == (str(BOB.id), "bob")  # named once, here
    adapter = make_messages(dict(stored))
    before = fake.stats()["requests"]

    await adapter.publish(request("to the default"))
    assert fake.stats()["requests"] - before == 1  # the message alone: no lookup of the recipient per post
    with pytest.raises(Rejected, match="Your account has been blocked by this account"):
        await adapter.publish(request("to carol", options=ColibriMessageOptions(recipient_id=str(CAROL.id))))

    assert [(m["sent_to"], m["message"]) for m in messages(fake)] == [(BOB.id, "to the default")]


@pytest.mark.parametrize(
    ("recipient", "words"),
    [
        pytest.param(
            CAROL.id, r"send message was rejected \(400\): Your account has been blocked by this account", id="blocked"
        ),
        pytest.param(DAVE.id, r"\(400\): You do not have permission direct messages to this chat", id="no-dms"),
        pytest.param(999, r"ColibriSM has no user '999' \(.*User ID is missing or invalid\)", id="no-such-user"),
    ],
)
async def test_a_recipient_who_refuses_is_rejected_with_the_sites_words(
    make_messages: MakeMessages, fake: RunningFake, recipient: int, words: str
) -> None:
    with pytest.raises(Rejected, match=words):
        await make_messages(APP_SESSION).publish(request("hi", options=ColibriMessageOptions(recipient_id=recipient)))
    assert messages(fake) == []


async def test_without_a_recipient_nothing_is_sent(make_messages: MakeMessages, fake: RunningFake) -> None:
    with pytest.raises(Rejected, match=r"need a recipient: set platform_options\.colibri_dm\.recipient_id"):
        await make_messages(APP_SESSION).publish(request("to whom?"))
    with pytest.raises(Rejected, match=r"has no user '12345'"):
        await make_messages({**APP_SESSION, "recipient_id": "12345"}).verify()
    with pytest.raises(Rejected, match=r"recipient_id must be a user id \(a positive number\), got 'bob'"):
        await make_messages({**APP_SESSION, "recipient_id": "bob"}).verify()
    assert messages(fake) == []


@pytest.mark.parametrize("fault", ["reset_after", "slow"])
async def test_a_lost_answer_is_in_doubt_and_the_message_is_not_resent(
    make_messages: MakeMessages, fake: RunningFake, fault: str
) -> None:
    adapter = make_messages(APP_SESSION, request_timeout=1.0)
    fake.set_conditions(
        Conditions(fault_rate=1.0, faults=[fault], slow_seconds=1.5, fault_paths=["/mobile_api/send_message"])
    )

    with pytest.raises(OutcomeUnknown, match="send message: no answer after the request was sent"):
        await adapter.publish(request("did it arrive?", options=TO_BOB))

    wait_for(lambda: messages(fake), timeout=10, what="the message arriving")  # "slow": it lands late
    assert [m["message"] for m in messages(fake)] == ["did it arrive?"]  # it did: a resend would double it


def test_validation_refuses_a_second_image_and_long_messages() -> None:
    assert validate(INFO, PostShape([SegmentShape("x" * 3000, images=1)])) == []
    found = [v.describe() for v in validate(INFO, PostShape([SegmentShape("x" * 3001, images=2)]))]
    assert found == [
        "colibri_dm: content is 3001 characters; the limit is 3000 (codepoints)",
        "colibri_dm: content has 2 images; the limit is 1",
    ]
    (not_an_id,) = validate(INFO, PostShape([SegmentShape("x")], options=ColibriMessageOptions(recipient_id="bob")))
    assert "recipient_id must be a ColibriSM user id" in not_an_id.describe()
    with pytest.raises(ValueError, match=r"at `\$.recipient_id`"):
        decode_options(INFO, {"recipient_id": ["8"]})
