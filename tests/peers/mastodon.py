"""mastodon_mock 0.6.1 (an independent, stateful Mastodon mock) on 127.0.0.1, one per session.

Seeded with one account, ``testuser``, whose token is ``mock_token``; ``new_account()`` makes more (each
test should use its own, so reading statuses back needs no reset). Faults are injected through the mock's
control plane (``/api/v1/_mock/faults``), which faults never touch. A subprocess worker only needs
``mastodon_peer.url`` and a token.

What the mock does not do like a real instance: ``max_characters`` is fixed at 500 (counted in code
points), media are processed at once (200 with a URL, never 202: the recordings cover that), and a reply
to a missing status is accepted (real Mastodon: 404).
"""

from __future__ import annotations

import json
import secrets
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.peers.ports import free_port, wait_until

SEEDED_TOKEN = "mock_token"  # the mock's built-in seed account (testuser); not a real credential
_START_TIMEOUT = 30.0


@dataclass(frozen=True)
class MastodonAccount:
    id: str
    username: str
    token: str = field(repr=False)

    @property
    def credentials(self) -> dict[str, str]:
        """What an Octopost account stores for Mastodon."""
        return {"access_token": self.token}


@dataclass
class MastodonPeer:
    """A running mastodon_mock. ``url`` is the instance base URL; ``token`` the seeded account's token."""

    url: str
    token: str = field(repr=False)
    log_path: Path | None = None

    # ---- accounts --------------------------------------------------------------------------------------

    def new_account(self, username: str | None = None) -> MastodonAccount:
        """A fresh local account with its own token (mock-only ``/api/v1/_mock/dev_user``)."""
        name = username or f"octo_{secrets.token_hex(4)}"
        body = self._ok(httpx.post(f"{self.url}/api/v1/_mock/dev_user", json={"username": name}, timeout=10))
        return MastodonAccount(id=str(body["id"]), username=str(body["username"]), token=str(body["access_token"]))

    def account(self, token: str | None = None) -> dict[str, Any]:
        """The token's account (verify_credentials)."""
        return dict(self._get("/api/v1/accounts/verify_credentials", token))

    # ---- reading back ----------------------------------------------------------------------------------

    def statuses(self, token: str | None = None) -> list[dict[str, Any]]:
        """Every status of the token's account, newest first (follows the Link pagination)."""
        account_id = self.account(token)["id"]
        found: list[dict[str, Any]] = []
        url: str | None = f"{self.url}/api/v1/accounts/{account_id}/statuses?limit=40"
        with httpx.Client(headers=self._auth(token), timeout=10) as client:
            while url:
                response = self._ok_response(client.get(url))
                page = response.json()
                found.extend(page)
                url = response.links.get("next", {}).get("url") if page else None
        return found

    def status(self, status_id: str, token: str | None = None) -> dict[str, Any]:
        return dict(self._get(f"/api/v1/statuses/{status_id}", token))

    def context(self, status_id: str, token: str | None = None) -> dict[str, Any]:
        """``{"ancestors": [...], "descendants": [...]}`` of a status."""
        return dict(self._get(f"/api/v1/statuses/{status_id}/context", token))

    def instance(self, version: int = 2) -> dict[str, Any]:
        return dict(self._get(f"/api/v{version}/instance", None))

    # ---- faults and state ------------------------------------------------------------------------------

    def inject_fault(
        self,
        effect: dict[str, Any],
        count: int | None = 1,
        *,
        methods: list[str] | None = None,
        path: str | None = None,
        path_regex: str | None = None,
    ) -> str:
        """Add a fault rule; returns its id. ``effect`` is the mock's: {"type": "status"|"ratelimit"|"latency"|
        "malformed"|"timeout", "status", "body", "headers", "delay_ms"}. Without a match it hits the next
        ``count`` requests of any path (``count=None``: forever). ``timeout`` holds the request at least 30 s
        and then processes it."""
        match = {
            key: value for key, value in (("methods", methods), ("path", path), ("path_regex", path_regex)) if value
        }
        rule: dict[str, Any] = {"effect": effect, "count": count}
        if match:
            rule["match"] = match
        return str(self._ok(httpx.post(f"{self.url}/api/v1/_mock/faults", json=rule, timeout=10))["id"])

    def faults(self) -> list[dict[str, Any]]:
        """The active rules, each with its ``remaining`` budget."""
        return list(self._ok(httpx.get(f"{self.url}/api/v1/_mock/faults", timeout=10)))

    def clear_faults(self) -> None:
        self._ok(httpx.delete(f"{self.url}/api/v1/_mock/faults", timeout=10))

    def reset(self) -> None:
        """Back to the seed state: every account, status and fault rule is dropped (``mock_token`` stays valid)."""
        self._ok(httpx.post(f"{self.url}/api/v1/_mock/reset", timeout=30))

    # ---- plumbing --------------------------------------------------------------------------------------

    def _auth(self, token: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.token}"}

    def _get(self, path: str, token: str | None) -> Any:
        return self._ok(httpx.get(f"{self.url}{path}", headers=self._auth(token), timeout=10, follow_redirects=True))

    @staticmethod
    def _ok_response(response: httpx.Response) -> httpx.Response:
        if response.is_error:
            raise RuntimeError(
                f"mastodon_mock {response.request.method} {response.url.path}: {response.status_code} {response.text}"
            )
        return response

    def _ok(self, response: httpx.Response) -> Any:
        return self._ok_response(response).json()


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/api/v1/instance", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _mock_executable() -> str:
    candidate = Path(sys.executable).parent / "mastodon_mock"
    if not candidate.exists():
        pytest.fail(f"mastodon_mock is not installed next to {sys.executable}: run `make`", pytrace=False)
    return str(candidate)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop uvicorn: SIGINT asks for a graceful exit and a second SIGINT forces it (a request held by an
    injected ``timeout`` fault would otherwise keep it waiting up to 30 s; the state is in memory anyway),
    SIGKILL as the last resort."""
    for patience in (1.0, 5.0):
        if process.poll() is not None:
            return
        process.send_signal(signal.SIGINT)
        try:
            process.wait(patience)
            return
        except subprocess.TimeoutExpired:
            continue
    process.kill()
    process.wait(10)


@contextmanager
def running_mastodon_mock(work: Path) -> Iterator[MastodonPeer]:
    """Start mastodon_mock in ``work`` (also usable outside pytest, e.g. by bench scripts)."""
    media = work / "media"
    media.mkdir(parents=True, exist_ok=True)
    # An explicit config (and cwd) so a .mastodon_mock.toml or [tool.mastodon_mock] nearby cannot leak in.
    config = work / "mastodon_mock.toml"
    config.write_text(f"media_storage_path = {json.dumps(str(media))}\n\n[faults]\nenabled = true\n")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = work / "mastodon_mock.log"
    command = [
        _mock_executable(),
        "serve",
        "--in-memory",
        "--config",
        str(config),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=work, stdout=log, stderr=subprocess.STDOUT)
    try:
        try:
            wait_until(lambda: _ready(url), timeout=_START_TIMEOUT, what="mastodon_mock", process=process)
        except (TimeoutError, RuntimeError) as exc:
            tail = log_path.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{exc}\n--- mastodon_mock log ---\n{tail}") from None
        yield MastodonPeer(url=url, token=SEEDED_TOKEN, log_path=log_path)
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def mastodon_peer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MastodonPeer]:
    try:
        with running_mastodon_mock(tmp_path_factory.mktemp("mastodon-mock")) as peer:
            yield peer
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture
def mastodon_account(mastodon_peer: MastodonPeer) -> Iterator[MastodonAccount]:
    """A fresh account for one test; fault rules the test left behind are cleared afterwards."""
    yield mastodon_peer.new_account()
    mastodon_peer.clear_faults()
