"""Octopost itself as a peer: `octopost serve` (API + scheduler) as a real subprocess on 127.0.0.1."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from octopost.db import Database
from octopost.keys.service import create_key
from tests.peers.ports import free_port, stop, wait_until

REPO = Path(__file__).resolve().parents[2]
OCTOPOST = Path(sys.executable).parent / "octopost"


def _run_async(coro):  # type: ignore[no-untyped-def]
    """Run a coroutine from sync or async test code alike (in a thread with its own loop)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


_PORT_TRIES = 3


class _PortTaken(RuntimeError):
    """Another test's server bound the port free_port() found free before our process could."""


@dataclass
class OctopostProcess:
    """One running service: its URL, its data directory, and helpers to get keys and clients."""

    data_dir: Path
    port: int
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    _clients: list[httpx.Client] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def database_url(self) -> str:
        return self.env["OCTOPOST_DATABASE_URL"]

    def start(self, *args: str) -> OctopostProcess:
        for _ in range(_PORT_TRIES):
            with self.log_path.open("ab") as log:  # the child keeps its own copy of the descriptor
                self.process = subprocess.Popen(
                    [str(OCTOPOST), "serve", *args],
                    cwd=self.data_dir,
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            try:
                wait_until(self._healthy, timeout=30, what=f"octopost on :{self.port}", process=self.process)
                return self
            except RuntimeError as exc:
                lost_bind = self.process.poll() is not None and "address already in use" in self.log_text()[-2000:]
                if not (isinstance(exc, _PortTaken) or lost_bind):
                    raise
                stop(self.process)
                self.port = free_port()  # before any client saw the URL: start over on another port
                self.env["OCTOPOST_PORT"] = str(self.port)
        raise RuntimeError(f"octopost found its port taken {_PORT_TRIES} times")

    def _healthy(self) -> bool:
        """Healthy, and ours: free_port() only found the port free a moment ago, so another test's server may have
        bound it first; the worker id /healthz names (host:pid:random) must carry our process's pid."""
        try:
            answer = httpx.get(f"{self.url}/healthz", timeout=1)
        except httpx.HTTPError:
            return False
        if answer.status_code != 200:
            return False
        worker = str(answer.json().get("worker", ""))
        if self.process is not None and f":{self.process.pid}:" not in worker:
            raise _PortTaken(f"port {self.port} is answered by another server ({worker})")
        return True

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs (a crash)."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        for client in self._clients:
            client.close()
        if self.process:
            stop(self.process)

    def new_key(self, workspace: str = "default", mode: str = "live", scopes: list[str] | None = None) -> str:
        async def make() -> str:
            db = Database(self.database_url)
            try:
                return (await create_key(db, name="test", workspace=workspace, mode=mode, scopes=scopes)).secret
            finally:
                await db.dispose()

        return str(_run_async(make()))

    def client(self, key: str | None = None, workspace: str = "default") -> httpx.Client:
        """An HTTP client authenticated with ``key`` (a new key in ``workspace`` when not given)."""
        key = key or self.new_key(workspace)
        client = httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {key}"}, timeout=30)
        self._clients.append(client)
        return client

    def sibling(self) -> OctopostProcess:
        """Another process on the same data directory and database (another worker), on its own port."""
        port = free_port()
        return OctopostProcess(
            data_dir=self.data_dir,
            port=port,
            env={**self.env, "OCTOPOST_PORT": str(port)},
            log_path=self.log_path.with_name(f"{self.log_path.stem}-{port}.log"),
        )

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")


def make_octopost(tmp: Path, database_url: str | None = None, **env: str) -> OctopostProcess:
    """A configured (not yet started) service with its own data directory, on ``database_url`` (default: a new
    SQLite file in that directory)."""
    data = tmp / "octopost-data"
    data.mkdir(parents=True, exist_ok=True)
    port = free_port()
    full_env = {
        **os.environ,
        "OCTOPOST_HOST": "127.0.0.1",
        "OCTOPOST_PORT": str(port),
        "OCTOPOST_DATA_DIR": str(data),
        "OCTOPOST_DATABASE_URL": database_url or f"sqlite+aiosqlite:///{data / 'octopost.db'}",
        "OCTOPOST_SECRET_KEY": "test-secret-key-not-for-production",
        "OCTOPOST_TICK_SECONDS": "0.2",
        # Every peer in the tests listens on loopback, which the SSRF guard refuses by default.
        "OCTOPOST_NETWORK_ALLOWLIST": "127.0.0.0/8",
        **env,
    }
    return OctopostProcess(data_dir=data, port=port, env=full_env, log_path=tmp / "octopost.log")


@pytest.fixture(scope="module")
def octopost(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OctopostProcess]:
    """A running service shared by one test module (tests isolate themselves with fresh workspaces)."""
    service = make_octopost(tmp_path_factory.mktemp("octopost")).start()
    yield service
    service.stop()


@pytest.fixture
def api(octopost: OctopostProcess, request: pytest.FixtureRequest) -> httpx.Client:
    """A client with a fresh key in a workspace of its own for this test."""
    return octopost.client(workspace=f"ws-{request.node.name}"[:180])
