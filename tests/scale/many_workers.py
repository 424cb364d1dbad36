"""Many workers on one PostgreSQL database: N `octopost worker` processes and one `octopost serve --no-scheduler`
publish a backlog of posts, all due at once, to two platforms (the Mastodon and Bluesky fakes, with latency).
Afterwards every post must be `published`, and each platform must hold every text exactly once.

Shared by the test (tests/scale/test_many_workers.py) and the benchmark (bench/multi_worker.py), so both
measure the same thing.
"""

from __future__ import annotations

import concurrent.futures
import secrets
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake, running_fake
from tests.peers.app import OCTOPOST, OctopostProcess, make_octopost
from tests.peers.databases import fetch
from tests.peers.ports import stop
from tests.peers.postgres import PostgresServer
from tests.scheduler.flows import connect, in_seconds, make_all_due

PLATFORMS = ("bluesky", "mastodon")
_CREATE_THREADS = 8


@dataclass
class ScaleReport:
    posts: int
    workers: int
    create_seconds: float
    publish_seconds: float
    statuses: dict[str, int]
    workers_claiming: int
    api_healthy: bool
    duplicates: dict[str, int] = field(default_factory=dict)
    lost: dict[str, int] = field(default_factory=dict)
    faults: dict[str, int] = field(default_factory=dict)  # injected by the fakes

    @property
    def not_published(self) -> int:
        return self.posts - self.statuses.get("published", 0)

    @property
    def posts_per_second(self) -> float:
        return self.posts / self.publish_seconds if self.publish_seconds else 0.0

    @property
    def clean(self) -> bool:
        return not self.not_published and not any(self.duplicates.values()) and not any(self.lost.values())

    def summary(self) -> str:
        return (
            f"{self.posts} posts x {len(PLATFORMS)} platforms, {self.workers} workers: created in "
            f"{self.create_seconds:.1f}s, published in {self.publish_seconds:.1f}s = "
            f"{self.posts_per_second:.0f} posts/s "
            f"({2 * self.posts_per_second:.0f} platform posts/s); statuses {self.statuses}; "
            f"duplicates {self.duplicates}; lost {self.lost}; workers that claimed work: {self.workers_claiming}; "
            f"faults injected {self.faults}"
        )


def _texts(run: str, posts: int) -> list[str]:
    return [f"scale {run} post {n}" for n in range(posts)]


def _create_all(api_process: OctopostProcess, key: str, texts: list[str]) -> None:
    """Create the posts through the API, a few requests at a time, scheduled an hour ahead (held back)."""
    clients = [api_process.client(key) for _ in range(_CREATE_THREADS)]
    when = in_seconds(3600)

    def create(n: int) -> None:
        body = {"content": texts[n], "platforms": list(PLATFORMS), "scheduled_for": when}
        response = clients[n % _CREATE_THREADS].post("/v1/posts", json=body)
        assert response.status_code == 201, response.text

    with concurrent.futures.ThreadPoolExecutor(_CREATE_THREADS) as pool:
        list(pool.map(create, range(len(texts))))


def _statuses(url: str) -> dict[str, int]:
    return {status: int(count) for status, count in fetch(url, "SELECT status, count(*) FROM post GROUP BY status")}


def _wait_until_finished(url: str, posts: int, workers: list[subprocess.Popen[bytes]], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for worker in workers:
            if worker.poll() is not None:
                raise RuntimeError(f"a worker exited by itself ({worker.returncode})")
        statuses = _statuses(url)
        if statuses.get("published", 0) + statuses.get("failed", 0) >= posts:
            return
        time.sleep(0.1)  # polling interval
    raise TimeoutError(f"posts not finished within {timeout:.0f}s: {_statuses(url)}")


def _count(fake: RunningFake, expected: list[str]) -> tuple[int, int]:
    seen = Counter(item["text"] for item in fake.created())
    duplicates = sum(count - 1 for count in seen.values() if count > 1)
    lost = sum(1 for text in expected if seen[text] == 0)
    return duplicates, lost


def _start_worker(api_process: OctopostProcess, log_path: Path) -> subprocess.Popen[bytes]:
    with log_path.open("ab") as log:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [str(OCTOPOST), "worker"], env=api_process.env, cwd=api_process.data_dir, stdout=log, stderr=log
        )


def _claimed_by(log_paths: list[Path]) -> int:
    """How many workers claimed work (each logs its claims)."""
    return sum(1 for path in log_paths if "claimed" in path.read_text(errors="replace"))


def run_many_workers(
    work: Path,
    server: PostgresServer,
    *,
    posts: int,
    workers: int = 4,
    latency_ms: float = 20.0,
    fault_rate: float = 0.0,
    settings: dict[str, str] | None = None,
    timeout: float = 600.0,
) -> ScaleReport:
    url = server.create_database("scale", migrated=True)
    env = {
        "OCTOPOST_RATE_LIMIT_PER_MINUTE": "0",  # one client creates thousands of posts in seconds
        "OCTOPOST_TICK_SECONDS": "0.5",
        "OCTOPOST_RETRY_BASE_SECONDS": "0.5",  # a faulted post is retried within the run, not 15 s later
        "OCTOPOST_MAX_ATTEMPTS": "10",
        **(settings or {}),
    }
    # Faults (when asked for): 429 with Retry-After, 500, resets before and after the platform applied the post.
    faults = ["429", "500", "reset", "reset_after"]
    conditions = Conditions(latency_ms=latency_ms, jitter_ms=latency_ms, fault_rate=fault_rate, faults=faults)
    run = secrets.token_hex(3)
    texts = _texts(run, posts)
    log_paths = [work / f"worker-{n}.log" for n in range(workers)]
    with running_fake("mastodon", work, conditions) as mastodon, running_fake("bluesky", work, conditions) as bluesky:
        api_process = make_octopost(work, database_url=url, **env)
        # The workers start while the API does and the posts are created: their start-up is not the backlog's.
        processes = [_start_worker(api_process, path) for path in log_paths]
        try:
            api_process.start("--no-scheduler")
            key = api_process.new_key()
            api = api_process.client(key)
            connect(api, "mastodon", mastodon.url, {"access_token": f"scale-{run}"})
            connect(api, "bluesky", bluesky.url, {"identifier": f"scale{run}.fake.test", "password": "scale"})
            started = time.monotonic()
            _create_all(api_process, key, texts)
            created = time.monotonic()
            make_all_due(url)
            _wait_until_finished(url, posts, processes, timeout)
            finished = time.monotonic()
            healthy = _healthy(api_process)
        finally:
            for process in processes:
                stop(process)
            api_process.stop()
        report = ScaleReport(
            posts=posts,
            workers=workers,
            create_seconds=created - started,
            publish_seconds=finished - created,
            statuses=_statuses(url),
            workers_claiming=_claimed_by(log_paths),
            api_healthy=healthy,
        )
        for fake in (mastodon, bluesky):
            report.duplicates[fake.platform], report.lost[fake.platform] = _count(fake, texts)
            report.faults[fake.platform] = sum(n for name, n in fake.stats().items() if name.startswith("fault_"))
    return report


def _healthy(api_process: OctopostProcess) -> bool:
    """The API-only process answers /healthz with 200 (it runs no scheduler, and says so)."""
    response = httpx.get(f"{api_process.url}/healthz", timeout=10)
    return response.status_code == 200 and response.json()["checks"]["scheduler"] == "disabled in this process"
