"""The YouTube adapter against Google's own description of the API: its metadata, comment and delete calls pass
through Prism validating them against the OpenAPI form of the discovery document (tests/peers/youtube_openapi.py)
to the stateful fake, and not one violates it. Prism is shown to refuse a call that does break the document, so
the first test could fail."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from adapters.base import PublishedRef
from adapters.youtube import YouTubeAdapter
from adapters.youtube.metadata import YouTubeOptions
from tests.adapters.closing import closing
from tests.adapters.pending import drive
from tests.adapters.youtube.support import CREDENTIALS, TEST_CHUNK, TOKEN, listing, request, thumbnail, video
from tests.peers.ports import wait_until
from tests.peers.youtube_openapi import YouTubeThroughPrism, youtube_through_prism


@pytest.fixture(scope="module")
def youtube(tmp_path_factory: pytest.TempPathFactory) -> Iterator[YouTubeThroughPrism]:
    with youtube_through_prism(tmp_path_factory.mktemp("youtube-prism")) as peers:
        yield peers


@pytest.fixture
async def adapter(youtube: YouTubeThroughPrism) -> AsyncIterator[YouTubeAdapter]:
    async with httpx.AsyncClient(timeout=30) as http:

        def build() -> YouTubeAdapter:
            made = YouTubeAdapter.build(base_url=youtube.url, credentials=CREDENTIALS, http=http)
            made.uploads.chunk_bytes = TEST_CHUNK
            return made

        async with closing(build) as make:
            yield make()


async def test_a_video_with_a_thumbnail_and_a_thread_of_comments_breaks_nothing_in_googles_description(
    youtube: YouTubeThroughPrism, adapter: YouTubeAdapter
) -> None:
    since = youtube.prism.log_offset()
    options = YouTubeOptions(title="A walk in the park", privacy_status="unlisted")
    main = (await drive(adapter, request("A walk\nWhat we saw.", media=(video(), thumbnail()), options=options))).ref
    replies = []
    for index, text in enumerate(["First comment", "A reply under it"], start=1):
        answer = await adapter.publish(request(text, index=index, root=main))
        assert isinstance(answer, PublishedRef)
        replies.append(answer)
    for ref in reversed([main, *replies]):
        await adapter.delete(ref)

    assert youtube.violations(since) == []
    forwarded = youtube.forwarded(since)
    # The comments and the deletes went through Prism, not around it.
    assert forwarded.count("post /youtube/v3/commentThreads") == 1, forwarded
    assert forwarded.count("post /youtube/v3/comments") == 1, forwarded
    assert forwarded.count("delete /youtube/v3/comments") == 2, forwarded
    assert forwarded.count("delete /youtube/v3/videos") == 1, forwarded
    assert listing(youtube.fake, "videos") == []
    assert listing(youtube.fake, "comments") == []


def test_prism_finds_a_call_that_breaks_the_description(youtube: YouTubeThroughPrism) -> None:
    since = youtube.prism.log_offset()
    httpx.post(
        f"{youtube.url}/youtube/v3/commentThreads",  # no ?part=, which commentThreads.insert requires
        headers={"Authorization": f"Bearer {TOKEN}"},
        json={"snippet": {"videoId": "x", "topLevelComment": {"snippet": {"textOriginal": "hi"}}}},
    )
    wait_until(lambda: youtube.violations(since) != [], timeout=10, what="Prism logging the violation")
    assert any("part" in violation for violation in youtube.violations(since)), youtube.violations(since)
