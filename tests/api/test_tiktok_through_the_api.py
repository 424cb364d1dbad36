"""TikTok end to end through `octopost serve` (SQLite), the OAuth peer playing TikTok's authorization server
(client_key and client_secret in the form, comma-separated scopes, rotating refresh tokens, 30-second access
tokens) and the strict TikTok fake (tests/fakes/tiktok/) accepting the peer's tokens for the scopes each call needs.

Proven here: the connect stores the user's open_id and says what an unaudited app may post; a video uploaded
through /v1/media goes in TikTok's chunks with a thread folded into its caption, on a token refreshed ahead of use
whose rotated refresh token is the one kept; a pull from our signed public URL gets the very bytes uploaded; a
worker killed while TikTok processes is resumed from the publish_id by another, with no second init; a lost answer
to a pull init is unconfirmed while a lost last chunk is settled by the status; a 429 is rescheduled; the
unaudited-app refusal fails with our words; TikTok's limits are refused when the post is scheduled."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.api.oauth_support import connect_through_oauth, octopost_for, peer_like, stored_credentials
from tests.api.support import assert_refused_when_scheduled
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake, calm, fake_per_module
from tests.fakes.tiktok import PEER_CREATOR, PEER_OPEN_ID
from tests.media import make_mp4, make_png
from tests.peers.app import OctopostProcess
from tests.peers.oauth_server import OAuthPeer, running_oauth_peer
from tests.scheduler.flows import ledger, make_all_due, publish, wait_for, wait_for_status
from tests.uploads.test_uploads import uploaded

MB = 1024 * 1024
INIT = "/v2/post/publish/video/init/"
SELF_ONLY_RULE = "an app TikTok has not audited posts only SELF_ONLY"

tiktok_fake = fake_per_module("tiktok")


@dataclass
class Worker:
    """The module's one `octopost serve`; the crash test replaces it with another process on the same port and
    database (so the OAuth callback and our public media URLs stay where they were)."""

    process: OctopostProcess

    def replace_after_kill(self) -> None:
        killed = self.process
        killed.kill()
        self.process = OctopostProcess(
            data_dir=killed.data_dir,
            port=killed.port,
            env=killed.env,
            log_path=killed.log_path.with_name("octopost-after-crash.log"),
        ).start()
        killed.stop()  # its clients (the process is gone already)


@pytest.fixture(scope="module")
def peer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OAuthPeer]:
    # Access tokens for 30 s: inside the five minutes ahead of expiry in which every publish refreshes first.
    settings = peer_like("tiktok") | {
        "expires_in": 30,
        # TikTok's token answers name the user (open_id) and the refresh token's lifetime.
        "answer_fields": {"open_id": PEER_OPEN_ID, "refresh_expires_in": 31536000},
        "work_dir": tmp_path_factory.mktemp("oauth-tiktok"),
    }
    with running_oauth_peer(**settings) as running:
        yield running


@pytest.fixture(scope="module")
def worker(peer: OAuthPeer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worker]:
    running = Worker(octopost_for(peer, tmp_path_factory.mktemp("octopost-tiktok"), "tiktok").start())
    yield running
    running.process.stop()


@pytest.fixture
def fake(tiktok_fake: RunningFake, peer: OAuthPeer) -> Iterator[RunningFake]:
    tiktok_fake.trust_authorization_server(peer.issuer, peer.client_id)
    with calm(tiktok_fake) as calmed:
        calmed.control("PUT", "processing", {"polls": 0})  # done at the first status fetch, unless a test says
        yield calmed


@pytest.fixture
def api(worker: Worker, request: pytest.FixtureRequest) -> httpx.Client:
    return worker.process.client(workspace=f"ws-{request.node.name}"[:180])


def connected(api: httpx.Client, peer: OAuthPeer, fake: RunningFake) -> dict[str, Any]:
    return connect_through_oauth(api, peer, fake.url, "tiktok")


def publishes(fake: RunningFake) -> list[dict[str, Any]]:
    return list(fake.control("GET", "publishes"))


def settled(api: httpx.Client, post_id: str) -> dict[str, Any]:
    return wait_for_status(api, post_id, "published", "failed", "unconfirmed", timeout=60)


def processed(worker: Worker, api: httpx.Client, post_id: str) -> dict[str, Any]:
    """The post as it ends, once TikTok has processed it: the clock jumps over the adapter's wait between status
    fetches (5 s) as soon as the target waits for one, the one write behind the API's back (tests/scheduler/flows.py
    make_all_due). Without it the module would spend that wait on every post."""
    db = worker.process.data_dir / "octopost.db"
    wait_for(
        lambda: states(db, post_id) == ["sent"] or (states(db, post_id) == ["pending"] and released(db, post_id)),
        timeout=30,
        what="the target waiting for TikTok's processing",
    )
    make_all_due(worker.process.database_url)
    return settled(api, post_id)


def tiktok_result(done: dict[str, Any]) -> dict[str, Any]:
    return dict(done["platform_results"]["tiktok"])


def refresh_with(peer: OAuthPeer, refresh_token: str) -> httpx.Response:
    """What TikTok says to a refresh with this token (client_key and client_secret in the form, as it wants)."""
    form = {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "client_key": peer.client_id,
        "client_secret": str(peer.client_secret),
    }
    return httpx.post(peer.token_url, data=form, timeout=10)


def video(mdat_bytes: int = 64) -> bytes:
    return make_mp4(mdat_bytes=mdat_bytes)


def test_the_connect_stores_the_open_id_and_says_what_an_unaudited_app_may_post(
    api: httpx.Client, worker: Worker, peer: OAuthPeer, fake: RunningFake
) -> None:
    exchanges = peer.grant_count("authorization_code")

    account = connected(api, peer, fake)

    assert peer.grant_count("authorization_code") == exchanges + 1  # client_key + secret in the form: accepted
    assert (account["platform_user_id"], account["username"]) == (PEER_OPEN_ID, PEER_CREATOR)
    assert SELF_ONLY_RULE in account["display_name"]
    assert (
        "may post as: PUBLIC_TO_EVERYONE, MUTUAL_FOLLOW_FRIENDS, FOLLOWER_OF_CREATOR, SELF_ONLY"
        in account["display_name"]
    )
    stored = stored_credentials(worker.process, account["id"])
    assert {"access_token", "refresh_token", "expires_at"} <= set(stored)
    assert stored["open_id"] == PEER_OPEN_ID  # kept from the token answer (OAuthSpec.token_fields)
    assert "refresh_expires_in" not in stored  # a lifetime, not a field to keep


def test_a_thread_folded_into_the_caption_of_a_video_sent_in_chunks_on_a_token_refreshed_ahead(
    api: httpx.Client, worker: Worker, peer: OAuthPeer, fake: RunningFake
) -> None:
    account = connected(api, peer, fake)
    first = stored_credentials(worker.process, account["id"])
    refreshes, refused = peer.grant_count("refresh_token"), peer.refusal_count("invalid_grant")
    clip = video(20 * MB)  # two of the adapter's 10 MB chunks, the second taking the trailing bytes
    media = uploaded(api, clip)
    texts = ["A walk in the park", "Then the lake", "And home #park"]

    post_id = publish(
        api,
        "tiktok",
        texts[0],
        media={"video": {"url": media["url"]}},
        segments=[{"content": texts[1]}, {"content": texts[2]}],
    )
    done = processed(worker, api, post_id)

    assert done["status"] == "published", done["platform_results"]
    (created,) = fake.created()
    assert tiktok_result(done)["post_url"] == f"https://www.tiktok.com/@{PEER_CREATOR}/video/{created['id']}"
    (sent,) = publishes(fake)
    assert sent["post_info"]["title"] == "\n\n".join(texts)
    assert sent["post_info"]["privacy_level"] == "SELF_ONLY"
    assert sent["plan"] == {"video_size": len(clip), "chunk_size": 10 * MB, "total_chunk_count": 2}
    assert (sent["chunks"], sent["received"]) == (2, len(clip))
    assert sent["sha256"] == [hashlib.sha256(clip).hexdigest()]
    # Refreshed ahead of each claim through the peer, every time from the newest rotated refresh token...
    assert peer.grant_count("refresh_token") > refreshes
    assert peer.refusal_count("invalid_grant") == refused
    kept = stored_credentials(worker.process, account["id"])
    assert kept["access_token"] != first["access_token"]
    assert kept["refresh_token"] != first["refresh_token"]
    assert kept["expires_at"] > first["expires_at"]
    # ...so the one we started from is dead at TikTok, and the one kept still works.
    assert refresh_with(peer, first["refresh_token"]).json()["error"] == "invalid_grant"
    assert peer.refusal_count("invalid_grant") == refused + 1
    assert api.get(f"/v1/accounts/{account['id']}").json()["is_active"] is True
    secrets = [first["access_token"], first["refresh_token"], kept["refresh_token"], str(peer.client_secret)]
    assert not any(secret in worker.process.log_text() for secret in secrets)
    assert "access_token" in refresh_with(peer, kept["refresh_token"]).json()  # last: it rotates the one kept


def test_a_video_pulled_from_our_signed_public_url_is_the_one_uploaded(
    api: httpx.Client, worker: Worker, peer: OAuthPeer, fake: RunningFake
) -> None:
    connected(api, peer, fake)
    clip = video(4096)
    media = uploaded(api, clip)

    post_id = publish(
        api,
        "tiktok",
        "Pulled by TikTok",
        media={"video": {"url": media["url"]}},
        platform_options={"tiktok": {"video_source": "PULL_FROM_URL"}},
    )
    done = processed(worker, api, post_id)

    assert done["status"] == "published", done["platform_results"]
    (pulled,) = publishes(fake)
    assert pulled["plan"] == {}  # nothing uploaded by us: TikTok fetched it
    assert pulled["sha256"] == [hashlib.sha256(clip).hexdigest()]
    assert pulled["received"] == len(clip)
    assert len(fake.created()) == 1


def test_a_worker_killed_while_tiktok_processes_is_resumed_from_the_publish_id(
    api: httpx.Client, worker: Worker, peer: OAuthPeer, fake: RunningFake
) -> None:
    connected(api, peer, fake)
    key = api.headers["Authorization"].removeprefix("Bearer ")
    fake.control("PUT", "processing", {"polls": 1000})
    media = uploaded(api, video())
    post_id = publish(api, "tiktok", "Survives a crash", media={"video": {"url": media["url"]}})
    db = worker.process.data_dir / "octopost.db"

    def between_status_fetches() -> bool:  # not while a worker holds the lease: that kill would wait out the lease
        return states(db, post_id) == ["pending"] and released(db, post_id)

    wait_for(between_status_fetches, timeout=30, what="the publish_id recorded and the target waiting")

    worker.replace_after_kill()
    fake.control("POST", "processing/finish")
    done = settled(worker.process.client(key), post_id)

    assert done["status"] == "published", done["platform_results"]
    (only,) = publishes(fake)  # one init: the new worker asked the status of the stored publish_id
    assert only["chunks"] == 1
    assert [c["text"] for c in fake.created()] == ["Survives a crash"]


def test_a_lost_pull_answer_is_unconfirmed_and_a_lost_last_chunk_is_settled_by_the_status(
    api: httpx.Client, worker: Worker, peer: OAuthPeer, fake: RunningFake
) -> None:
    connected(api, peer, fake)
    media = uploaded(api, video())
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["reset_after"], fault_paths=[INIT.rstrip("/")]))
    pull = publish(
        api,
        "tiktok",
        "In doubt",
        media={"video": {"url": media["url"]}},
        platform_options={"tiktok": {"video_source": "PULL_FROM_URL"}},
    )
    doubtful = settled(api, pull)
    fake.set_conditions(Conditions())

    assert tiktok_result(doubtful)["status"] == "unconfirmed", doubtful["platform_results"]
    assert "was not sent again to avoid a duplicate" in tiktok_result(doubtful)["error"]
    assert len(publishes(fake)) == 1  # TikTok took the one init; it was never repeated

    fake.control("PUT", "next_error", {"path": "/upload", "code": "reset_after"})
    upload = publish(api, "tiktok", "Last chunk lost", media={"video": {"url": media["url"]}})
    done = processed(worker, api, upload)

    assert fake.control("GET", "next_error") == {}  # the last chunk's answer was indeed lost
    assert done["status"] == "published", done["platform_results"]
    in_doubt, settled_by_status = publishes(fake)
    assert in_doubt["text"] == "In doubt"  # on TikTok, but its publish_id never reached us: not asked after
    assert (settled_by_status["chunks"], settled_by_status["received"]) == (1, len(video()))
    assert [c["text"] for c in fake.created()] == ["Last chunk lost"]


def test_a_429_is_rescheduled_and_then_published(
    api: httpx.Client, worker: Worker, peer: OAuthPeer, fake: RunningFake
) -> None:
    connected(api, peer, fake)
    media = uploaded(api, video())
    fake.control("PUT", "next_error", {"path": INIT, "code": "rate_limit_exceeded"})
    post_id = publish(api, "tiktok", "After the rate limit", media={"video": {"url": media["url"]}})
    db = worker.process.data_dir / "octopost.db"

    wait_for(lambda: waiting(db, post_id) is not None, timeout=30, what="the target rescheduled after the 429")
    # TikTok sends no Retry-After: its windows are per minute.
    left = waiting(db, post_id)
    assert left is not None
    assert timedelta(seconds=50) < left <= timedelta(seconds=60)
    assert publishes(fake) == []
    make_all_due(worker.process.database_url)  # the clock jumps past TikTok's minute
    done = processed(worker, api, post_id)

    assert done["status"] == "published", done["platform_results"]
    assert len(fake.created()) == 1


def test_an_unaudited_app_posting_publicly_fails_with_our_explanation(
    api: httpx.Client, peer: OAuthPeer, fake: RunningFake
) -> None:
    connected(api, peer, fake)
    fake.control("PUT", "app", {"audited": False})
    media = uploaded(api, video())

    post_id = publish(
        api,
        "tiktok",
        "For everyone",
        media={"video": {"url": media["url"]}},
        platform_options={"tiktok": {"privacy_level": "PUBLIC_TO_EVERYONE"}},
    )
    done = settled(api, post_id)

    result = tiktok_result(done)
    assert result["success"] is False
    assert "this app has not passed TikTok's audit, so it may only post privately" in result["error"]
    assert "unaudited_client_can_only_post_to_private_accounts" in result["error"]
    assert publishes(fake) == []


def test_tiktoks_limits_are_refused_when_the_post_is_scheduled(
    api: httpx.Client, peer: OAuthPeer, fake: RunningFake
) -> None:
    connected(api, peer, fake)
    with_video = {"media": {"video": {"url": uploaded(api, video())["url"]}}}

    thread = {"content": "a" * 1100, "segments": [{"content": "b" * 1100}], **with_video}
    assert_refused_when_scheduled(api, fake, "tiktok", thread, "2202 characters; the limit is 2200")
    private = {"platform_options": {"tiktok": {"privacy_level": "PRIVATE"}}, **with_video}
    assert_refused_when_scheduled(api, fake, "tiktok", private, "Invalid enum value 'PRIVATE' - at `$.privacy_level`")


def test_photos_as_png_are_refused_before_anything_reaches_tiktok(
    api: httpx.Client, peer: OAuthPeer, fake: RunningFake
) -> None:
    """Schedule-time validation sees how many media a post has, not their types (see the report): the PNG is
    refused when the publish reads the file, before creator_info or any init."""
    connected(api, peer, fake)
    png = uploaded(api, make_png())["url"]
    before = fake.stats()["requests"]

    done = settled(api, publish(api, "tiktok", "A PNG", media={"images": [{"url": png}]}))

    result = tiktok_result(done)
    assert result["success"] is False
    assert "TikTok: image 1 is image/png; accepted: image/jpeg, image/webp" in result["error"]
    assert fake.stats()["requests"] == before


def states(db: Any, post_id: str) -> list[str]:
    return [state for _platform, _index, state, _remote in ledger(db, post_id)]


def released(db: Any, post_id: str) -> bool:
    """The target waits (pending, no worker holding its lease)."""
    with sqlite3.connect(db, timeout=30) as conn:
        status, owner = conn.execute("SELECT status, lease_owner FROM target WHERE post_id = ?", (post_id,)).fetchone()
    return bool(status == "pending" and owner is None)


def waiting(db: Any, post_id: str) -> timedelta | None:
    """How long until the target is tried again, once a 429 rescheduled it (None before)."""
    with sqlite3.connect(db, timeout=30) as conn:
        status, owner, at, error = conn.execute(
            "SELECT status, lease_owner, next_attempt_at, error FROM target WHERE post_id = ?", (post_id,)
        ).fetchone()
    if status != "pending" or owner is not None or "rate_limit_exceeded" not in (error or ""):
        return None
    return datetime.fromisoformat(at).replace(tzinfo=UTC) - datetime.now(UTC)
