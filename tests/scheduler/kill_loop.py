"""The kill loop: `octopost worker` processes SIGKILLed at random points while threads publish to the real
Bluesky PDS and mastodon_mock; afterwards every segment must be on each platform exactly once.

Shared by the test (tests/scheduler/test_kill_loop.py, ≥50 publishes) and the benchmark (bench/kill_loop.py,
200 rounds), so both measure the same thing.
"""

from __future__ import annotations

import random
import re
import sqlite3
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tests.peers.app import OCTOPOST, make_octopost
from tests.peers.bluesky import BskyPds
from tests.peers.mastodon import MastodonPeer
from tests.peers.ports import stop
from tests.scheduler.flows import connect

SEGMENTS = 3
_TERMINAL = ("published", "failed")


@dataclass
class KillLoopReport:
    posts: int
    rounds: int
    expected_per_platform: int
    bluesky_duplicates: int
    bluesky_lost: int
    mastodon_duplicates: int
    mastodon_lost: int
    not_published: int
    seconds: float

    @property
    def clean(self) -> bool:
        return (
            not (self.bluesky_duplicates or self.bluesky_lost or self.mastodon_duplicates or self.mastodon_lost)
            and not self.not_published
        )

    def summary(self) -> str:
        return (
            f"{self.posts} threads x {SEGMENTS} segments x 2 platforms, {self.rounds} workers killed, "
            f"{self.seconds:.1f}s: bluesky dup={self.bluesky_duplicates} lost={self.bluesky_lost}, "
            f"mastodon dup={self.mastodon_duplicates} lost={self.mastodon_lost}, not published={self.not_published}"
        )


def _texts(run: str, post: int) -> list[str]:
    return [f"kill-loop {run} thread {post} part {part}/{SEGMENTS}" for part in range(1, SEGMENTS + 1)]


def _delivered(db: Path) -> int:
    with sqlite3.connect(db, timeout=30) as conn:
        return int(conn.execute("SELECT count(*) FROM delivery WHERE state = 'sent'").fetchone()[0])


def _unfinished(db: Path) -> int:
    with sqlite3.connect(db, timeout=30) as conn:
        return int(conn.execute("SELECT count(*) FROM post WHERE status NOT IN ('published', 'failed')").fetchone()[0])


def _diff(expected: Counter[str], seen: Counter[str]) -> tuple[int, int]:
    duplicates = sum(count - 1 for count in seen.values() if count > 1)
    lost = sum(1 for text in expected if seen[text] == 0)
    return duplicates, lost


def run_kill_loop(
    tmp: Path,
    pds: BskyPds,
    mastodon: MastodonPeer,
    *,
    posts: int,
    kill_after: tuple[int, int],
    seed: int,
    max_rounds: int = 1000,
) -> KillLoopReport:
    """Publish ``posts`` threads, then kill a worker each time it has delivered a random number (in
    ``kill_after``) of further segments, start another, until all are done; then count what landed."""
    started = time.monotonic()
    rng = random.Random(seed)
    run = f"{seed}-{rng.randrange(10**6)}"
    api_process = make_octopost(
        tmp,
        OCTOPOST_LEASE_SECONDS="1.5",
        OCTOPOST_TICK_SECONDS="0.1",
        OCTOPOST_PUBLISH_RATE_LIMIT_PER_MINUTE="0",  # a load generator: more publishes a minute than a client makes
    ).start("--no-scheduler")
    db = api_process.data_dir / "octopost.db"
    rounds = 0
    try:
        api = api_process.client()
        bsky_account = pds.create_account("kill")
        masto_account = mastodon.new_account()
        connect(api, "bluesky", pds.url, bsky_account.credentials)
        connect(api, "mastodon", mastodon.url, masto_account.credentials)
        for n in range(posts):
            first, *rest = _texts(run, n)
            body = {"content": first, "platforms": ["bluesky", "mastodon"], "segments": [{"content": t} for t in rest]}
            post_id = api.post("/v1/posts", json=body).json()["id"]
            assert api.post(f"/v1/posts/{post_id}/publish").status_code == 200

        log_path = tmp / "workers.log"
        while _unfinished(db):
            with log_path.open("ab") as log:
                worker = subprocess.Popen(
                    [str(OCTOPOST), "worker"], env=api_process.env, cwd=api_process.data_dir, stdout=log, stderr=log
                )
            goal = _delivered(db) + rng.randint(*kill_after)
            deadline = time.monotonic() + 120
            last_rounds = rounds >= max_rounds
            while time.monotonic() < deadline and _unfinished(db) and (last_rounds or _delivered(db) < goal):
                if worker.poll() is not None:
                    raise RuntimeError(f"worker exited by itself ({worker.returncode}); see {log_path}")
                time.sleep(0.02)  # polling interval
            if last_rounds or not _unfinished(db):
                stop(worker)
                break
            worker.kill()  # SIGKILL: no shutdown code runs
            worker.wait(10)
            rounds += 1
        statuses = api.get("/v1/posts", params={"limit": 100}).json()
        not_published = sum(1 for p in statuses["posts"] if p["status"] != "published")
    finally:
        api_process.stop()

    expected = Counter(t for n in range(posts) for t in _texts(run, n))
    on_bluesky = Counter(r["value"]["text"] for r in pds.list_records(bsky_account.did) if run in r["value"]["text"])
    on_mastodon = Counter(re.sub(r"<[^>]+>", "", s["content"]) for s in mastodon.statuses(masto_account.token))
    bsky_dup, bsky_lost = _diff(expected, on_bluesky)
    masto_dup, masto_lost = _diff(expected, on_mastodon)
    return KillLoopReport(
        posts=posts,
        rounds=rounds,
        expected_per_platform=sum(expected.values()),
        bluesky_duplicates=bsky_dup,
        bluesky_lost=bsky_lost,
        mastodon_duplicates=masto_dup,
        mastodon_lost=masto_lost,
        not_published=not_published if posts <= 100 else _unfinished(db),
        seconds=time.monotonic() - started,
    )
