"""The one validation path over declared capabilities (adapters/validation.py), on platforms declared for the test:
how each thread mode is checked (numbered with its counter counted, folded against the one limit, refused where a
single post cannot fold), media rules (required, in replies, total), poll rules (a poll that never closes, a
question the platform cannot ask) and reply policies, every problem reported at once."""

from __future__ import annotations

from dataclasses import replace

from adapters.base import Poll, PollRules, ReplyPolicy, ThreadMode
from adapters.segments import FOLD_SEPARATOR
from adapters.validation import PostShape, SegmentShape, validate
from tests.scheduler.in_process import BASE_INFO

TEN = replace(BASE_INFO.text, max_chars=10)
POLLS = PollRules(max_options=4, max_option_chars=20, min_duration_minutes=5, max_duration_minutes=60)


def described(info: object, post: PostShape) -> list[str]:
    return [v.describe() for v in validate(info, post)]  # type: ignore[arg-type]


def test_sequential_numbered_counts_the_counter_in_the_limit() -> None:
    info = replace(BASE_INFO, thread_mode=ThreadMode.SEQUENTIAL_NUMBERED, text=TEN)
    assert described(info, PostShape([SegmentShape("abcd"), SegmentShape("efgh")])) == []  # "abcd (1/2)" is 10
    assert described(info, PostShape([SegmentShape("abcde"), SegmentShape("efgh")])) == [
        "mastodon: content is 11 characters; the limit is 10 (codepoints)"
    ]
    assert described(info, PostShape([SegmentShape("abcdefghij")])) == []  # one post: no counter


def test_single_folds_the_thread_against_its_one_limit() -> None:
    info = replace(BASE_INFO, thread_mode=ThreadMode.SINGLE, folds_thread=True, text=TEN)
    assert len(FOLD_SEPARATOR.join(["abcd", "efgh"])) == 10
    assert described(info, PostShape([SegmentShape("abcd"), SegmentShape("efgh")])) == []
    assert described(info, PostShape([SegmentShape("abcd"), SegmentShape("efghi")])) == [
        "mastodon: content is 11 characters; the limit is 10 (codepoints) (the thread folded into one post)"
    ]
    # The media of every segment ride on the one post.
    media = replace(info, text=BASE_INFO.text, media=replace(info.media, max_images=2))
    assert described(media, PostShape([SegmentShape("a", images=2), SegmentShape("b", images=1)])) == [
        "mastodon: content has 3 images; the limit is 2"
    ]


def test_a_single_post_that_cannot_fold_refuses_a_thread_naming_the_platform() -> None:
    info = replace(BASE_INFO, thread_mode=ThreadMode.SINGLE)
    assert described(info, PostShape([SegmentShape("only")])) == []
    assert described(info, PostShape([SegmentShape("main"), SegmentShape("reply")])) == [
        "mastodon: segments cannot be posted: Mastodon takes a single post and cannot fold a thread into it; this "
        "post has 2 segments (send the thread to another platform, or drop its segments)"
    ]


def test_media_rules_required_in_replies_and_in_total() -> None:
    info = replace(BASE_INFO, media=replace(BASE_INFO.media, required=True, in_replies=False, max_attachments=3))
    found = described(
        info, PostShape([SegmentShape("no media"), SegmentShape("reply", images=1), SegmentShape("x", images=4)])
    )
    assert found == [
        "mastodon: content needs an image or a video: Mastodon posts media",
        "mastodon: segments[0] cannot carry media: Mastodon takes media on the main post",
        "mastodon: segments[1] cannot carry media: Mastodon takes media on the main post",
        "mastodon: segments[1] has 4 files; the limit is 3",
    ]


def test_every_poll_and_policy_problem_is_reported_at_once() -> None:
    info = replace(BASE_INFO, polls=POLLS, reply_policies=frozenset({ReplyPolicy.EVERYONE, ReplyPolicy.NOBODY}))
    poll = Poll(("a" * 21, "b", "c", "d", "e"), duration_minutes=61, question="Which one?")
    found = described(info, PostShape([SegmentShape("vote", images=1)], poll=poll, reply_policy=ReplyPolicy.FOLLOWERS))
    assert found == [
        "mastodon: poll has 5 options; Mastodon takes 2 to 4",
        "mastodon: poll option 1 is 21 characters; the limit is 20",
        "mastodon: poll lasts 61 minutes; Mastodon takes 5 to 60",
        "mastodon: poll question cannot be posted: Mastodon's polls have none (the post's text asks it)",
        "mastodon: poll cannot go with media on Mastodon",
        "mastodon: reply_policy 'followers' cannot be applied on Mastodon (it supports: everyone, nobody)",
    ]


def test_a_poll_that_never_closes_takes_any_duration_and_a_question_within_its_limit() -> None:
    info = replace(BASE_INFO, polls=replace(POLLS, closes=False, max_question_chars=10))
    assert described(info, PostShape([SegmentShape("vote")], poll=Poll(("a", "b"), 99_999, "Which?"))) == []
    assert described(info, PostShape([SegmentShape("vote")], poll=Poll(("a", "b"), 5, "Which one, then?"))) == [
        "mastodon: poll question is 16 characters; the limit is 10"
    ]
