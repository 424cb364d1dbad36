"""What the ColibriSM tests through the API share (tests/api/test_colibri*_through_the_api.py): images to post,
the credentials an account was stored with, and a worker killed while a segment is in flight (the crash-resume
pattern of tests/scheduler/test_crash_resume.py: a holding proxy in front of the fake site)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from octopost.crypto import CredentialCipher
from tests.media import make_png
from tests.peers.app import OctopostProcess, make_octopost
from tests.peers.databases import fetch
from tests.peers.media_server import MediaServer
from tests.peers.proxy import holding_proxy
from tests.scheduler.flows import connect, finish_with_another_worker, ledger, wait_for

LEASE = {"OCTOPOST_LEASE_SECONDS": "2"}


@dataclass(frozen=True)
class Picture:
    url: str
    sha256: str  # as the fake site records each file it holds


def picture(media_server: MediaServer, name: str, shade: int) -> Picture:
    data = make_png(4, 3, (shade, 90, 30))
    return Picture(media_server.add(f"/colibri/{name}.png", data, "image/png"), hashlib.sha256(data).hexdigest())


def stored_credentials(service: OctopostProcess, account_id: str) -> dict[str, str]:
    (encrypted,) = fetch(
        service.database_url, "SELECT credentials_encrypted FROM account WHERE id = :id", id=account_id
    )[0]
    return dict(CredentialCipher(service.env["OCTOPOST_SECRET_KEY"]).decrypt(encrypted))


def refused(api: httpx.Client, platform: str, base_url: str, credentials: dict[str, str]) -> str:
    """The 422 a connect answers (its text)."""
    answer = api.post("/v1/accounts", json={"platform": platform, "base_url": base_url, "credentials": credentials})
    assert answer.status_code == 422, answer.text
    return answer.text


def crash_on_second_segment(
    tmp_path: Path,
    platform: str,
    site_url: str,
    credentials: dict[str, str],
    endpoint: str,
    *,
    forward: bool,
    landed: Callable[[], bool],
    post: dict[str, Any],
) -> dict[str, Any]:
    """Publish ``post`` through a proxy that holds segment 2's ``endpoint`` call, kill the worker there, let the held
    call reach the site (``forward``, then wait until ``landed``) or drop it, and finish with a second worker on the
    same database: the post as that worker leaves it."""
    hold = lambda m, p, n: m == "POST" and p == f"/mobile_api/{endpoint}" and n == 2  # noqa: E731
    with holding_proxy(site_url, hold) as proxy:
        first = make_octopost(tmp_path / "first", **LEASE).start()
        key = first.new_key()
        try:
            api = first.client(key)
            connect(api, platform, proxy.url, credentials)
            created = api.post("/v1/posts", json={**post, "platforms": [platform]}).json()
            assert api.post(f"/v1/posts/{created['id']}/publish").status_code == 200
            wait_for(proxy.held.is_set, timeout=60, what="segment 2 reaching the site")
            states = [(row[1], row[2]) for row in ledger(first.data_dir / "octopost.db", created["id"])]
            assert states == [(0, "sent"), (1, "sending")], states
            first.kill()
            proxy.release(forward=forward)
            if forward:
                wait_for(landed, timeout=30, what="the held call landing")
        finally:
            first.kill()  # a no-op when it was killed above: the second worker starts on a dead one's work only
        return finish_with_another_worker(first, key, created["id"])
