"""X polls and reply settings: what validation refuses from X's declared rules, requests that must pass X's own spec
(Prism), and what X shows afterwards (the X fake, read back through ``GET /2/tweets/{id}`` as X's lookup has it):
the poll on the main post, ``reply_settings`` on the main post only, a thread whose replies inherit the restriction
and still go through because their author wrote the root.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from adapters.base import Poll, PublishedRef, Rejected, ReplyPolicy
from adapters.twitter import TwitterAdapter
from adapters.validation import PostShape, SegmentShape, validate
from tests.adapters.x.support import BEARER, MakeAdapter, assert_tweet, request
from tests.fakes.running import RunningFake
from tests.media import png
from tests.peers.prism import PrismPeer

COLOURS = Poll(options=("Red", "Blue", "Green"), duration_minutes=1440)
LOOKUP = {
    "tweet.fields": "reply_settings,conversation_id,author_id",
    "expansions": "attachments.poll_ids",
    "poll.fields": "duration_minutes,voting_status",
}


def problems(shape: PostShape) -> list[str]:
    return [v.describe() for v in validate(TwitterAdapter.info, shape)]


def lookup(fake: RunningFake, ref: PublishedRef) -> dict[str, Any]:
    """The post as X's lookup shows it, poll expanded."""
    answer = httpx.get(f"{fake.url}/2/tweets/{ref.id}", params=LOOKUP, headers=BEARER, timeout=10)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


# ---- X's rules, as validation applies them ------------------------------------------------------------------


def test_x_takes_two_to_four_options_of_25_characters_for_5_minutes_to_7_days() -> None:
    assert problems(PostShape([SegmentShape("Which?")], poll=Poll(("a" * 25, "b"), 5))) == []
    assert problems(PostShape([SegmentShape("Which?")], poll=Poll(("a", "b", "c", "d"), 10080))) == []

    assert problems(PostShape([SegmentShape("Which?")], poll=Poll(("a" * 26, "b", "c", "d", "e"), 4))) == [
        "twitter: poll has 5 options; X takes 2 to 4",
        "twitter: poll option 1 is 26 characters; the limit is 25",
        "twitter: poll lasts 4 minutes; X takes 5 to 10080",
    ]
    assert problems(PostShape([SegmentShape("Which?")], poll=Poll(("a", "b"), 10081))) == [
        "twitter: poll lasts 10081 minutes; X takes 5 to 10080"
    ]


def test_a_poll_cannot_go_with_media_on_the_main_post() -> None:
    with_image = PostShape([SegmentShape("Which?", images=1)], poll=COLOURS)
    image_in_a_reply = PostShape([SegmentShape("Which?"), SegmentShape("see", images=1)], poll=COLOURS)

    assert problems(with_image) == ["twitter: poll cannot go with media on X"]
    assert problems(image_in_a_reply) == []  # the poll rides on the main post only


@pytest.mark.parametrize("policy", [ReplyPolicy.FOLLOWERS, ReplyPolicy.NOBODY])
def test_policies_x_cannot_express_are_refused_never_widened(policy: ReplyPolicy) -> None:
    assert problems(PostShape([SegmentShape("hi")], reply_policy=policy)) == [
        f"twitter: reply_policy {policy.value!r} cannot be applied on X (it supports: everyone, following, mentioned)"
    ]


@pytest.mark.parametrize("policy", [ReplyPolicy.EVERYONE, ReplyPolicy.FOLLOWING, ReplyPolicy.MENTIONED])
def test_policies_x_can_express_pass(policy: ReplyPolicy) -> None:
    assert problems(PostShape([SegmentShape("hi"), SegmentShape("more")], reply_policy=policy)) == []


# ---- X's own spec (Prism) ------------------------------------------------------------------------------------


async def test_a_poll_with_mentioned_users_only_then_a_reply_pass_the_spec(
    make_adapter: MakeAdapter, prism_x: PrismPeer
) -> None:
    adapter = make_adapter()
    since = prism_x.log_offset()

    main = await adapter.publish(request("Colours?", poll=COLOURS, reply_policy=ReplyPolicy.MENTIONED))
    reply = await adapter.publish(request("vote!", parent=main, reply_policy=ReplyPolicy.MENTIONED))
    following = await adapter.publish(request("Follows only", reply_policy=ReplyPolicy.FOLLOWING))

    for ref in (main, reply, following):
        assert_tweet(ref)
    assert prism_x.request_violations(since) == []


async def test_the_poll_goes_to_x_as_poll_options(make_adapter: MakeAdapter, prism_x: PrismPeer) -> None:
    """An option longer than X's 25 characters (past validation) breaks the spec's ``poll.options``: Prism's 422
    shows where the options are sent, and it surfaces as Rejected."""
    since = prism_x.log_offset()

    with pytest.raises(Rejected, match=r"X post was rejected \(422\)"):
        await make_adapter().publish(request("Too long", poll=Poll(("x" * 26, "y"), 60)))

    prism_x.wait_for_violation("poll.options.0 must NOT have more than 25 characters", since=since)


async def test_everyone_is_left_out_because_the_spec_has_no_such_value(
    make_adapter: MakeAdapter, prism_x: PrismPeer, http: httpx.AsyncClient
) -> None:
    since = prism_x.log_offset()
    assert_tweet(await make_adapter().publish(request("open to all", reply_policy=ReplyPolicy.EVERYONE)))
    assert prism_x.request_violations(since) == []

    sent_as_a_value = await http.post(
        f"{prism_x.url}/2/tweets", json={"text": "x", "reply_settings": "everyone"}, headers=BEARER
    )
    assert sent_as_a_value.status_code == 422
    prism_x.wait_for_violation("reply_settings must be equal to one of the allowed values", since=since)


# ---- what X shows (the fake) -----------------------------------------------------------------------------------


async def test_a_poll_thread_for_mentioned_users_only(make_fake_adapter: MakeAdapter, x_fake: RunningFake) -> None:
    """The poll and ``mentionedUsers`` land on the main post; the author's replies inherit the restriction and go
    through; someone the post never mentioned cannot reply anywhere in the conversation, someone it did can."""
    x_fake.reset()
    author = make_fake_adapter()
    guest = make_fake_adapter({"access_token": "a-guest"})
    stranger = make_fake_adapter({"access_token": "a-stranger"})
    guest_handle = (await guest.verify()).username
    policy = ReplyPolicy.MENTIONED

    main = await author.publish(request(f"Colours, @{guest_handle}?", poll=COLOURS, reply_policy=policy))
    second = await author.publish(request("second", parent=main, reply_policy=policy))
    third = await author.publish(request("third", parent=second, root=main, index=2, reply_policy=policy))

    shown = lookup(x_fake, main)
    assert shown["data"]["reply_settings"] == "mentionedUsers"
    (poll,) = shown["includes"]["polls"]
    assert shown["data"]["attachments"] == {"poll_ids": [poll["id"]]}
    assert [option["label"] for option in poll["options"]] == ["Red", "Blue", "Green"]
    assert (poll["duration_minutes"], poll["voting_status"]) == (1440, "open")
    for reply in (second, third):
        data = lookup(x_fake, reply)["data"]
        assert data["conversation_id"] == main.id
        assert data["reply_settings"] == "everyone"  # nothing sent: the root's setting governs the conversation
    assert "includes" not in lookup(x_fake, second)  # the poll is the main post's alone
    with pytest.raises(Rejected, match=r"X reply was rejected \(403\): Reply to this conversation is not allowed"):
        await stranger.publish(request("let me in", parent=third))
    assert_tweet(await guest.publish(request("I was asked", parent=third)), handle=guest_handle)
    assert [c["text"] for c in x_fake.created()] == [f"Colours, @{guest_handle}?", "second", "third", "I was asked"]


@pytest.mark.parametrize(
    ("policy", "shown"),
    [(None, "everyone"), (ReplyPolicy.EVERYONE, "everyone"), (ReplyPolicy.FOLLOWING, "following")],
)
async def test_the_reply_setting_x_shows(
    make_fake_adapter: MakeAdapter, x_fake: RunningFake, policy: ReplyPolicy | None, shown: str
) -> None:
    ref = await make_fake_adapter().publish(request("who may answer", reply_policy=policy))

    assert lookup(x_fake, ref)["data"]["reply_settings"] == shown


@pytest.mark.parametrize("policy", [ReplyPolicy.FOLLOWERS, ReplyPolicy.NOBODY])
async def test_a_policy_x_cannot_express_is_never_posted_more_open(
    make_fake_adapter: MakeAdapter, x_fake: RunningFake, policy: ReplyPolicy
) -> None:
    """Should one get past validation, the adapter refuses it rather than post with everyone allowed to reply."""
    x_fake.reset()

    with pytest.raises(Rejected, match=f"X cannot limit replies to '{policy.value}'"):
        await make_fake_adapter().publish(request("closed?", reply_policy=policy))

    assert x_fake.created() == []


@pytest.mark.parametrize(
    ("body", "refusal"),
    [
        pytest.param({"poll": {"options": ["a" * 26, "b"], "duration_minutes": 60}}, "1 to 25 characters", id="26"),
        pytest.param({"poll": {"options": ["a"], "duration_minutes": 60}}, "2 to 4 options", id="one-option"),
        pytest.param({"poll": {"options": ["a", "b"], "duration_minutes": 4}}, "5 to 10080", id="4-minutes"),
        pytest.param({"poll": {"options": ["a", "b"]}}, "5 to 10080", id="no-duration"),
        pytest.param({"poll": {"options": ["a", "b"], "duration_minutes": 5, "q": "?"}}, "only", id="poll-field"),
        pytest.param({"reply_settings": "everyone"}, "reply_settings must be one of", id="everyone"),
        pytest.param({"reply_settings": "followers"}, "reply_settings must be one of", id="followers"),
    ],
)
async def test_the_fake_refuses_what_xs_spec_refuses(
    x_fake: RunningFake, http: httpx.AsyncClient, body: dict[str, Any], refusal: str
) -> None:
    answer = await http.post(f"{x_fake.url}/2/tweets", json={"text": "poll", **body}, headers=BEARER)

    assert answer.status_code == 400
    assert refusal in answer.json()["detail"]


async def test_the_fake_refuses_a_poll_with_media(make_fake_adapter: MakeAdapter, x_fake: RunningFake) -> None:
    """Past validation, X's own refusal of a poll with media comes back readable."""
    with pytest.raises(Rejected, match=r"\(400\): A poll is mutually exclusive with media"):
        await make_fake_adapter().publish(request("both", media=(png("alt"),), poll=COLOURS))
