"""What a ColibriSM site answers, translated into the taxonomy: the body's code (the site answers HTTP 200 for
everything), the front server's own statuses, PHP warnings before the JSON, lost answers. A failure the site surely
did not apply is Transient (retried) or a refusal; one it may have applied is OutcomeUnknown (never resent)."""

from __future__ import annotations

import pytest

from adapters.base import MediaItem, MediaRejected, OutcomeUnknown, Poll, RateLimited, Rejected, Transient
from tests.adapters.colibri.support import APP_SESSION, MakePosts, drafts, image, posts, quirks, request
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake

PUBLISH = "/mobile_api/publish_post"


async def test_the_sites_refusal_comes_back_in_its_own_words(make_posts: MakePosts, fake: RunningFake) -> None:
    """A poll the site cannot take (five options: our validation refuses it first) gets the site's 400."""
    adapter = make_posts(APP_SESSION)
    bad_poll = Poll(("a", "b", "c", "d", "e"), 60)

    with pytest.raises(Rejected, match=r"ColibriSM publish post was rejected \(400\): Invalid data for publication"):
        await adapter.publish(request("five options", poll=bad_poll))
    assert posts(fake) == []


async def test_an_endpoint_the_site_does_not_have_is_refused_by_name(make_posts: MakePosts, fake: RunningFake) -> None:
    quirks(fake, missing=["publish_post"])

    with pytest.raises(Rejected, match=r"the site has no mobile_api endpoint for this \(invalid_endpoint\)"):
        await make_posts(APP_SESSION).publish(request("nowhere"))


async def test_the_applications_own_error_is_retried_and_the_uploads_are_deleted(
    make_posts: MakePosts, fake: RunningFake
) -> None:
    """``{"code": 500, "message": "... Please try again later."}``: the site says it did not do it (Transient), so
    the files uploaded for the post are deleted from the draft: they must not ride on the account's next post."""
    adapter = make_posts(APP_SESSION)
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["500"], fault_paths=[PUBLISH]))

    with pytest.raises(Transient, match=r"the site reported an error \(500: An error occurred while processing"):
        await adapter.publish(request("try again later", media=(image(1), image(2))))

    assert fake.stats()["fault_500"] == 1
    assert drafts(fake) == {"7": []}  # both uploads deleted again
    fake.set_conditions(Conditions())
    await adapter.publish(request("try again later", media=(image(1), image(2))))
    assert [len(p["media"]) for p in posts(fake)] == [2]


async def test_a_rate_limit_from_the_front_server_says_when_to_come_back(
    make_posts: MakePosts, fake: RunningFake
) -> None:
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["429"], retry_after_seconds=7, fault_paths=[PUBLISH]))

    with pytest.raises(RateLimited, match=r"rate limit was reached \(HTTP 429\)") as limited:
        await make_posts(APP_SESSION).publish(request("slow down"))

    assert limited.value.retry_after == 7.0
    assert posts(fake) == []


@pytest.mark.parametrize(
    ("status", "applied", "error", "words"),
    [
        pytest.param(503, False, Transient, r"answered HTTP 503 \(nothing was done\)", id="503-before-the-site"),
        pytest.param(502, True, OutcomeUnknown, r"answered HTTP 502; it may have been applied", id="502-after-it"),
        pytest.param(500, True, OutcomeUnknown, r"answered HTTP 500; it may have been applied", id="php-fatal"),
    ],
)
async def test_the_front_servers_errors_are_in_doubt_unless_they_come_first(
    make_posts: MakePosts, fake: RunningFake, status: int, applied: bool, error: type[Exception], words: str
) -> None:
    """The application never answers a status other than 200: these come from the server in front. 503 refuses
    before the application runs; 500 (a PHP fatal error), 502 and 504 may come after it published."""
    quirks(fake, http_error={"endpoint": "publish_post", "status": status, "applied": applied})

    with pytest.raises(error, match=words):
        await make_posts(APP_SESSION).publish(request(f"behind a {status}"))

    assert len(posts(fake)) == (1 if applied else 0)


async def test_a_read_behind_a_failing_front_server_is_only_transient(make_posts: MakePosts, fake: RunningFake) -> None:
    quirks(fake, http_error={"endpoint": "get_chats", "status": 502, "applied": True})

    with pytest.raises(Transient, match=r"ColibriSM session check: the site's server answered HTTP 502"):
        await make_posts(APP_SESSION).verify()


async def test_php_warnings_before_a_publish_answer_leave_it_in_doubt(make_posts: MakePosts, fake: RunningFake) -> None:
    """The post was made, but an answer that is not the site's JSON is never read as a success."""
    quirks(fake, php_warning=["publish_post"])

    with pytest.raises(OutcomeUnknown, match=r"something other than its JSON \(PHP warnings or an error page\)"):
        await make_posts(APP_SESSION).publish(request("warned"))

    assert [p["text"] for p in posts(fake)] == ["warned"]


async def test_php_warnings_before_a_read_are_read_past(make_posts: MakePosts, fake: RunningFake) -> None:
    quirks(fake, php_warning=["*"])

    profile = await make_posts().verify()  # login: the session is in the JSON after the warning

    assert profile.username == "alice"


@pytest.mark.parametrize("fault", ["reset_after", "reset"])
async def test_a_lost_publish_answer_is_in_doubt(make_posts: MakePosts, fake: RunningFake, fault: str) -> None:
    """``reset_after``: published, the answer lost; ``reset``: never got there. The adapter cannot tell them apart
    and ColibriSM has no idempotency key: OutcomeUnknown, and the uploads are left alone (maybe taken)."""
    fake.set_conditions(Conditions(fault_rate=1.0, faults=[fault], fault_paths=[PUBLISH]))

    with pytest.raises(OutcomeUnknown, match="no answer after the request was sent"):
        await make_posts(APP_SESSION).publish(request("in doubt", media=(image(),)))

    published = posts(fake)
    assert len(published) == (1 if fault == "reset_after" else 0)
    waiting = drafts(fake)["7"]
    assert len(waiting) == (0 if published else 1)  # never delete what a published post may hold


async def test_a_lost_upload_answer_stops_the_post(make_posts: MakePosts, fake: RunningFake) -> None:
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["reset_after"], fault_paths=["/mobile_api/upload_post"]))

    with pytest.raises(OutcomeUnknown, match=r"may be waiting in the account's draft.*nothing was published"):
        await make_posts(APP_SESSION).publish(request("lost upload", media=(image(),)))

    assert posts(fake) == []


async def test_files_the_site_refuses_are_media_errors_and_the_others_are_deleted(
    make_posts: MakePosts, fake: RunningFake
) -> None:
    not_a_png = MediaItem(data=b"<html>not an image</html>", content_type="image/png", kind="image")
    adapter = make_posts(APP_SESSION)

    with pytest.raises(
        MediaRejected, match=r"upload of image 2 was rejected \(500\): Media file is missing or invalid"
    ):
        await adapter.publish(request("one bad file", media=(image(1), not_a_png)))
    eleven = tuple(image(n) for n in range(11))  # past the API's own four: only an adapter caller could send it
    with pytest.raises(MediaRejected, match=r"\(400\): You cannot attach more than 10 images to a post"):
        await adapter.publish(request("too many", media=eleven))

    assert drafts(fake) == {"7": []}
    assert posts(fake) == []
