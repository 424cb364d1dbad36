"""check_url: the up-front check of a user-supplied URL (a 422 at the API edge). Reserved names and addresses
are only inputs here: the resolver is injected, and the audit watch proves no socket or system lookup happened."""

from __future__ import annotations

import socket
from collections.abc import Sequence

import pytest

from octopost.errors import ValidationFailed
from octopost.net.addresses import IPAddress
from octopost.net.guard import UrlRefused, check_url
from tests.net.servers import WATCH


class FakeDns:
    """A resolver from a table; records every name asked (and refuses names it does not know)."""

    def __init__(self, table: dict[str, Sequence[str]]) -> None:
        self.table = table
        self.asked: list[str] = []

    def __call__(self, name: str, port: int) -> Sequence[IPAddress | str]:
        self.asked.append(name)
        if name not in self.table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return self.table[name]


NOWHERE = FakeDns({})


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("http://127.0.0.1/", "(127.0.0.1: loopback)"),
        ("http://2130706433/", "(127.0.0.1: loopback)"),
        ("http://0x7f.1/", "(127.0.0.1: loopback)"),
        ("http://017700000001:8080/x", "(127.0.0.1: loopback)"),
        ("http://127.1/", "(127.0.0.1: loopback)"),
        ("http://127.0.0.1./", "(127.0.0.1: loopback)"),
        ("http://[::ffff:127.0.0.1]/", "(::ffff:7f00:1: loopback, in IPv4-mapped form)"),
        ("http://[::1]:80/", "(::1: loopback)"),
        ("https://169.254.169.254/latest/meta-data/", "(169.254.169.254: cloud metadata service)"),
        ("http://[fd00:ec2::254]/latest/meta-data/", "(fd00:ec2::254: cloud metadata service)"),
        ("http://100.100.100.200/latest/meta-data/", "(100.100.100.200: cloud metadata service)"),
        ("http://10.0.0.1/", "(10.0.0.1: private)"),
        ("http://0.0.0.0:8000/", "(0.0.0.0: unspecified)"),
    ],
)
async def test_addresses_in_any_spelling_are_refused_without_a_lookup(url: str, fragment: str) -> None:
    with WATCH.watching() as watch, pytest.raises(UrlRefused) as refused:
        await check_url(url, "", what="media URL", resolver=NOWHERE)
    assert str(refused.value) == f"media URL {url} resolves to a private address {fragment}"
    assert watch.connects == []
    assert watch.lookups == []
    assert NOWHERE.asked == []


async def test_names_are_resolved_once_and_refused_if_any_address_is() -> None:
    dns = FakeDns(
        {
            "localhost": ["127.0.0.1"],
            "mixed.example": ["93.184.216.34", "10.1.2.3"],  # one public, one private: refused
            "xn--bcher-kva.example": ["192.168.0.7"],
            "public.example": ["93.184.216.34", "2606:4700:4700::1111"],
        }
    )
    with WATCH.watching() as watch:
        for url, fragment in [
            ("HTTP://LOCALHOST./", "(127.0.0.1: loopback)"),
            ("https://mixed.example/hook", "(10.1.2.3: private)"),
            ("https://BÜCHER.example/", "(192.168.0.7: private)"),
        ]:
            with pytest.raises(UrlRefused) as refused:
                await check_url(url, resolver=dns)
            assert str(refused.value) == f"url {url} resolves to a private address {fragment}"
        await check_url("https://public.example/hook", resolver=dns)  # allowed: nothing raised
    assert dns.asked == ["localhost", "mixed.example", "xn--bcher-kva.example", "public.example"]
    assert watch.connects == []
    assert watch.lookups == []


async def test_allowlist_lets_private_ranges_through() -> None:
    await check_url("http://127.0.0.1:9/", "127.0.0.0/8", resolver=NOWHERE)
    await check_url("http://[::ffff:127.0.0.1]:9/", "127.0.0.0/8", resolver=NOWHERE)
    with pytest.raises(UrlRefused, match=r"\(127.0.0.2: loopback\)"):
        await check_url("http://127.0.0.2/", "127.0.0.1/32", resolver=NOWHERE)


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("ftp://example.com/x", "must be an http(s) URL"),
        ("file:///etc/passwd", "must be an http(s) URL"),
        ("http:///nohost", "must be an http(s) URL"),
        ("http://unknown.example/", "does not resolve"),
        ("http://[::1/", "not a valid URL"),
    ],
)
async def test_other_bad_urls_are_validation_errors(url: str, fragment: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        await check_url(url, what="base_url", resolver=NOWHERE)
    assert fragment in refused.value.message
    assert refused.value.status_code == 422
    assert refused.value.details == {"errors": [refused.value.message]}
