"""YouTube end to end through `octopost serve`: connected through the OAuth peer playing Google's authorization
server (offline access and consent asked, so a refresh token comes; access tokens of one minute, so every publish
refreshes ahead through the generic OAuth refresh), then a video we uploaded as the main post and the thread as its
comments, an upload the connection dropped mid-chunk resumed from the server's ``Range``, a lost answer to the last
chunk settled by the upload's status (one video), a spent quota rescheduled to midnight Pacific, and YouTube's
limits refused at schedule time.

The fake (tests/fakes/youtube/) checks every call against Google's discovery document and accepts the peer's tokens
only with one of the scopes that document lists for the method: the connect's scopes are proven enough.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.api.oauth_support import (
    authorize,
    connect_through_oauth,
    follow,
    octopost_for,
    peer_like,
    start_connect,
    stored_credentials,
)
from tests.api.support import assert_refused_when_scheduled
from tests.fakes.running import RunningFake, calm, fake_per_module
from tests.fakes.youtube import PEER_CHANNEL, discovery_present
from tests.media import make_mp4
from tests.peers.app import OctopostProcess
from tests.peers.oauth_server import OAuthPeer, running_oauth_peer
from tests.scheduler.flows import make_all_due, publish, wait_for, wait_for_status
from tests.uploads.test_uploads import uploaded

CHUNK_QUANTUM = 256 * 1024
PACIFIC = ZoneInfo("America/Los_Angeles")
_youtube_fake = fake_per_module("youtube")


@pytest.fixture(scope="module")
def peer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OAuthPeer]:
    """Google's authorization server with one-minute access tokens: inside the refresh-ahead window at every use."""
    if not discovery_present():
        pytest.skip("~/.cache/octopost/youtube.v3.json is absent: run python -m tests.fakes.youtube.discovery")
    with running_oauth_peer(
        **peer_like("youtube"), expires_in=60, work_dir=tmp_path_factory.mktemp("oauth-youtube")
    ) as running:
        yield running


@pytest.fixture(scope="module")
def service(peer: OAuthPeer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OctopostProcess]:
    running = octopost_for(peer, tmp_path_factory.mktemp("octopost-youtube"), "youtube").start()
    yield running
    running.stop()


@pytest.fixture
def youtube(_youtube_fake: RunningFake, peer: OAuthPeer) -> Iterator[RunningFake]:
    _youtube_fake.trust_authorization_server(peer.issuer, peer.client_id)
    with calm(_youtube_fake) as fake:
        yield fake


@pytest.fixture
def api(service: OctopostProcess, request: pytest.FixtureRequest) -> httpx.Client:
    return service.client(workspace=f"ws-{request.node.name}"[:180])


@pytest.fixture
def channel(api: httpx.Client, peer: OAuthPeer, youtube: RunningFake) -> dict[str, Any]:
    """The test's workspace with the channel connected through Google's consent screen."""
    return connect_through_oauth(api, peer, youtube.url, "youtube")


def video_post(api: httpx.Client, text: str, clip: bytes, **fields: Any) -> str:
    video = uploaded(api, clip, "video/mp4")
    return publish(api, "youtube", text, media={"video": {"url": video["url"]}}, **fields)


def published(api: httpx.Client, post_id: str) -> dict[str, Any]:
    done = wait_for_status(api, post_id, "published", "failed", timeout=60)
    result = done["platform_results"]["youtube"]
    assert done["status"] == "published", result
    return dict(result)


def listing(youtube: RunningFake, name: str) -> list[dict[str, Any]]:
    return list(youtube.control("GET", name))


def test_the_consent_screen_asks_offline_access_and_the_refresh_token_is_kept(
    api: httpx.Client, service: OctopostProcess, peer: OAuthPeer, youtube: RunningFake
) -> None:
    started = start_connect(api, youtube.url, "youtube")
    query = parse_qs(urlsplit(started["authorize_url"]).query)
    assert (query["access_type"], query["prompt"]) == (["offline"], ["consent"])
    page = follow(authorize(peer, started))
    assert page.status_code == 200, page.text

    [account] = api.get("/v1/accounts").json()["accounts"]
    assert (account["platform_user_id"], account["username"]) == (PEER_CHANNEL, "@octopostfake")
    stored = stored_credentials(service, account["id"])
    assert {"access_token", "refresh_token", "expires_at", "channel_id"} <= set(stored)


def test_a_video_then_comments_published_on_a_token_refreshed_ahead(
    api: httpx.Client, service: OctopostProcess, peer: OAuthPeer, channel: dict[str, Any], youtube: RunningFake
) -> None:
    first = stored_credentials(service, channel["id"])
    refreshes = peer.grant_count("refresh_token")
    clip = make_mp4(mdat_bytes=40_000)
    texts = ["A walk in the park\nWhat we saw on the way.", "Filmed on Sunday", "Thanks for watching"]

    post_id = video_post(
        api,
        texts[0],
        clip,
        segments=[{"content": t} for t in texts[1:]],
        platform_options={"youtube": {"privacy_status": "unlisted"}},
    )
    result = published(api, post_id)

    [video] = listing(youtube, "videos")
    assert (video["size"], video["snippet"]["title"]) == (len(clip), "A walk in the park")
    assert (video["snippet"]["description"], video["status"]["privacyStatus"]) == (texts[0], "unlisted")
    top, reply = listing(youtube, "comments")
    assert (top["video_id"], top["text"], top["parent_id"]) == (video["id"], texts[1], None)
    assert (reply["text"], reply["parent_id"]) == (texts[2], top["id"])
    assert result["post_url"] == f"https://www.youtube.com/watch?v={video['id']}"
    # The token was refreshed through Google's token endpoint (generic OAuth refresh) before the calls used it.
    assert peer.grant_count("refresh_token") > refreshes
    assert stored_credentials(service, channel["id"])["access_token"] != first["access_token"]


def test_an_upload_cut_off_mid_chunk_resumes_from_the_servers_range(
    api: httpx.Client, service: OctopostProcess, channel: dict[str, Any], youtube: RunningFake
) -> None:
    clip = make_mp4(mdat_bytes=CHUNK_QUANTUM + 20_000)  # one chunk, of which the server keeps the first 256 KiB
    youtube.control("PUT", "interrupt", {"chunk": 1, "fault": "partial_reset"})

    post_id = video_post(api, "Resumed upload", clip)
    resume_now(service, post_id)
    published(api, post_id)

    [session] = listing(youtube, "sessions")
    assert session["starts"] == [0, CHUNK_QUANTUM]  # the rest sent from where the server said it stood
    assert session["received"] == len(clip)
    [video] = listing(youtube, "videos")
    assert video["size"] == len(clip)


def test_a_lost_answer_to_the_last_chunk_is_settled_by_the_upload_status(
    api: httpx.Client, service: OctopostProcess, channel: dict[str, Any], youtube: RunningFake
) -> None:
    clip = make_mp4(mdat_bytes=30_000)
    youtube.control("PUT", "interrupt", {"chunk": 1, "fault": "reset_after"})  # the video exists, the answer is lost

    post_id = video_post(api, "Answer lost", clip)
    resume_now(service, post_id)
    result = published(api, post_id)

    [video] = listing(youtube, "videos")
    assert result["post_id"] == video["id"]
    [session] = listing(youtube, "sessions")
    assert session["starts"] == [0]  # asked, not sent again
    assert [c["text"] for c in youtube.created()] == ["Answer lost"]


def test_a_spent_quota_waits_until_midnight_pacific(
    api: httpx.Client, service: OctopostProcess, channel: dict[str, Any], youtube: RunningFake
) -> None:
    youtube.control("PUT", "quota", {"reason": "quotaExceeded"})
    post_id = video_post(api, "After the quota", make_mp4())
    today = datetime.now(PACIFIC).date()
    midnight = datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=PACIFIC)

    wait_for(
        lambda: _waits(service, post_id, minutes=60), timeout=30, what="the target rescheduled after quotaExceeded"
    )
    _status, due = target_row(service, post_id)
    assert due is not None
    assert abs((due - midnight).total_seconds()) < 5
    assert listing(youtube, "videos") == []

    youtube.control("PUT", "quota", {"reason": None})  # midnight Pacific: the quota is back
    make_all_due(service.database_url)
    published(api, post_id)
    assert len(listing(youtube, "videos")) == 1


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        pytest.param(
            {"platform_options": {"youtube": {"title": "t" * 101}}},
            "platform_options.youtube.title is 101 characters; at most 100",
            id="title-over-100",
        ),
        pytest.param(
            {"content": "A fine title\nwith a <tag> below", "platform_options": {"youtube": {"made_for_kids": False}}},
            "the description may not contain < or >",
            id="angle-bracket",
        ),
        pytest.param(  # without platform_options: YouTube's defaults are checked all the same
            {"content": "A fine title\nwith a <tag> below"},
            "the description may not contain < or >",
            id="angle-bracket-without-options",
        ),
        pytest.param(
            {"content": "x" * 101},
            "the title (the text's first line) is 101 characters; at most 100",
            id="first-line-title-over-100",
        ),
        pytest.param({"media": None}, "youtube: content needs an image or a video", id="no-video"),
    ],
)
def test_youtubes_limits_are_refused_at_schedule_time(
    api: httpx.Client, channel: dict[str, Any], youtube: RunningFake, fields: dict[str, Any], problem: str
) -> None:
    video = uploaded(api, make_mp4(), "video/mp4")
    body = {"media": {"video": {"url": video["url"]}}, **fields}
    assert_refused_when_scheduled(api, youtube, "youtube", {k: v for k, v in body.items() if v is not None}, problem)


def database(service: OctopostProcess) -> Path:
    return Path(service.database_url.removeprefix("sqlite+aiosqlite:///"))


def target_row(service: OctopostProcess, post_id: str) -> tuple[str, datetime | None]:
    with sqlite3.connect(database(service), timeout=30) as conn:
        status, due = conn.execute(
            "SELECT status, next_attempt_at FROM target WHERE post_id = ?", (post_id,)
        ).fetchone()
    return status, datetime.fromisoformat(due).replace(tzinfo=UTC) if due else None


def _waits(service: OctopostProcess, post_id: str, *, minutes: float) -> bool:
    """Pending and due later than ``minutes`` from now: put off by the adapter, not just handed on."""
    status, due = target_row(service, post_id)
    return status == "pending" and due is not None and due > datetime.now(UTC) + timedelta(minutes=minutes)


def resume_now(service: OctopostProcess, post_id: str) -> None:
    """The interrupted upload's retry, seconds away, comes due now (flows.make_all_due's one write)."""
    wait_for(lambda: _waits(service, post_id, minutes=1 / 60), timeout=30, what="the upload put off after the fault")
    make_all_due(service.database_url)
