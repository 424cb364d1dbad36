"""How reads scale with the number of posts stored: `GET /v1/posts?limit=100` at the start and in the middle
of the list, and `GET /v1/posts/{id}`, with SIZE posts (default 100,000) against the same requests with 1,000.

    .venv/bin/python bench/list_scaling.py [SIZE] [--reference 1000] [--rounds 200]

Two `octopost serve --no-scheduler` processes on SQLite, one per size, seeded straight through SQL
(bench/seeding.py). One client sends the requests one at a time, alternating between the two services in
small batches so that machine load hits both alike. The middle of the list is offset SIZE/2 (50,000 of
100k; 500 of 1k), so both sides return a full page of 100. Target: median ≤ 1.5x the reference.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from bench.report import Figure, emit, machine
from bench.seeding import seed_posts, workspace_of_key
from tests.peers.app import OctopostProcess, make_octopost
from tests.peers.postgres import run_async

PLATFORMS = ["mastodon", "bluesky"]
BATCH = 10
TARGET = 1.5

Send = Callable[[httpx.Client], httpx.Response]


class Service:
    def __init__(self, work: Path, size: int) -> None:
        # Rate limiting stays on (as deployed), its budget above what one sequential client sends.
        self.process: OctopostProcess = make_octopost(work, OCTOPOST_RATE_LIMIT_PER_MINUTE="1000000")
        self.process.start("--no-scheduler")
        key = self.process.new_key()
        self.api = self.process.client(key)
        started = time.perf_counter()
        workspace = run_async(workspace_of_key(self.process.database_url, key))
        self.ids = run_async(seed_posts(self.process.database_url, workspace, size, platforms=PLATFORMS))
        print(f"seeded {size:,} posts in {time.perf_counter() - started:.1f} s", flush=True)
        self.size = size
        self.cases: dict[str, Send] = {
            "list offset 0": lambda api: api.get("/v1/posts", params={"limit": 100, "offset": 0}),
            "list middle": lambda api: api.get("/v1/posts", params={"limit": 100, "offset": size // 2}),
            "get by id": lambda api: api.get(f"/v1/posts/{random.choice(self.ids)}"),
        }

    def check(self) -> None:
        """The answers are the real thing: full pages, the right total, the post asked for."""
        for name, send in self.cases.items():
            answer = send(self.api)
            assert answer.status_code == 200, (name, answer.status_code, answer.text[:200])
            body = answer.json()
            if name.startswith("list"):
                assert body["total"] == self.size, (name, body["total"])
                assert len(body["posts"]) == 100, (name, len(body["posts"]))

    def stop(self) -> None:
        self.process.stop()


def timed_ms(api: httpx.Client, send: Send) -> float:
    started = time.perf_counter()
    answer = send(api)
    elapsed = (time.perf_counter() - started) * 1000
    assert answer.status_code == 200, answer.status_code
    return elapsed


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", nargs="?", type=int, default=100_000, help="posts stored (the measured side)")
    parser.add_argument("--reference", type=int, default=1_000, help="posts stored on the reference side")
    parser.add_argument("--rounds", type=int, default=200, help="requests per kind and size")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="octopost-list-scaling-") as tmp:
        small = Service(Path(tmp) / "small", args.reference)
        large = Service(Path(tmp) / "large", args.size)
        try:
            timings: dict[tuple[str, int], list[float]] = {}
            for service in (small, large):
                service.check()
                for send in service.cases.values():  # warm-up: caches, compiled statements, page cache
                    for _ in range(BATCH):
                        send(service.api)
            for _ in range(max(args.rounds // BATCH, 1)):
                for case in small.cases:
                    for service in (small, large):
                        timings.setdefault((case, service.size), []).extend(
                            timed_ms(service.api, service.cases[case]) for _ in range(BATCH)
                        )
        finally:
            small.stop()
            large.stop()

    print(f"{machine()}; one client, sequential, {args.rounds} requests per kind and size")
    for case in small.cases:
        ref, big = timings[(case, args.reference)], timings[(case, args.size)]
        ratio = statistics.median(big) / statistics.median(ref)
        offset = {"list offset 0": "?limit=100&offset=0", "list middle": f"?limit=100&offset={args.size // 2:,}"}
        request = f"GET /v1/posts{offset[case]}" if case in offset else "GET /v1/posts/{id}"
        reference_request = request.replace(f"{args.size // 2:,}", f"{args.reference // 2:,}")
        emit(
            Figure(
                benchmark=f"{request} with {args.size:,} posts (SQLite)",
                reference=f"{reference_request} with {args.reference:,} posts: median {statistics.median(ref):.2f} ms, "
                f"p99 {p99(ref):.2f} ms",
                measured=f"median {statistics.median(big):.2f} ms, p99 {p99(big):.2f} ms",
                ratio=round(ratio, 3),
                target=f"≤ {TARGET}x (median)",
                met=ratio <= TARGET,
                details={
                    "size": args.size,
                    "reference_size": args.reference,
                    "requests": len(big),
                    "median_ms": round(statistics.median(big), 3),
                    "p99_ms": round(p99(big), 3),
                    "reference_median_ms": round(statistics.median(ref), 3),
                    "reference_p99_ms": round(p99(ref), 3),
                    "p99_ratio": round(p99(big) / p99(ref), 3),
                    "client": "one httpx client (keep-alive), sequential",
                    "posts": "drafts on mastodon+bluesky, seeded by bench/seeding.py",
                },
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
