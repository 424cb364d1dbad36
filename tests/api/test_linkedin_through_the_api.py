"""LinkedIn end to end through `octopost serve`: connected through the OAuth peer playing LinkedIn's authorization
server (the app's secret in the token form, no refresh tokens, the member scopes only), then a thread of a
multi-image post made of our own uploads and its comments, a video LinkedIn keeps processing that waits as a pending
target and is resumed by a new worker after a SIGKILL without a second upload, LinkedIn's daily 429 rescheduled to
midnight UTC, and a 60-day token past its ``expires_at`` failing the publish with "reconnect" before any call.

The fake (tests/fakes/linkedin/) accepts the peer's tokens only with the scopes each call needs, so the connect
proves Octopost asks for enough: ``openid profile`` for /v2/userinfo, ``w_member_social`` for everything else.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from octopost.crypto import CredentialCipher
from tests.api.oauth_support import SECRET_KEY, connect_through_oauth, octopost_for, peer_like, stored_credentials
from tests.fakes.linkedin import ORG_ID, PEER_SUB
from tests.fakes.running import RunningFake, calm, fake_per_module
from tests.media import make_mp4, make_png
from tests.peers.app import OctopostProcess
from tests.peers.oauth_server import OAuthPeer, running_oauth_peer
from tests.scheduler.flows import ledger, make_all_due, publish, wait_for, wait_for_status
from tests.uploads.test_uploads import uploaded

_linkedin_fake = fake_per_module("linkedin")


@pytest.fixture(scope="module")
def peer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OAuthPeer]:
    """LinkedIn's authorization server as most apps know it: client_secret_post, and no refresh tokens."""
    with running_oauth_peer(
        **peer_like("linkedin"), refresh_tokens=False, work_dir=tmp_path_factory.mktemp("oauth-linkedin")
    ) as running:
        yield running


@pytest.fixture(scope="module")
def service(peer: OAuthPeer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OctopostProcess]:
    running = octopost_for(peer, tmp_path_factory.mktemp("octopost-linkedin"), "linkedin").start()
    yield running
    running.stop()


@pytest.fixture
def linkedin(_linkedin_fake: RunningFake, peer: OAuthPeer) -> Iterator[RunningFake]:
    _linkedin_fake.trust_authorization_server(peer.issuer, peer.client_id)
    with calm(_linkedin_fake) as fake:
        yield fake


@pytest.fixture
def api(service: OctopostProcess, request: pytest.FixtureRequest) -> httpx.Client:
    return service.client(workspace=f"ws-{request.node.name}"[:180])


@pytest.fixture
def member(api: httpx.Client, peer: OAuthPeer, linkedin: RunningFake) -> dict[str, Any]:
    """The test's workspace with the member connected through LinkedIn's OAuth screen."""
    return connect_through_oauth(api, peer, linkedin.url, "linkedin")


def database(service: OctopostProcess) -> Path:
    return Path(service.database_url.removeprefix("sqlite+aiosqlite:///"))


def target_row(service: OctopostProcess, post_id: str) -> tuple[str, datetime | None, str | None]:
    """(status, next attempt, lease owner) of the post's one target."""
    with sqlite3.connect(database(service), timeout=30) as conn:
        status, due, owner = conn.execute(
            "SELECT status, next_attempt_at, lease_owner FROM target WHERE post_id = ?", (post_id,)
        ).fetchone()
    return status, datetime.fromisoformat(due).replace(tzinfo=UTC) if due else None, owner


def published(api: httpx.Client, post_id: str) -> dict[str, Any]:
    done = wait_for_status(api, post_id, "published", "failed", timeout=60)
    result = done["platform_results"]["linkedin"]
    assert done["status"] == "published", result
    return dict(result)


def test_connecting_keeps_the_member_the_token_and_its_expiry_but_no_refresh_token(
    api: httpx.Client, service: OctopostProcess, peer: OAuthPeer, linkedin: RunningFake
) -> None:
    account = connect_through_oauth(api, peer, linkedin.url, "linkedin")

    assert (account["platform_user_id"], account["display_name"]) == (f"urn:li:person:{PEER_SUB}", "Pat Peer")
    stored = stored_credentials(service, account["id"])
    assert set(stored) == {"access_token", "expires_at", "person_id"}
    assert stored["person_id"] == PEER_SUB
    left = datetime.fromisoformat(stored["expires_at"]) - datetime.now(UTC)
    assert timedelta(minutes=110) < left <= timedelta(hours=2)  # the peer's expires_in, as LinkedIn's 60 days


def test_an_organization_given_at_connect_is_the_author_the_account_names(
    api: httpx.Client, service: OctopostProcess, peer: OAuthPeer, linkedin: RunningFake
) -> None:
    account = connect_through_oauth(api, peer, linkedin.url, "linkedin", fields={"organization_id": ORG_ID})

    assert (account["platform_user_id"], account["username"]) == (f"urn:li:organization:{ORG_ID}", ORG_ID)
    assert stored_credentials(service, account["id"])["organization_id"] == ORG_ID


def test_a_thread_of_uploaded_images_then_comments(
    api: httpx.Client, member: dict[str, Any], linkedin: RunningFake
) -> None:
    pictures = [make_png(6, 4, rgb=(200, 10, 10)), make_png(4, 6, rgb=(10, 200, 10))]
    images = [{"url": uploaded(api, data)["url"], "alt_text": f"picture {n}"} for n, data in enumerate(pictures)]
    texts = ["Two pictures (and a #tag)", "First comment", "Second comment"]

    post_id = publish(api, "linkedin", texts[0], media={"images": images}, segments=[{"content": t} for t in texts[1:]])
    result = published(api, post_id)

    [post] = linkedin.control("GET", "posts")
    assert (post["author"], post["shown"], post["truncated"]) == (member["platform_user_id"], texts[0], False)
    shown = post["content"]["multiImage"]["images"]
    assert [image["altText"] for image in shown] == ["picture 0", "picture 1"]
    uploads = {u["urn"]: u for u in linkedin.control("GET", "uploads")}
    assert [uploads[image["id"]]["received"] for image in shown] == [len(data) for data in pictures]
    assert [(c["text"], c["reply_to"]) for c in linkedin.created()] == [
        (texts[0], None),
        (texts[1], post["urn"]),
        (texts[2], post["urn"]),
    ]
    segments = result["segments"]
    assert segments[0]["post_url"] == f"https://www.linkedin.com/feed/update/{post['urn']}/"
    assert all(s["post_url"].startswith(segments[0]["post_url"] + "?commentUrn=") for s in segments[1:])


def test_a_processing_video_waits_pending_and_a_new_worker_resumes_it_after_a_sigkill(
    api: httpx.Client, service: OctopostProcess, member: dict[str, Any], linkedin: RunningFake
) -> None:
    linkedin.control("PUT", "settings", {"processing_polls": 1000})
    clip = make_mp4(mdat_bytes=50_000)
    video = uploaded(api, clip, "video/mp4")
    post_id = publish(api, "linkedin", "A clip", media={"video": {"url": video["url"]}})
    db = database(service)
    wait_for(lambda: [row[2] for row in ledger(db, post_id)] == ["pending"], timeout=30, what="the pending segment")
    # Between status checks no worker holds the target: the crash loses nothing but the process.
    wait_for(lambda: target_row(service, post_id)[::2] == ("pending", None), timeout=30, what="the target released")

    service.kill()
    linkedin.control("POST", "finish_processing")
    service.start()  # another worker on the same database (and port)
    make_all_due(service.database_url)  # the next status check, 15 s away, comes due now

    published(api, post_id)
    [upload] = [u for u in linkedin.control("GET", "uploads") if u["kind"] == "video"]
    assert (upload["received"], upload["status"]) == (len(clip), "AVAILABLE")  # uploaded once, by the first worker
    assert upload["status_reads"] == 1  # the new worker asked once (AVAILABLE), then posted
    [post] = linkedin.control("GET", "posts")
    assert post["content"] == {"media": {"id": upload["urn"]}}


def test_the_daily_throttle_waits_until_midnight_utc_then_posts_once(
    api: httpx.Client, service: OctopostProcess, member: dict[str, Any], linkedin: RunningFake
) -> None:
    linkedin.control("PUT", "next_error", {"path": "/rest/posts", "status": 429})
    post_id = publish(api, "linkedin", "After the throttle")
    now = datetime.now(UTC)
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)

    wait_for(lambda: _waits(service, post_id), timeout=30, what="the target rescheduled after the 429")
    due = target_row(service, post_id)[1]
    assert due is not None
    assert abs((due - midnight).total_seconds()) < 5
    assert linkedin.created() == []

    make_all_due(service.database_url)  # midnight comes
    published(api, post_id)
    assert [c["text"] for c in linkedin.created()] == ["After the throttle"]


def test_a_token_past_its_expiry_fails_the_publish_asking_to_reconnect(
    api: httpx.Client, service: OctopostProcess, member: dict[str, Any], linkedin: RunningFake
) -> None:
    expire_token(service, member["id"])
    before = linkedin.stats()["requests"]

    done = wait_for_status(api, publish(api, "linkedin", "Never posted"), "failed", "published", timeout=60)

    error = done["platform_results"]["linkedin"]["error"]
    assert "expired" in error, error
    assert "reconnect" in error.lower(), error
    assert linkedin.stats()["requests"] == before  # refused before any call
    assert api.get(f"/v1/accounts/{member['id']}").json()["is_active"] is False


def _waits(service: OctopostProcess, post_id: str) -> bool:
    """Rescheduled by the platform's limit: pending, no lease, due hours from now."""
    status, due, owner = target_row(service, post_id)
    return status == "pending" and owner is None and due is not None and due > datetime.now(UTC) + timedelta(minutes=1)


def expire_token(service: OctopostProcess, account_id: str) -> None:
    """Sixty days pass for the account's token: its stored ``expires_at`` moves into the past. The one write behind
    the API's back (encrypted with the test key, as the service stores it): waiting 60 days is not a test."""
    credentials = stored_credentials(service, account_id)
    credentials["expires_at"] = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    encrypted = CredentialCipher(SECRET_KEY).encrypt(credentials)
    with sqlite3.connect(database(service), timeout=30) as conn:
        conn.execute("UPDATE account SET credentials_encrypted = ? WHERE id = ?", (encrypted, account_id))
