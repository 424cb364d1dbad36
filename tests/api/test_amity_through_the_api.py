"""Amity Social Cloud end to end through `octopost serve`: connect a user's access token over /v1/accounts, publish
a 3-segment thread with an image in each segment (a post, then two comments on it), a poll and a community post
with tags, mentions and metadata, read back platform_results and compare with what the Amity fake
(tests/fakes/amity/) holds. A 429 and a 5xx are retried into exactly one post or comment per segment; a worker
killed while the first comment is in flight is resumed by another without a duplicate (Amity can tell: the ids
were chosen before the calls). What Amity would refuse is refused by the API when the post is scheduled, before
anything reaches Amity."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from octopost.crypto import CredentialCipher
from tests.api.support import assert_refused_when_scheduled
from tests.fakes.amity import COMMUNITY_ID, REVOKED_TOKEN
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake, calm, fake_per_module
from tests.media import make_png
from tests.peers.app import OctopostProcess, make_octopost
from tests.peers.databases import fetch
from tests.peers.media_server import MediaServer
from tests.peers.proxy import Proxy, holding_proxy
from tests.scheduler.flows import connect, finish_with_another_worker, ledger, publish, wait_for, wait_for_status

TOKEN = "e2e-amity-session-token"
LEASE = {"OCTOPOST_LEASE_SECONDS": "2"}


@pytest.fixture(scope="module")
def octopost(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OctopostProcess]:
    """The module's service (as tests/peers/app.py's), with a short backoff between attempts: a 5xx retried."""
    service = make_octopost(tmp_path_factory.mktemp("octopost"), OCTOPOST_RETRY_BASE_SECONDS="1").start()
    yield service
    service.stop()


amity_fake = fake_per_module("amity")


@pytest.fixture
def amity(amity_fake: RunningFake) -> Iterator[RunningFake]:
    with calm(amity_fake) as fake:
        yield fake


def read(fake: RunningFake, path: str) -> Any:
    """Amity's own GET routes on the fake, as the connected user."""
    response = httpx.get(f"{fake.url}{path}", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def stored_credentials(service: OctopostProcess, account_id: str) -> dict[str, str]:
    (encrypted,) = fetch(
        service.database_url, "SELECT credentials_encrypted FROM account WHERE id = :id", id=account_id
    )[0]
    return dict(CredentialCipher(service.env["OCTOPOST_SECRET_KEY"]).decrypt(encrypted))


def published(api: httpx.Client, post_id: str) -> dict[str, Any]:
    done = wait_for_status(api, post_id, "published", "failed", timeout=60)
    result = done["platform_results"]["amity"]
    assert done["status"] == "published", result
    return dict(result)


# ---- connecting --------------------------------------------------------------------------------------------


def test_connect_verifies_the_token_and_stores_its_user(
    api: httpx.Client, octopost: OctopostProcess, amity: RunningFake
) -> None:
    account = connect(api, "amity", amity.url, {"access_token": TOKEN})

    assert account["platform"] == "amity"
    assert account["platform_user_id"].startswith("user-")
    assert account["username"].startswith("fake_")  # the user's profileHandle
    assert account["display_name"].startswith("Fake User")
    assert TOKEN not in str(account)
    assert stored_credentials(octopost, account["id"]) == {
        "access_token": TOKEN,
        "user_id": account["platform_user_id"],
    }


def test_a_refused_token_is_refused_when_connecting(api: httpx.Client, amity: RunningFake) -> None:
    answer = api.post(
        "/v1/accounts",
        json={"platform": "amity", "base_url": amity.url, "credentials": {"access_token": REVOKED_TOKEN}},
    )

    assert answer.status_code == 422, answer.text
    assert "Amity refused the access token during credentials check (401: Unauthorized)" in answer.text
    assert "user access tokens last about 30 days" in answer.text
    missing = api.post("/v1/accounts", json={"platform": "amity", "base_url": amity.url, "credentials": {}})
    assert missing.status_code == 422
    assert "{access_token}" in missing.text


# ---- publishing --------------------------------------------------------------------------------------------


def test_a_thread_with_an_image_in_each_segment_is_a_post_and_two_comments_on_it(
    api: httpx.Client, amity: RunningFake, media_server: MediaServer
) -> None:
    account = connect(api, "amity", amity.url, {"access_token": TOKEN})
    images = [media_server.add(f"/amity/thread-{n}.png", make_png(4 + n, 3), "image/png") for n in range(3)]
    texts = ["Amity, the main post #octopost", "Amity, comment one", "Amity, comment two"]

    post_id = publish(
        api,
        "amity",
        texts[0],
        media={"images": [{"url": images[0], "alt_text": "The first picture"}]},
        segments=[{"content": texts[1], "media_urls": [images[1]]}, {"content": texts[2], "media_urls": [images[2]]}],
    )

    result = published(api, post_id)
    main, first, second = (s["post_id"] for s in result["segments"])
    assert result["post_id"] == main
    assert [s["post_url"] for s in result["segments"]] == [
        f"{amity.url}/api/v3/posts/{main}",
        f"{amity.url}/api/v3/comments/{first}",
        f"{amity.url}/api/v3/comments/{second}",
    ]
    created = amity.created()
    assert [(c["id"], c["text"], c["reply_to"]) for c in created] == [
        (main, texts[0], None),
        (first, texts[1], main),  # comment_on_main: both comments are on the main post
        (second, texts[2], main),
    ]
    assert {c["account"] for c in created} == {account["platform_user_id"]}
    assert all(c["idempotency_key"] == c["id"] and len(c["id"]) == 13 for c in created)  # the ledger's TIDs
    post = read(amity, f"/api/v3/posts/{main}")
    assert post["posts"][0]["hashtags"] == ["octopost"]
    assert [(f["type"], f["altText"]) for f in post["files"]] == [("image", "The first picture")]
    for comment_id in (first, second):
        (comment,) = read(amity, f"/api/v3/comments/{comment_id}")["comments"]
        assert [a["type"] for a in comment["attachments"]] == ["image"]


def test_a_poll_is_created_and_posted(api: httpx.Client, amity: RunningFake) -> None:
    connect(api, "amity", amity.url, {"access_token": TOKEN})

    post_id = publish(
        api,
        "amity",
        "Lunch poll\nPick one",
        poll={"options": ["Noodles", "Salad", "Tacos"], "duration_minutes": 120, "question": "What's for lunch?"},
    )

    result = published(api, post_id)
    post = read(amity, f"/api/v3/posts/{result['post_id']}")
    (poll,) = post["polls"]
    assert post["posts"][0]["dataType"] == "poll"
    assert post["posts"][0]["data"]["pollId"] == poll["pollId"]
    assert poll["question"] == "What's for lunch?"
    assert [a["data"] for a in poll["answers"]] == ["Noodles", "Salad", "Tacos"]
    assert (poll["answerType"], poll["closedIn"]) == ("single", 120 * 60 * 1000)


def test_options_post_to_a_community_with_tags_mentions_and_metadata(api: httpx.Client, amity: RunningFake) -> None:
    connect(api, "amity", amity.url, {"access_token": TOKEN})
    options = {
        "target_type": "community",
        "target_id": COMMUNITY_ID,
        "tags": ["release", "q3"],
        "mention_user_ids": ["dana", "eli"],
        "metadata": {"campaign": "autumn"},
        "discoverable": False,
    }

    post_id = publish(api, "amity", "For the community #launch", platform_options={"amity": options})

    result = published(api, post_id)
    (post,) = read(amity, f"/api/v3/posts/{result['post_id']}")["posts"]
    assert (post["targetType"], post["targetId"]) == ("community", COMMUNITY_ID)
    assert post["tags"] == ["release", "q3"]
    assert post["hashtags"] == ["launch"]
    assert post["mentionees"] == [{"type": "user", "userIds": ["dana", "eli"]}]
    assert post["metadata"] == {"campaign": "autumn"}
    assert post["isDiscoverable"] is False


def test_a_429_and_a_5xx_are_retried_into_one_post_and_one_comment_per_segment(
    api: httpx.Client, amity: RunningFake
) -> None:
    connect(api, "amity", amity.url, {"access_token": TOKEN})
    amity.set_conditions(
        Conditions(fault_rate=1.0, faults=["429"], retry_after_seconds=1, fault_paths=["/api/v4/posts"])
    )
    texts = ["retried main", "retried comment one", "retried comment two"]

    post_id = publish(api, "amity", texts[0], segments=[{"content": t} for t in texts[1:]])

    wait_for(lambda: amity.stats().get("fault_429", 0) >= 1, timeout=30, what="the post's 429")
    amity.set_conditions(Conditions(fault_rate=1.0, faults=["500"], fault_paths=["/api/v3/comments"]))
    wait_for(lambda: amity.stats().get("fault_500", 0) >= 1, timeout=30, what="the first comment's 500")
    amity.set_conditions(Conditions())
    result = published(api, post_id)
    main = result["post_id"]
    assert [(c["text"], c["reply_to"]) for c in amity.created()] == [
        (texts[0], None),
        (texts[1], main),
        (texts[2], main),
    ]
    assert [c["id"] for c in amity.created()] == [s["post_id"] for s in result["segments"]]


# ---- a crash in the middle of a thread ---------------------------------------------------------------------


@pytest.mark.parametrize("forward", [True, False], ids=["landed-before-crash", "never-landed"])
def test_a_thread_resumes_after_a_crash_without_a_duplicate(tmp_path: Path, amity: RunningFake, forward: bool) -> None:
    """The first comment's create is held, the worker killed, the request forwarded (Amity made the comment, the
    worker never heard) or dropped; a second worker looks the comment up by its id and finishes the thread."""
    hold = lambda m, p, n: m == "POST" and p == "/api/v3/comments" and n == 1  # noqa: E731
    texts = ["crash-safe main", "crash-safe comment one", "crash-safe comment two"]
    with holding_proxy(amity.url, hold) as proxy:
        first, key, post_id = _killed_with_the_first_comment_in_flight(tmp_path, proxy, texts)
        proxy.release(forward=forward)
        if forward:
            wait_for(lambda: len(amity.created()) == 2, timeout=30, what="the held comment landing")
        done = finish_with_another_worker(first, key, post_id)
    assert done["status"] == "published", done
    result = done["platform_results"]["amity"]
    main = result["post_id"]
    created = amity.created()
    assert [(c["text"], c["reply_to"]) for c in created] == [(texts[0], None), (texts[1], main), (texts[2], main)]
    assert [c["id"] for c in created] == [s["post_id"] for s in result["segments"]]


def _killed_with_the_first_comment_in_flight(
    tmp_path: Path, proxy: Proxy, texts: list[str]
) -> tuple[OctopostProcess, str, str]:
    """Publish the thread through the proxy and kill the worker once segment 1 is held: (service, key, post id)."""
    first = make_octopost(tmp_path / "first", **LEASE).start()
    key = first.new_key()
    api = first.client(key)
    connect(api, "amity", proxy.url, {"access_token": TOKEN})
    post_id = publish(api, "amity", texts[0], segments=[{"content": t} for t in texts[1:]])
    wait_for(proxy.held.is_set, timeout=60, what="the first comment reaching Amity")
    states = [(row[1], row[2]) for row in ledger(first.data_dir / "octopost.db", post_id)]
    assert states == [(0, "sent"), (1, "sending")], states
    first.kill()
    return first, key, post_id


# ---- refused when scheduled --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        pytest.param(
            {"content": "😀" * 10_000 + "!"},
            "amity: content is 20001 characters; the limit is 20000 (utf16)",
            id="text",
        ),
        pytest.param(
            {
                "poll": {"options": ["A", "B"], "duration_minutes": 60},
                "media": {"images": [{"url": "https://e.x/a.png"}]},
            },
            "amity: poll cannot go with media on Amity Social Cloud",
            id="poll-with-media",
        ),
        pytest.param(
            {"reply_policy": "followers"},
            "amity: reply_policy 'followers' cannot be applied on Amity Social Cloud (it supports: everyone)",
            id="reply-policy",
        ),
        pytest.param(
            {"platform_options": {"amity": {"tags": ["1", "2", "3", "4", "5", "6"]}}},
            "platform_options.amity: Expected `array` of length <= 5 - at `$.tags`",
            id="six-tags",
        ),
        pytest.param(
            {"platform_options": {"amity": {"discoverable": "yes", "mention_user_ids": "dana"}}},
            "platform_options.amity: Expected `bool | null`, got `str` - at `$.discoverable`",
            id="wrong-types",
        ),
        pytest.param(
            {"platform_options": {"amity": {"target_type": "community"}}},
            "amity: platform_options.amity target_id is required when target_type is 'community'",
            id="community-without-id",
        ),
    ],
)
def test_what_amity_would_refuse_is_a_422_naming_it_when_scheduled(
    api: httpx.Client, amity: RunningFake, fields: dict[str, Any], problem: str
) -> None:
    connect(api, "amity", amity.url, {"access_token": TOKEN})
    assert_refused_when_scheduled(api, amity, "amity", fields, problem)
