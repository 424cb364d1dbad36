"""The Amity adapter against the Amity fake: who the token is, a thread as a post and comments on it, media
uploaded first (with alt text), the post's data (hashtags from the text, mentionees, tags, metadata, targets) and
poll posts."""

from __future__ import annotations

import pytest

from adapters.amity.options import AmityOptions
from adapters.base import MediaRejected, Poll, ReauthRequired, Rejected
from tests.adapters.amity.support import CREDENTIALS, TOKEN, MakeAdapter, Sent, fetch, request, video
from tests.fakes.amity import CLOSED_COMMUNITY_ID, COMMUNITY_ID, REVOKED_TOKEN, VISITOR_TOKEN
from tests.fakes.running import RunningFake
from tests.media import png

# ---- the token's user ------------------------------------------------------------------------------------


async def test_verify_learns_the_tokens_user_and_hands_its_id_back_to_be_stored(
    make_adapter: MakeAdapter, sent: Sent
) -> None:
    adapter = make_adapter()

    profile = await adapter.verify()

    assert profile.platform_user_id.startswith("user-")
    assert profile.username.startswith("fake_")  # the user's profileHandle
    assert profile.display_name is not None
    assert profile.display_name.startswith("Fake User")
    avatar = f"https://api.amity.example/api/v3/files/avatar{profile.platform_user_id[5:]}"  # its avatar file's URL
    assert profile.avatar_url is not None
    assert profile.avatar_url.startswith(avatar)
    assert profile.avatar_url.endswith("/download")
    assert sent.steps() == [("GET", "/api/v4/me/followInfo"), ("GET", f"/api/v3/users/{profile.platform_user_id}")]
    assert adapter.updated_credentials() == {**CREDENTIALS, "user_id": profile.platform_user_id}
    stored = make_adapter(adapter.updated_credentials())
    assert stored.updated_credentials() is None  # nothing new to store


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        pytest.param(REVOKED_TOKEN, r"\(401: Unauthorized\): user access tokens last about 30 days", id="revoked"),
        pytest.param(VISITOR_TOKEN, r"\(403: Visitor permission denied\): this is a visitor's token", id="visitor"),
    ],
)
async def test_a_refused_token_needs_a_new_session(
    make_adapter: MakeAdapter, fake: RunningFake, token: str, reason: str
) -> None:
    adapter = make_adapter({"access_token": token, "user_id": "user-known"})
    if token == REVOKED_TOKEN:
        with pytest.raises(ReauthRequired, match=rf"Amity refused the access token during credentials check {reason}"):
            await make_adapter({"access_token": token}).verify()
    with pytest.raises(ReauthRequired, match=rf"Amity refused the access token during post {reason}"):
        await adapter.publish(request("never posted"))
    assert fake.created() == []


# ---- a thread --------------------------------------------------------------------------------------------


async def test_a_thread_is_a_post_then_comments_on_it_each_with_its_image(
    make_adapter: MakeAdapter, fake: RunningFake, sent: Sent
) -> None:
    adapter = make_adapter()
    first = request("Launch day #octopost", media=(png("the launch banner"),))

    main = await adapter.publish(first)
    second = request("part two", index=1, root=main, media=(png(rgb=(1, 2, 3)),))
    two = await adapter.publish(second)
    third = request("part three", index=2, root=main, media=(png("a chart", rgb=(4, 5, 6)),))
    three = await adapter.publish(third)

    assert (main.id, two.id, three.id) == (first.idempotency_key, second.idempotency_key, third.idempotency_key)
    assert main.url == f"{fake.url}/api/v3/posts/{main.id}"
    assert two.url == f"{fake.url}/api/v3/comments/{two.id}"
    assert [(c["id"], c["text"], c["reply_to"], c["idempotency_key"]) for c in fake.created()] == [
        (main.id, "Launch day #octopost", None, main.id),
        (two.id, "part two", main.id, two.id),
        (three.id, "part three", main.id, three.id),  # every comment is on the main post
    ]
    uploads = [r for r in sent.requests if r.path == "/api/v4/images"]
    assert [r.parts for r in uploads] == [[("files", name, "image/png")] for name in ["image-1.png"] * 3]
    post = fetch(fake, f"/api/v3/posts/{main.id}")
    (child,) = post["postChildren"]
    assert child["dataType"] == "image"
    assert post["files"][0]["altText"] == "the launch banner"
    comment = fetch(fake, f"/api/v3/comments/{three.id}")["comments"][0]
    assert [a["type"] for a in comment["attachments"]] == ["image"]
    assert fetch(fake, f"/api/v3/files/{comment['attachments'][0]['fileId']}")["altText"] == "a chart"
    assert sent.body_of("POST", "/api/v3/comments") == {
        "commentId": three.id,
        "referenceId": main.id,
        "referenceType": "post",
        "data": {"text": "part three"},
        "attachments": [{"fileId": comment["attachments"][0]["fileId"], "type": "image"}],
    }
    assert fetch(fake, f"/api/v3/posts/{main.id}")["posts"][0]["commentsCount"] == 2


async def test_images_and_a_video_go_in_one_post_and_a_comment_takes_a_video(
    make_adapter: MakeAdapter, fake: RunningFake, sent: Sent
) -> None:
    adapter = make_adapter()

    main = await adapter.publish(request("mixed media", media=(png(), video())))
    await adapter.publish(request("and a clip", index=1, root=main, media=(video(),)))

    assert [r.path for r in sent.requests if r.method == "POST"] == [
        "/api/v4/images",
        "/api/v4/videos",
        "/api/v4/posts",
        "/api/v4/videos",
        "/api/v3/comments",
    ]
    post = fetch(fake, f"/api/v3/posts/{main.id}")
    assert [c["dataType"] for c in post["postChildren"]] == ["image", "video"]
    comment_body = sent.body_of("POST", "/api/v3/comments")
    assert [a["type"] for a in comment_body["attachments"]] == ["video"]


async def test_media_amity_does_not_take_is_refused_before_any_upload(make_adapter: MakeAdapter, sent: Sent) -> None:
    gif = png()
    gif = type(gif)(data=gif.data, content_type="image/gif", kind="image")

    with pytest.raises(MediaRejected, match=r"Amity: image 1 is image/gif; accepted: image/jpeg, image/png"):
        await make_adapter().publish(request("a gif", media=(gif,)))
    with pytest.raises(MediaRejected, match="alt text of image 1 is 181 characters; at most 180"):
        await make_adapter().publish(request("long alt", media=(png("a" * 181),)))
    with pytest.raises(Rejected, match="11 files; at most 10"):
        await make_adapter().publish(request("too many", media=(png(),) * 11))
    assert sent.requests == []


# ---- what the post carries -------------------------------------------------------------------------------


async def test_hashtags_mentions_tags_metadata_and_visibility_are_data(
    make_adapter: MakeAdapter, fake: RunningFake, sent: Sent
) -> None:
    options = AmityOptions(
        tags=("launch", "q3"),
        metadata={"campaign": "autumn", "priority": 2},
        discoverable=False,
        mention_user_ids=("dana", "eli", "dana"),
    )
    text = "New release #Octopost #release_notes, see https://example.com/#top and #Octopost again"

    main = await make_adapter().publish(request(text, options=options))

    body = sent.body_of("POST", "/api/v4/posts")
    assert body["hashtags"] == ["Octopost", "release_notes"]  # each once, no "#", not a URL's fragment
    assert body["mentionees"] == [{"type": "user", "userIds": ["dana", "eli"]}]
    assert body["tags"] == ["launch", "q3"]
    assert body["metadata"] == {"campaign": "autumn", "priority": 2}
    assert body["isDiscoverable"] is False
    post = fetch(fake, f"/api/v3/posts/{main.id}")["posts"][0]
    assert (post["targetType"], post["targetId"]) == ("user", body["targetId"])
    assert post["targetId"].startswith("user-")  # the token's own feed
    assert (post["hashtags"], post["tags"], post["isDiscoverable"]) == (
        ["Octopost", "release_notes"],
        ["launch", "q3"],
        False,
    )


async def test_a_post_without_options_carries_only_its_text_on_the_users_feed(
    make_adapter: MakeAdapter, sent: Sent
) -> None:
    adapter = make_adapter()
    user = (await adapter.verify()).platform_user_id
    sent.requests.clear()
    segment = request("plain")

    await adapter.publish(segment)

    assert sent.steps() == [("POST", "/api/v4/posts")]  # the user is known: no lookup before posting
    assert sent.body_of("POST", "/api/v4/posts") == {
        "postId": segment.idempotency_key,
        "data": {"text": "plain"},
        "targetType": "user",
        "targetId": user,
    }


async def test_a_community_target_posts_on_its_feed(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    options = AmityOptions(target_type="community", target_id=COMMUNITY_ID)

    main = await make_adapter().publish(request("to the community", options=options))

    post = fetch(fake, f"/api/v3/posts/{main.id}")["posts"][0]
    assert (post["targetType"], post["targetId"]) == ("community", COMMUNITY_ID)


@pytest.mark.parametrize(
    ("community", "answer"),
    [
        pytest.param(CLOSED_COMMUNITY_ID, r"\(403\): User user-\w+ is not join this community staff-only", id="closed"),
        pytest.param("no-such-community", r"\(404\): Community not found\.", id="unknown"),
    ],
)
async def test_a_community_the_user_cannot_post_in_is_a_refusal_not_a_reauth(
    make_adapter: MakeAdapter, fake: RunningFake, community: str, answer: str
) -> None:
    """Amity answers a non-member with code 400100, its "unauthorized": with a 403 it is about the community, and
    the account stays connected."""
    options = AmityOptions(target_type="community", target_id=community)

    with pytest.raises(Rejected, match=rf"Amity post was rejected {answer}") as refused:
        await make_adapter().publish(request("not a member", options=options))

    assert not isinstance(refused.value, ReauthRequired)
    assert fake.created() == []


# ---- polls -----------------------------------------------------------------------------------------------


async def test_a_poll_is_created_first_then_the_post_carries_it(
    make_adapter: MakeAdapter, fake: RunningFake, sent: Sent
) -> None:
    poll = Poll(options=("Tabs", "Spaces", "Both"), duration_minutes=90)

    main = await make_adapter().publish(request("Which one do you use?\nVote below", poll=poll))

    assert sent.body_of("POST", "/api/v3/polls") == {
        "question": "Which one do you use?",  # the post's first line
        "answers": [{"dataType": "text", "data": o} for o in ("Tabs", "Spaces", "Both")],
        "answerType": "single",
        "closedIn": 90 * 60 * 1000,
    }
    body = sent.body_of("POST", "/api/v4/posts")
    post = fetch(fake, f"/api/v3/posts/{main.id}")
    (stored,) = post["polls"]
    assert body["dataType"] == "poll"
    assert body["data"] == {"text": "Which one do you use?\nVote below", "pollId": stored["pollId"]}
    assert "attachments" not in body
    assert [a["data"] for a in stored["answers"]] == ["Tabs", "Spaces", "Both"]
    assert post["posts"][0]["dataType"] == "poll"


async def test_a_polls_own_question_is_used_when_it_has_one(make_adapter: MakeAdapter, sent: Sent) -> None:
    poll = Poll(options=("Yes", "No"), duration_minutes=60 * 24, question="Ship it on Friday?")

    await make_adapter().publish(request("Release planning", poll=poll))

    assert sent.body_of("POST", "/api/v3/polls")["question"] == "Ship it on Friday?"


async def test_a_poll_with_media_is_refused_before_anything_is_sent(make_adapter: MakeAdapter, sent: Sent) -> None:
    poll = Poll(options=("A", "B"), duration_minutes=60)

    with pytest.raises(Rejected, match="a poll post cannot carry media"):
        await make_adapter().publish(request("poll and picture", poll=poll, media=(png(),)))

    assert sent.requests == []


async def test_the_token_is_sent_as_bearer_whatever_way_it_was_pasted(make_adapter: MakeAdapter, sent: Sent) -> None:
    pasted = await make_adapter({"access_token": f"  Bearer {TOKEN} "}).verify()

    assert pasted == await make_adapter().verify()
    assert {r.authorization for r in sent.requests} == {f"Bearer {TOKEN}"}
