"""The stack every scheduler benchmark starts: platform fakes with latency, the service (`octopost serve
--no-scheduler` and N `octopost worker` processes, on SQLite or on a throwaway PostgreSQL server), accounts
connected over the API, and bulk seeding (bench/seeding.py)."""

from __future__ import annotations

import argparse
import secrets
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.seeding import seed_posts, workspace_of_key
from octopost.db import utcnow
from tests.fakes.core import Conditions
from tests.fakes.discord import CHANNEL_ID as DISCORD_CHANNEL
from tests.fakes.running import RunningFake, running_fake
from tests.peers.app import OCTOPOST, OctopostProcess, make_octopost
from tests.peers.ports import stop
from tests.peers.postgres import run_async, running_postgres
from tests.scheduler.flows import connect

_CREDENTIALS = {
    "mastodon": lambda run: {"access_token": f"bench-{run}"},
    "bluesky": lambda run: {"identifier": f"bench{run}.fake.test", "password": "bench"},
    "twitter": lambda run: {"access_token": f"bench-{run}"},
    "discord": lambda run: {"bot_token": f"bench-{run}", "channel_id": DISCORD_CHANNEL},
}


def fake_credentials(platform: str, run: str) -> dict[str, str]:
    """Credentials the platform's fake accepts, distinct per run (its accounts then hold only this run's posts)."""
    return _CREDENTIALS[platform](run)


@dataclass
class Stack:
    """A running service on fakes: where its database is, whose posts to seed, and the scheduler processes."""

    database_url: str
    workspace_id: str
    fakes: dict[str, RunningFake]
    api: OctopostProcess
    run: str  # distinct per stack: in the texts of its posts and the credentials of its accounts
    schedulers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def seed(self, count: int, platforms: list[str], due, content) -> list[str]:  # type: ignore[no-untyped-def]
        return list(run_async(seed_posts(self.database_url, self.workspace_id, count, platforms=platforms, due=due,
                                         content=content)))

    def seed_split(
        self,
        count: int,
        platforms: list[str],
        due: Callable[[int, int], datetime],
        content: Callable[[int, int], str],
    ) -> dict[str, datetime]:
        """``count`` posts shared out between ``platforms``, each post to one of them (half the rows of posting to
        both of two): the i-th platform's n-th post is due at ``due(i, n)`` with the text ``content(i, n)``. The
        last platform takes the remainder. Returns each post's text → its due time."""
        seeded: dict[str, datetime] = {}
        share = count // len(platforms)
        for index, platform in enumerate(platforms):
            mine = share if index < len(platforms) - 1 else count - share * index
            rows = [(content(index, n), due(index, n)) for n in range(mine)]
            self.seed(mine, [platform], lambda n, r=rows: r[n][1], lambda n, r=rows: r[n][0])
            seeded.update(rows)
        return seeded

    def seed_far(self, count: int, platforms: list[str]) -> None:
        """``count`` posts due in a month (seed_split): rows every claim and wake-up query must not wade through."""
        far = utcnow() + timedelta(days=30)
        self.seed_split(count, platforms, lambda i, n: far + timedelta(seconds=n), lambda i, n: f"far {i} {n}")

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
            connect(client, platform, fake.url, fake_credentials(platform, run))
        workspace = run_async(workspace_of_key(api.database_url, key))
        result = Stack(database_url=api.database_url, workspace_id=workspace, fakes=fakes, api=api, run=run)
        stack.callback(lambda: [stop(p) for p in result.schedulers])
        result.start_schedulers(workers)
        yield result


def add_stack_arguments(parser: argparse.ArgumentParser) -> None:
    """The options every scheduler benchmark takes."""
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL server and N workers")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--latency-ms", type=float, default=50.0, help="each fake's answer time")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="an OCTOPOST_* setting")


def settings_of(args: argparse.Namespace) -> dict[str, str]:
    return dict(item.split("=", 1) for item in args.set)
