"""Slack threads, files and text against the Slack fake (tests/fakes/slack/): every reply carries the main message's
ts, a file goes through the external upload flow (alt text included) into the thread, permalinks come from
chat.getPermalink, and user text never turns into mentions or links."""

from __future__ import annotations

import pytest

from adapters.base import PublishedRef, Rejected
from tests.adapters.slack.support import MakeAdapter, Sent, files, messages, publish_thread, request
from tests.fakes.running import RunningFake
from tests.fakes.slack import CHANNEL_ID, TEAM_URL
from tests.media import png


def permalink(ts: str, thread_ts: str | None = None) -> str:
    link = f"{TEAM_URL}archives/{CHANNEL_ID}/p{ts.replace('.', '')}"
    return link + (f"?thread_ts={thread_ts}&cid={CHANNEL_ID}" if thread_ts else "")


async def test_every_reply_of_a_thread_carries_the_main_messages_ts(
    make_fake_adapter: MakeAdapter, fake: RunningFake, sent: Sent
) -> None:
    texts = ["Launch day!", "part two", "part three", "part four"]

    main, *replies = await publish_thread(make_fake_adapter(), texts)

    posts = sent.calls("chat.postMessage")
    assert "thread_ts" not in posts[0]
    assert [p["thread_ts"] for p in posts[1:]] == [main.id] * 3  # never the reply before (the publisher's parent)
    assert [(c["id"], c["text"], c["reply_to"]) for c in fake.created()] == [
        (main.id, texts[0], None),
        *[(reply.id, text, main.id) for reply, text in zip(replies, texts[1:], strict=True)],
    ]
    assert main.url == permalink(main.id)
    assert [r.url for r in replies] == [permalink(r.id, main.id) for r in replies]
    assert sent.steps() == ["chat.postMessage", "chat.getPermalink"] * 4


async def test_a_file_with_alt_text_goes_through_the_upload_flow_into_the_thread(
    make_fake_adapter: MakeAdapter, fake: RunningFake, sent: Sent
) -> None:
    image = png("A red square on white", (200, 0, 0))
    adapter = make_fake_adapter()

    main, reply = await publish_thread(adapter, ["with a picture", "and a reply with one"], {0: (image,), 1: (png(),)})

    assert sent.steps()[:6] == [
        "files.getUploadURLExternal",  # the bytes first: nothing visible if they fail
        sent.requests[1].path.rsplit("/", 1)[-1],  # the upload URL
        "chat.postMessage",
        "files.completeUploadExternal",
        "chat.getPermalink",
        "files.getUploadURLExternal",
    ]
    ticket = sent.calls("files.getUploadURLExternal")[0]
    assert ticket == {"filename": "image-1.png", "length": str(len(image.data)), "alt_txt": "A red square on white"}
    upload = sent.requests[1]
    assert upload.content == image.data
    assert "authorization" not in upload.headers  # the pre-signed URL gets no token
    completions = sent.calls("files.completeUploadExternal")
    assert [(c["channel_id"], c["thread_ts"]) for c in completions] == [(CHANNEL_ID, main.id), (CHANNEL_ID, main.id)]
    shared = files(fake)
    assert [(f["alt_txt"], f["size"], f["shared"]) for f in shared] == [
        (
            "A red square on white",
            len(image.data),
            {"title": "image-1.png", "channel": CHANNEL_ID, "thread_ts": main.id},
        ),
        (None, len(png().data), {"title": "image-1.png", "channel": CHANNEL_ID, "thread_ts": main.id}),
    ]
    assert [c["text"] for c in fake.created()] == ["with a picture", "and a reply with one"]
    assert reply.url == permalink(reply.id, main.id)


async def test_user_text_never_becomes_a_mention_or_a_link(
    make_fake_adapter: MakeAdapter, fake: RunningFake, sent: Sent
) -> None:
    text = "Hey <!channel> & <@U024BE7LH>, @here: see <https://evil.example|our docs> (a < b > c) *bold* #general"

    await make_fake_adapter().publish(request(text))

    (posted,) = sent.calls("chat.postMessage")
    assert posted["text"] == (
        "Hey &lt;!channel&gt; &amp; &lt;@U024BE7LH&gt;, @here: see &lt;https://evil.example|our docs&gt; "
        "(a &lt; b &gt; c) *bold* #general"
    )
    assert (posted["link_names"], posted["parse"]) == ("false", "none")
    (message,) = messages(fake)
    assert message["mentions"] == []
    assert message["links"] == []
    assert message["shown"] == text  # people read exactly what was written


async def test_a_reply_to_a_message_that_is_not_slacks_is_refused_before_sending(
    make_fake_adapter: MakeAdapter, sent: Sent
) -> None:

    elsewhere = PublishedRef(id="at://did:plc:x/app.bsky.feed.post/3k", url="https://bsky.app/x")
    with pytest.raises(Rejected, match="is not a Slack message ts"):
        await make_fake_adapter().publish(request("reply", index=1, root=elsewhere))
    assert sent.requests == []
