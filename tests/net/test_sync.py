"""The guard for requests-based SDKs: a guarded requests session, and Mastodon.py wired through it the way the
account factory wires it (``sync_transport``), over real HTTP on 127.0.0.1."""

from __future__ import annotations

import functools
from collections.abc import Iterator

import httpx
import pytest
import requests

from adapters.base import Transient
from adapters.mastodon import MastodonAdapter
from octopost.net.guard import NetworkGuard
from octopost.net.sync import GuardedHTTPAdapter, guarded_session
from tests.net.servers import WATCH, TestServer, serving


@pytest.fixture
def server() -> Iterator[TestServer]:
    with serving() as running:
        yield running


@pytest.mark.parametrize("host", ["127.0.0.1", "2130706433", "[::ffff:127.0.0.1]", "localhost"])
def test_refused_before_any_socket_is_opened(server: TestServer, host: str) -> None:
    session = guarded_session(NetworkGuard.create("", lambda name, port: ["127.0.0.1"]))
    with WATCH.watching() as watch, pytest.raises(requests.ConnectionError, match="resolves to a private address"):
        session.get(server.url(host=host), timeout=5)
    session.close()
    assert watch.connects == []
    assert watch.lookups == []
    assert server.seen.connections == 0


def test_allowlisted_and_pinned_with_the_host_name_kept(server: TestServer) -> None:
    asked: list[str] = []

    def dns(name: str, port: int) -> list[str]:
        asked.append(name)
        return ["127.0.0.1"]

    with guarded_session(NetworkGuard.create("127.0.0.1/32", dns)) as session:
        response = session.get(server.url(host="pinned.test"), timeout=5)
    assert response.status_code == 200
    assert asked == ["pinned.test"]
    assert server.seen.requests == [("/ok", f"pinned.test:{server.port}")]


def test_proxies_from_the_environment_are_not_used(server: TestServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy would make the connection (and would be what the guard checks): the guard connects itself."""
    with serving() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url("/"))
        monkeypatch.setenv("NO_PROXY", "")
        with guarded_session(NetworkGuard.create("127.0.0.1/32")) as session:
            assert session.get(server.url(), timeout=5).status_code == 200
        assert proxy.seen.connections == 0
    assert server.seen.connections == 1


async def test_mastodon_sdk_goes_through_the_guard(server: TestServer) -> None:
    guard = NetworkGuard.create("")
    async with httpx.AsyncClient() as http:
        adapter = MastodonAdapter.build(
            base_url=server.url("").rstrip("/"),
            credentials={"access_token": "x"},
            http=http,
            sync_transport=functools.partial(GuardedHTTPAdapter, guard),
        )
        try:
            with WATCH.watching() as watch, pytest.raises(Transient, match="resolves to a private address"):
                await adapter.verify()
        finally:
            await adapter.aclose()
    assert watch.connects == []
    assert server.seen.connections == 0
