"""The guarded httpx transport over real HTTP(S) on 127.0.0.1: refusals happen before any socket, connections go
to the checked address (Host and TLS name unchanged), redirects are re-checked and capped, answers are bounded in
time and size. Other addresses are only inputs of an injected resolver, never connected to."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx
import pytest

from octopost.media.fetch import MediaFetchError, fetch_media
from octopost.net.guard import NetworkGuard
from octopost.net.hosts import Resolver, system_resolver
from octopost.net.transport import DeadlineExceeded, GuardedTransport, RefusedConnection, ResponseTooLarge
from octopost.runtime import MAX_REDIRECTS
from tests.net.servers import PNG, WATCH, TestServer, self_signed, serving


def client(
    allowlist: str = "",
    resolver: Resolver = system_resolver,
    *,
    total_timeout: float = 30.0,
    max_bytes: int = 10_000_000,
    verify: object = True,
) -> httpx.AsyncClient:
    transport = GuardedTransport(
        NetworkGuard.create(allowlist, resolver),
        total_timeout=total_timeout,
        max_response_bytes=max_bytes,
        verify=verify,  # type: ignore[arg-type]
    )
    return httpx.AsyncClient(transport=transport, timeout=5.0, max_redirects=MAX_REDIRECTS)


class Rebinding:
    """Answers the checked address first and the cloud metadata address on every later lookup."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, name: str, port: int) -> Sequence[str]:
        self.asked.append(name)
        return ["127.0.0.1"] if len(self.asked) == 1 else ["169.254.169.254"]


@pytest.fixture
def server() -> Iterator[TestServer]:
    with serving() as running:
        yield running


@pytest.mark.parametrize("host", ["127.0.0.1", "2130706433", "0x7f.1", "127.1", "[::ffff:127.0.0.1]"])
async def test_refused_before_any_socket_is_opened(server: TestServer, host: str) -> None:
    async with client() as http:
        with WATCH.watching() as watch, pytest.raises(RefusedConnection) as refused:
            await http.get(server.url(host=host))
    assert "resolves to a private address" in str(refused.value)
    assert "loopback" in refused.value.refusal.reason
    assert watch.connects == []
    assert watch.lookups == []
    assert server.seen.connections == 0


async def test_allowlisted_ranges_are_reached(server: TestServer) -> None:
    async with client("127.0.0.0/8") as http:
        response = await http.get(server.url())
    assert response.status_code == 200
    assert response.content == PNG
    assert server.seen.connections == 1


async def test_one_lookup_per_connection_and_the_checked_address_is_used(server: TestServer) -> None:
    """DNS rebinding: a second lookup would answer the metadata address. There is none for this connection
    (Host still names the host); a new connection looks up again, and that answer is refused."""
    dns = Rebinding()
    async with client("127.0.0.1/32", dns) as http:
        for _ in range(2):
            assert (await http.get(server.url(host="rebind.test"))).status_code == 200
    assert dns.asked == ["rebind.test"]
    assert server.seen.requests == [("/ok", f"rebind.test:{server.port}")] * 2
    async with client("127.0.0.1/32", dns) as http:
        with WATCH.watching() as watch, pytest.raises(RefusedConnection, match="cloud metadata service"):
            await http.get(server.url(host="rebind.test"))
    assert watch.connects == []
    assert server.seen.connections == 1


async def test_tls_keeps_the_host_name_for_sni_and_the_certificate(tmp_path: Path) -> None:
    server_tls, client_tls = self_signed("pinned.test", tmp_path)
    with serving(tls=server_tls) as server:
        async with client("127.0.0.1/32", lambda name, port: ["127.0.0.1"], verify=client_tls) as http:
            response = await http.get(server.url(host="pinned.test", scheme="https"))
        assert response.status_code == 200
        assert server.seen.server_names == ["pinned.test"]
        assert server.seen.requests == [("/ok", f"pinned.test:{server.port}")]


async def test_every_redirect_hop_is_checked_again(server: TestServer) -> None:
    target = server.url(host="127.0.0.2")  # loopback too, but outside the allowlist
    async with client("127.0.0.1/32") as http:
        with WATCH.watching() as watch, pytest.raises(RefusedConnection) as refused:
            await http.get(server.url(f"/redirect?to={target}"), follow_redirects=True)
    assert refused.value.refusal.host == "127.0.0.2"
    assert [address[0] for address in watch.connects] == ["127.0.0.1"]  # the first hop only


async def test_redirect_hops_are_capped(server: TestServer) -> None:
    async with client("127.0.0.1/32") as http:
        with pytest.raises(httpx.TooManyRedirects):
            await http.get(server.url("/loop"), follow_redirects=True)
    assert len(server.seen.requests) == MAX_REDIRECTS + 1


async def test_a_slow_drip_ends_at_the_total_deadline(server: TestServer) -> None:
    """Each byte comes well within the read timeout (5 s); only the total deadline can end this."""
    async with client("127.0.0.1/32", total_timeout=0.5) as http:
        with pytest.raises(DeadlineExceeded, match=r"no complete answer from 127\.0\.0\.1 within 0\.5 s"):
            await http.get(server.url("/drip"))
    assert server.seen.dripped > 0


async def test_answers_over_the_cap_are_cut(server: TestServer) -> None:
    async with client("127.0.0.1/32", max_bytes=1_000_000) as http:
        with pytest.raises(ResponseTooLarge, match="is over 1,0"):
            await http.get(server.url("/big?bytes=3000000"))
        with pytest.raises(ResponseTooLarge, match="declares 5,000,000 bytes"):
            await http.get(server.url("/declared?bytes=5000000"))
        assert (await http.get(server.url("/big?bytes=500000"))).status_code == 200


async def test_media_fetch_says_what_stopped_it(server: TestServer) -> None:
    async with client("127.0.0.1/32", total_timeout=0.5, max_bytes=1_000_000) as http:

        async def failure(url: str) -> str:
            with pytest.raises(MediaFetchError) as failed:
                await fetch_media(http, url, kind="image", max_bytes=1_000_000)
            return str(failed.value)

        direct = server.url(host="2130706434")
        assert await failure(direct) == f"media URL {direct} resolves to a private address (127.0.0.2: loopback)"
        hop = server.url(f"/redirect?to={server.url(host='127.0.0.2')}")
        assert await failure(hop) == (
            f"media URL {hop} redirects to 127.0.0.2, which resolves to a private address (127.0.0.2: loopback)"
        )
        big = server.url("/big?bytes=3000000")
        assert await failure(big) == f"media {big} is over the 1000000-byte cap"
        drip = server.url("/drip")
        assert await failure(drip) == f"media {drip}: no complete answer from 127.0.0.1 within 0.5 s"
        item = await fetch_media(http, server.url(), kind="image", max_bytes=1_000_000)
        assert (item.width, item.height) == (1, 1)
