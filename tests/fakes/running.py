"""Start a platform fake as a subprocess on 127.0.0.1 and talk to its control plane (tests and bench scripts)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fakes.core import Conditions
from tests.peers.ports import free_port, port_open, stop, wait_until

REPO = Path(__file__).resolve().parents[2]


@dataclass
class RunningFake:
    platform: str
    url: str
    log_path: Path

    def created(self) -> list[dict[str, Any]]:
        """Everything the platform created, in order (id, account, text, idempotency_key, reply_to, received_at)."""
        return list(self._control("GET", "created"))

    def duplicates(self) -> int:
        """Objects beyond the first with the same (account, text): each one is a post seen twice."""
        seen = Counter((item["account"], item["text"]) for item in self.created())
        return sum(count - 1 for count in seen.values())

    def stats(self) -> dict[str, int]:
        return dict(self._control("GET", "stats"))

    def set_conditions(self, conditions: Conditions) -> None:
        self._control("PUT", "conditions", asdict(conditions))

    def reset(self) -> None:
        self._control("POST", "reset")

    def trust_authorization_server(self, issuer: str, client_id: str) -> None:
        """Accept the OAuth peer's access tokens for ``client_id`` (with their scopes) besides the fake's own."""
        self._control("PUT", "authorization_server", {"issuer": issuer, "client_id": client_id})

    def control(self, method: str, name: str, body: Any = None) -> Any:
        """A platform's own control route (``PUT instance`` on Mastodon's fake: the instance's status limit)."""
        return self._control(method, name, body)

    def _control(self, method: str, name: str, body: Any = None) -> Any:
        response = httpx.request(method, f"{self.url}/_fake/{name}", json=body, timeout=60)
        response.raise_for_status()
        return response.json()


def fake_per_module(platform: str) -> Any:
    """A module-scoped fixture: one running fake of ``platform`` shared by the module's tests (a process start is
    the expensive part); pair it with ``calm`` for a clean record per test."""

    @pytest.fixture(scope="module")
    def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningFake]:
        with running_fake(platform, tmp_path_factory.mktemp(f"fake-{platform}")) as fake:
            yield fake

    return running


@contextmanager
def calm(fake: RunningFake) -> Iterator[RunningFake]:
    """``fake`` with its record emptied and its conditions calm for one test, and calm again after it."""
    fake.set_conditions(Conditions())
    fake.reset()
    try:
        yield fake
    finally:
        fake.set_conditions(Conditions())


@contextmanager
def running_fake(platform: str, work: Path, conditions: Conditions | None = None) -> Iterator[RunningFake]:
    port = free_port()
    log_path = work / f"fake-{platform}-{port}.log"
    command = [
        sys.executable,
        "-m",
        "tests.fakes.serve",
        platform,
        "--port",
        str(port),
        "--conditions",
        json.dumps(asdict(conditions or Conditions())),
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: port_open(port), timeout=30, what=f"fake {platform}", process=process)
        yield RunningFake(platform=platform, url=f"http://127.0.0.1:{port}", log_path=log_path)
    finally:
        stop(process)
