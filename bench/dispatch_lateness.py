"""Dispatch lateness: SIZE posts (default 100,000) scheduled ahead, DUE of them (default 5,000) coming due evenly
inside one minute; how late does each one reach its platform? Lateness = the fake's `received_at` of the
creating request (the first remote call of a text post) - `scheduled_for`. The real service, adapters and HTTP
clients run against the Mastodon and Bluesky fakes (50 ms latency); due posts alternate between them.

    .venv/bin/python bench/dispatch_lateness.py [SIZE] [--due 5000] [--postgres] [--workers 2]

--postgres: a throwaway PostgreSQL server, `octopost serve --no-scheduler` and --workers `octopost worker`
processes (also reports duplicates); default: SQLite, one `octopost serve` with its scheduler.

This module also holds the stack every scheduler benchmark starts (`running_stack`).
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import Figure, emit
from bench.seeding import seed_posts, workspace_of_key
from octopost.db import utcnow
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake, running_fake
from tests.peers.app import OCTOPOST, OctopostProcess, make_octopost
from tests.peers.ports import stop
from tests.peers.postgres import run_async, running_postgres
from tests.scheduler.flows import connect

_CREDENTIALS = {
    "mastodon": lambda run: {"access_token": f"bench-{run}"},
    "bluesky": lambda run: {"identifier": f"bench{run}.fake.test", "password": "bench"},
    "twitter": lambda run: {"access_token": f"bench-{run}"},
}


@dataclass
class Stack:
    """A running service on fakes: where its database is, whose posts to seed, and the scheduler processes."""

    database_url: str
    workspace_id: str
    fakes: dict[str, RunningFake]
    api: OctopostProcess
    schedulers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    run: str = field(default_factory=lambda: secrets.token_hex(3))

    def seed(self, count: int, platforms: list[str], due, content) -> list[str]:  # type: ignore[no-untyped-def]
        return list(run_async(seed_posts(self.database_url, self.workspace_id, count, platforms=platforms, due=due,
                                         content=content)))

    def created(self) -> list[dict]:  # type: ignore[type-arg]
        return [item for fake in self.fakes.values() for item in fake.created()]

    def created_count(self) -> int:
        return sum(fake.stats()["created"] for fake in self.fakes.values())

    def wait_created(self, count: int, timeout: float) -> None:
        """Poll the fakes until they hold ``count`` objects (a deadline, not a sleep)."""
        deadline = time.monotonic() + timeout
        while (have := self.created_count()) < count:
            for process in self.schedulers:
                if process.poll() is not None:
                    raise RuntimeError(f"a scheduler process exited ({process.returncode})")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{have} of {count} platform posts within {timeout:.0f}s")
            time.sleep(0.2)  # polling interval

    def duplicates(self) -> int:
        return sum(fake.duplicates() for fake in self.fakes.values())

    def restart_schedulers(self) -> None:
        """Fresh scheduler processes (e.g. after seeding, so their memory is that of a start on this data)."""
        workers = len(self.schedulers)
        for process in self.schedulers:
            stop(process)
        self.schedulers.clear()
        self.start_schedulers(workers)

    def start_schedulers(self, workers: int) -> None:
        for n in range(workers):
            log = self.api.log_path.with_name(f"worker-{n}.log")
            with log.open("ab") as out:
                self.schedulers.append(
                    subprocess.Popen([str(OCTOPOST), "worker"], env=self.api.env, cwd=self.api.data_dir,
                                     stdout=out, stderr=out)
                )


@contextmanager
def running_stack(
    work: Path,
    *,
    platforms: list[str],
    latency_ms: float = 50.0,
    postgres: bool = False,
    workers: int = 1,
    settings: dict[str, str] | None = None,
) -> Iterator[Stack]:
    """Fakes of ``platforms``, an API-only `octopost serve` with an account on each, and ``workers`` `octopost
    worker` processes (on SQLite too: the measured process is then a scheduler alone on both dialects)."""
    env = {
        "OCTOPOST_RATE_LIMIT_PER_MINUTE": "0",
        "OCTOPOST_TICK_SECONDS": "1.0",  # the default (tests/peers/app.py shortens it for tests)
        **(settings or {}),
    }
    with ExitStack() as stack:
        url = None
        if postgres:
            server = stack.enter_context(running_postgres(max_connections=100))
            url = server.create_database("bench", migrated=True)
        fakes = {p: stack.enter_context(running_fake(p, work, Conditions(latency_ms=latency_ms))) for p in platforms}
        api = make_octopost(work, database_url=url, **env).start("--no-scheduler")
        stack.callback(api.stop)
        key = api.new_key()
        client = api.client(key)
        run = secrets.token_hex(3)
        for platform, fake in fakes.items():
            connect(client, platform, fake.url, _CREDENTIALS[platform](run))
        workspace = run_async(workspace_of_key(api.database_url, key))
        result = Stack(database_url=api.database_url, workspace_id=workspace, fakes=fakes, api=api, run=run)
        stack.callback(lambda: [stop(p) for p in result.schedulers])
        result.start_schedulers(workers)
        yield result


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("size", nargs="?", type=int, default=100_000, help="posts scheduled in all")
    parser.add_argument("--due", type=int, default=5_000, help="of which come due inside the minute")
    parser.add_argument("--window", type=float, default=60.0, help="seconds over which they come due")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="an OCTOPOST_* setting")
    args = parser.parse_args()
    settings = dict(item.split("=", 1) for item in args.set)
    platforms = ["bluesky", "mastodon"]
    with tempfile.TemporaryDirectory(prefix="octopost-lateness-") as tmp, running_stack(
        Path(tmp), platforms=platforms, latency_ms=args.latency_ms, postgres=args.postgres, workers=args.workers,
        settings=settings,
    ) as stack:
        started = time.monotonic()
        # The rest are due in a month: rows every claim and wake-up query must not wade through. Each post goes
        # to one platform (as the due ones do), which halves the seeding time.
        far = utcnow() + timedelta(days=30)
        rest = args.size - args.due
        for index, platform in enumerate(platforms):
            stack.seed(rest // 2 if index == 0 else rest - rest // 2, [platform],
                       lambda n: far + timedelta(seconds=n), lambda n, i=index: f"far {i} {n}")
        # The window opens a few seconds after seeding: every due post is in the database before its time.
        opens = utcnow() + timedelta(seconds=5)
        step = args.window / args.due
        due: dict[str, datetime] = {}

        def when(n: int) -> datetime:
            return opens + timedelta(seconds=n * step)

        for index, platform in enumerate(platforms):
            texts = lambda n, i=index: f"lateness {stack.run} {i} {n}"  # noqa: E731
            stack.seed(args.due // 2 if index == 0 else args.due - args.due // 2, [platform],
                       lambda n, i=index: when(2 * n + i), texts)
        for index in range(len(platforms)):
            count = args.due // 2 if index == 0 else args.due - args.due // 2
            for n in range(count):
                due[f"lateness {stack.run} {index} {n}"] = when(2 * n + index)
        seeded = time.monotonic() - started
        stack.wait_created(args.due, timeout=args.window + 120)
        created = stack.created()
        duplicates = stack.duplicates()
    late = [item["received_at"] - due[item["text"]].timestamp() for item in created if item["text"] in due]
    first = Counter(item["text"] for item in created if item["text"] in due)
    p50, p99 = percentile(late, 0.50), percentile(late, 0.99)
    dialect = f"PostgreSQL, {args.workers} workers" if args.postgres else f"SQLite, {args.workers} worker"
    met = p99 < 1.0 and p50 < 0.25 and duplicates == 0 and len(first) == args.due
    emit(Figure(
        benchmark=f"dispatch lateness ({args.size:,} scheduled, {args.due:,} due in {args.window:.0f} s, {dialect})",
        reference="scheduled_for",
        measured=f"p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, max {max(late) * 1000:.0f} ms, "
                 f"min {min(late) * 1000:.0f} ms, {duplicates} duplicates",
        ratio=None,
        target="p99 < 1 s; p50 < 250 ms; 0 duplicates",
        met=met,
        details={"p50_s": p50, "p99_s": p99, "mean_s": statistics.fmean(late), "max_s": max(late),
                 "due": args.due, "size": args.size, "duplicates": duplicates, "seed_s": seeded,
                 "postgres": args.postgres, "workers": args.workers},
    ))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
