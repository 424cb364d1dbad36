"""Ziik's rules in the one validation path (adapters/validation.py) that runs at schedule and publish time, from
ZiikAdapter.info: the folded thread against the body's limit, the options' types and limits (msgspec), the rules
that need the rest of the post (group or owner_unit, comments against the reply policy, a pin in the past), the
reply policies Ziik has, and its polls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.base import Poll, ReplyPolicy
from adapters.validation import OptionsInvalid, PostShape, SegmentShape, decode_options, validate
from adapters.ziik import ZiikAdapter
from adapters.ziik.content import MAX_BODY_CHARS

INFO = ZiikAdapter.info


def problems(
    *texts: str,
    images: int = 0,
    options: dict[str, object] | None = None,
    poll: Poll | None = None,
    reply_policy: ReplyPolicy | None = None,
) -> list[str]:
    segments = [SegmentShape(text, images=images if n == 0 else 0) for n, text in enumerate(texts)]
    shape = PostShape(segments, poll=poll, reply_policy=reply_policy, options=decode_options(INFO, options))
    return [v.describe() for v in validate(INFO, shape)]


def test_a_thread_is_folded_and_checked_as_one_body() -> None:
    third, rest = divmod(MAX_BODY_CHARS - 2 * len("\n\n"), 3)  # the segments, a blank line between each
    exactly = ["a" * third, "b" * third, "c" * (third + rest)]
    assert problems(*exactly) == []
    assert problems(*exactly[:2], exactly[2] + "c") == [
        f"ziik: content is {MAX_BODY_CHARS + 1} characters; the limit is {MAX_BODY_CHARS} (codepoints) (the thread "
        "folded into one post)"
    ]

    over = problems("a" * 5000, "b" * 5000, "c" * 5000)

    assert over == [
        f"ziik: content is 15004 characters; the limit is {MAX_BODY_CHARS} (codepoints) (the thread folded into one "
        "post)"
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"title": "t" * 256}, r"Expected `str` of length <= 255 - at `\$.title`"),
        ({"title": "   "}, r"Expected `str` matching regex '\\\\S' - at `\$.title`"),
        ({"group": "543"}, r"Expected `int \| null`, got `str` - at `\$.group`"),
        ({"owner_unit": 0}, r"Expected `int` >= 1 - at `\$.owner_unit`"),
        ({"important": "yes"}, r"Expected `bool \| null`, got `str` - at `\$.important`"),
        ({"pinned_until": "2030-01-01T00:00:00"}, r"Expected `datetime` with a timezone component"),
        ({"visibility": {"units": ["3"]}}, r"Expected `int`, got `str` - at `\$.visibility.units\[0\]`"),
        ({"visibility": {"user_types": [1]}}, r"unknown field `user_types` - at `\$.visibility`"),
        ({"comments": False}, r"Object contains unknown field `comments`"),
    ],
)
def test_options_of_the_wrong_type_or_size_are_refused(options: dict[str, object], message: str) -> None:
    with pytest.raises(OptionsInvalid, match=message):
        decode_options(INFO, options)


def test_group_and_owner_unit_together_are_refused() -> None:
    assert problems("hi", options={"group": 543, "owner_unit": 1}) == [
        "ziik: platform_options.ziik group and owner_unit cannot both be given: a Ziik post goes to a group, or to "
        "the organisation from one of your units"
    ]
    assert problems("hi", options={"group": 543}) == problems("hi", options={"owner_unit": 1}) == problems("hi") == []


def test_comments_must_agree_with_the_reply_policy() -> None:
    assert problems("hi", options={"comments_enabled": True}, reply_policy=ReplyPolicy.NOBODY) == [
        "ziik: platform_options.ziik comments_enabled is true but reply_policy 'nobody' closes the post's comments"
    ]
    assert problems("hi", options={"comments_enabled": False}, reply_policy=ReplyPolicy.EVERYONE) == [
        "ziik: platform_options.ziik comments_enabled is false but reply_policy 'everyone' opens the post's comments"
    ]
    assert problems("hi", options={"comments_enabled": False}, reply_policy=ReplyPolicy.NOBODY) == []


def test_a_pin_must_end_in_the_future() -> None:
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()

    assert problems("hi", options={"pinned_until": future}) == []
    (found,) = problems("hi", options={"pinned_until": past})
    assert found.startswith("ziik: platform_options.ziik pinned_until ")
    assert found.endswith("is not in the future")


@pytest.mark.parametrize("policy", [ReplyPolicy.FOLLOWERS, ReplyPolicy.FOLLOWING, ReplyPolicy.MENTIONED])
def test_reply_policies_ziik_cannot_apply_are_refused(policy: ReplyPolicy) -> None:
    assert problems("hi", reply_policy=policy) == [
        f"ziik: reply_policy {policy.value!r} cannot be applied on Ziik (it supports: everyone, nobody)"
    ]


def test_polls_within_ziiks_limits() -> None:
    assert problems("Vote", poll=Poll(("a", "b", "c", "d"), 60 * 24 * 30)) == []
    assert problems("Vote", poll=Poll(("a", "b"), 60, question="q" * 256)) == [
        "ziik: poll question is 256 characters; the limit is 255"
    ]
    assert problems("Vote", images=1, poll=Poll(("a", "b"), 60)) == ["ziik: poll cannot go with media on Ziik"]


def test_media_counts() -> None:
    assert problems("pictures", images=10) == []
    assert problems("pictures", images=11) == ["ziik: content has 11 images; the limit is 10"]
