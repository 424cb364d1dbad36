"""Every error code Amity documents, answered by the fake in Amity's envelope over real HTTP, and what the adapter
makes of it; the generic faults (429, 5xx) as Amity answers them; and what is refused before anything is sent
(Amity's limits, checked by our validation layer: text in UTF-16 code units, polls, reply policies, options)."""

from __future__ import annotations

import msgspec
import pytest

from adapters.amity import AmityAdapter
from adapters.amity.errors import AlreadyExists
from adapters.amity.options import AmityOptions
from adapters.base import (
    AdapterError,
    MediaRejected,
    Poll,
    RateLimited,
    ReauthRequired,
    Rejected,
    ReplyPolicy,
    Transient,
)
from adapters.validation import OptionsInvalid, PostShape, SegmentShape, decode_options, validate
from tests.adapters.amity.support import MakeAdapter, request
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake

KNOWN_USER = {"access_token": "errors-token", "user_id": "user-errors"}  # the post is the first call

# (code, the HTTP status it comes with, the class it must become)
CODES = [
    (400000, 400, Rejected),  # bad request
    (400001, 400, Rejected),  # invalid regular expression
    (400002, 400, MediaRejected),  # video format invalid
    (400100, 401, ReauthRequired),  # unauthorized: the token is refused
    (400100, 403, Rejected),  # "User … is not join this community …": the same code, about the target
    (400300, 403, Rejected),  # forbidden
    (400301, 403, Rejected),  # permission denied
    (400302, 403, Rejected),  # the user is muted
    (400303, 403, Rejected),  # the channel is muted
    (400304, 403, Rejected),  # banned from the community
    (400305, 400, Rejected),  # number of members exceeded
    (400306, 400, Rejected),  # exempt from ban
    (400307, 400, Rejected),  # max repetition exceeded
    (400308, 400, Rejected),  # a blocklisted word
    (400309, 400, Rejected),  # a link not on the allowlist
    (400310, 400, Rejected),  # too many members
    (400311, 429, RateLimited),  # rate limit exceeded
    (400312, 403, ReauthRequired),  # globally banned
    (400314, 400, MediaRejected),  # refused by image moderation
    (400315, 403, AlreadyExists),  # data already exists (and no such post of ours: the refusal stands)
    (400316, 400, Rejected),  # the user was unbanned
    (400317, 400, Rejected),  # the last moderator
    (400318, 400, Rejected),  # the last member
    (400319, 400, Rejected),  # the network's notifications are off
    (400323, 429, RateLimited),  # a visitor's daily read quota
    (400324, 400, Rejected),  # max blocked users reached
    (400400, 404, Rejected),  # not found
    (400900, 409, AlreadyExists),  # conflict (already exists, and not ours)
    (403998, 403, ReauthRequired),  # a bot's token
    (403999, 403, ReauthRequired),  # a visitor's token
    (500000, 500, Transient),  # unexpected error
    (500000, 422, Rejected),  # "Parameters error.": the same code, answered with a 4xx
    (500000, 413, MediaRejected),  # "Payload too large."
]


@pytest.mark.parametrize(("code", "status", "expected"), CODES, ids=[f"{c}-{s}" for c, s, _ in CODES])
async def test_every_documented_code_is_classified(
    make_adapter: MakeAdapter, fake: RunningFake, code: int, status: int, expected: type[AdapterError]
) -> None:
    message = f"what Amity says about {code}"
    fake.control("PUT", "next_error", {"status": status, "code": code, "message": message})

    with pytest.raises(AdapterError) as raised:
        await make_adapter(KNOWN_USER).publish(request("meets an error"))

    assert type(raised.value) is expected
    assert message in raised.value.message
    assert fake.created() == []


async def test_a_rate_limit_says_when_to_come_back(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter(KNOWN_USER)
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["429"], retry_after_seconds=7))

    with pytest.raises(RateLimited, match=r"Amity's rate limit was reached \(RateLimit Exceed\.\)") as limited:
        await adapter.publish(request("limited"))

    assert limited.value.retry_after == 7.0  # the Retry-After header
    fake.set_conditions(Conditions())
    fake.control("PUT", "next_error", {"status": 429, "code": 400311, "message": "RateLimit Exceed."})
    with pytest.raises(RateLimited) as bare:
        await adapter.publish(request("limited again"))
    assert bare.value.retry_after == 5.0  # no header: Amity's window ("100 calls per user within 5 s")
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["500"]))
    with pytest.raises(Transient, match=r"Amity post: Amity answered 500 \(Unexpected error\)"):
        await adapter.publish(request("broken"))
    assert fake.created() == []


# ---- Amity's limits, before anything is sent ---------------------------------------------------------------


def test_text_is_counted_in_utf16_code_units_for_posts_and_comments() -> None:
    info = AmityAdapter.info
    emoji = "😀" * 10_000  # 20,000 UTF-16 code units

    assert validate(info, PostShape([SegmentShape(emoji), SegmentShape("a" * 20_000)])) == []
    main, comment = validate(info, PostShape([SegmentShape(emoji + "a"), SegmentShape("😀" + "a" * 19_999)]))
    assert main.describe() == "amity: content is 20001 characters; the limit is 20000 (utf16)"
    assert comment.describe() == "amity: segments[0] is 20001 characters; the limit is 20000 (utf16)"


async def test_amity_refuses_text_over_its_limit_readably(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    """Should too long a text get past validation, Amity's parameter error (422, code 500000) is a refusal."""
    with pytest.raises(Rejected, match=r"\(422\): Parameters error\. \(The 'data\.text' field length must be less"):
        await make_adapter(KNOWN_USER).publish(request("😀" * 10_001))
    assert fake.created() == []


def test_polls_reply_policies_and_options_are_checked_at_schedule_time() -> None:
    info = AmityAdapter.info
    poll = Poll(options=("Yes", "No"), duration_minutes=60)

    assert validate(info, PostShape([SegmentShape("ok")], poll=poll, reply_policy=ReplyPolicy.EVERYONE)) == []
    found = validate(
        info,
        PostShape(
            [SegmentShape("poll", images=1)],
            poll=Poll(options=("Yes", "o" * 61), duration_minutes=31 * 24 * 60, question="q" * 501),
            reply_policy=ReplyPolicy.FOLLOWERS,
            options=AmityOptions(target_type="community", tags=("😀" * 12 + "a",)),
        ),
    )
    assert [v.describe() for v in found] == [
        "amity: poll option 2 is 61 characters; the limit is 60",
        "amity: poll lasts 44640 minutes; Amity Social Cloud takes 1 to 43200",
        "amity: poll question is 501 characters; the limit is 500",
        "amity: poll cannot go with media on Amity Social Cloud",
        "amity: reply_policy 'followers' cannot be applied on Amity Social Cloud (it supports: everyone)",
        "amity: platform_options.amity target_id is required when target_type is 'community' (the community's id)",
        "amity: platform_options.amity tags[0] is 25 UTF-16 code units; the limit is 24",
    ]


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"tags": ["t1", "t2", "t3", "t4", "t5", "t6"]}, r"Expected `array` of length <= 5 - at `\$\.tags`"),
        ({"tags": ["x" * 25]}, r"Expected `str` of length <= 24 - at `\$\.tags\[0\]`"),
        ({"target_type": "group"}, r"Invalid enum value 'group' - at `\$\.target_type`"),
        ({"discoverable": "no"}, r"Expected `bool \| null`, got `str` - at `\$\.discoverable`"),
        ({"mention_user_ids": "dana"}, r"Expected `array`, got `str` - at `\$\.mention_user_ids`"),
        ({"metadata": ["not", "an", "object"]}, r"Expected `object \| null`, got `array` - at `\$\.metadata`"),
        ({"hashtags": ["a"]}, r"Object contains unknown field `hashtags`"),  # they come from the text
    ],
)
def test_options_of_the_wrong_shape_are_refused_naming_the_field(options: dict, problem: str) -> None:
    with pytest.raises(OptionsInvalid, match=problem):
        decode_options(AmityAdapter.info, options)


def test_options_decode_to_what_the_adapter_reads() -> None:
    raw = {
        "target_type": "community",
        "target_id": "c1",
        "tags": ["a"],
        "mention_user_ids": ["dana"],
        "metadata": {"k": [1, 2]},
        "discoverable": True,
    }

    decoded = decode_options(AmityAdapter.info, raw)

    assert decoded == AmityOptions(
        target_type="community",
        target_id="c1",
        tags=("a",),
        mention_user_ids=("dana",),
        metadata={"k": [1, 2]},
        discoverable=True,
    )
    assert msgspec.json.decode(msgspec.json.encode(decoded)) == raw  # nothing lost, nothing added
