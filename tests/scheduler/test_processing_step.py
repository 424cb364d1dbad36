"""The processing step through `octopost serve`: a platform still processing what a segment sent (Mastodon's video,
202 then 206 on the strict fake) answers Pending, the handle goes into the ledger, the target lets go of its lease
and comes back later — no worker waits on it — and a process killed while the platform processes is resumed by
another from the handle, without uploading or posting twice."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.running import RunningFake, running_fake
from tests.peers.app import make_octopost
from tests.peers.media_server import MediaServer
from tests.scheduler.flows import connect, ledger, publish, wait_for, wait_for_status

VIDEO = b"\x00\x00\x00\x18ftypmp42" + bytes(64)  # an MP4's first box: the fake processes it like a video


@pytest.fixture
def mastodon(tmp_path: Path) -> Iterator[RunningFake]:
    with running_fake("mastodon", tmp_path) as fake:
        yield fake


def target_row(db_path: Path, post_id: str) -> tuple[str, str | None]:
    with sqlite3.connect(db_path, timeout=30) as conn:
        status, owner = conn.execute("SELECT status, lease_owner FROM target WHERE post_id = ?", (post_id,)).fetchone()
    return status, owner


def states(db_path: Path, post_id: str) -> list[str]:
    return [state for _platform, _index, state, _remote in ledger(db_path, post_id)]


def test_a_video_being_processed_waits_as_a_pending_target_and_then_posts_once(
    tmp_path: Path, mastodon: RunningFake, media_server: MediaServer
) -> None:
    mastodon.control("PUT", "media", {"processing_polls": 1000})
    service = make_octopost(tmp_path).start()
    try:
        api = service.client()
        connect(api, "mastodon", mastodon.url, {"access_token": "processing-token"})
        url = media_server.add("/processing/clip.mp4", VIDEO, "video/mp4")
        post_id = publish(api, "mastodon", "a clip", media={"video": {"url": url}})
        db = service.data_dir / "octopost.db"

        wait_for(lambda: states(db, post_id) == ["pending"], timeout=30, what="the segment recorded as pending")
        assert api.get(f"/v1/posts/{post_id}").json()["status"] == "publishing"
        # Between checks the target holds no lease: nothing in the worker waits for the platform.
        wait_for(lambda: target_row(db, post_id) == ("pending", None), timeout=30, what="the target released")
        mastodon.control("DELETE", "media")  # the platform finishes processing

        done = wait_for_status(api, post_id, "published", "failed", timeout=60)
        assert done["status"] == "published", done["platform_results"]
        assert states(db, post_id) == ["sent"]
        assert mastodon.control("GET", "media")["uploads"] == 1
        assert [c["text"] for c in mastodon.created()] == ["a clip"]
    finally:
        service.stop()


def test_a_worker_killed_while_the_platform_processes_is_resumed_from_the_handle(
    tmp_path: Path, mastodon: RunningFake, media_server: MediaServer
) -> None:
    mastodon.control("PUT", "media", {"processing_polls": 1000})
    first = make_octopost(tmp_path).start()
    api = first.client()
    key = api.headers["Authorization"].removeprefix("Bearer ")
    connect(api, "mastodon", mastodon.url, {"access_token": "crash-token"})
    url = media_server.add("/processing/crash.mp4", VIDEO, "video/mp4")
    post_id = publish(api, "mastodon", "survives a crash", media={"video": {"url": url}})
    db = first.data_dir / "octopost.db"
    wait_for(lambda: states(db, post_id) == ["pending"], timeout=30, what="the segment recorded as pending")

    first.kill()
    mastodon.control("DELETE", "media")
    second = first.sibling().start()
    try:
        done = wait_for_status(second.client(key), post_id, "published", "failed", timeout=60)
    finally:
        second.stop()
        first.stop()  # its clients (the process is gone already)

    assert done["status"] == "published", done["platform_results"]
    assert mastodon.control("GET", "media")["uploads"] == 1  # resumed from the handle: not uploaded again
    assert [c["text"] for c in mastodon.created()] == ["survives a crash"]
