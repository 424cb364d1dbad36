"""Which addresses the guard refuses, in every spelling (pure: addresses are only inputs here, never connected)."""

from __future__ import annotations

from ipaddress import ip_address

import pytest

from octopost.net.addresses import parse_allowlist, refusal
from octopost.net.hosts import literal_address, normalize

REFUSED = [
    ("127.0.0.1", "loopback"),
    ("127.255.255.254", "loopback"),
    ("10.0.0.1", "private"),
    ("172.16.5.4", "private"),
    ("192.168.1.1", "private"),
    ("169.254.1.1", "link-local"),
    ("169.254.169.254", "cloud metadata"),
    ("100.100.100.200", "cloud metadata"),
    ("100.64.0.1", "CGNAT"),
    ("0.0.0.0", "unspecified"),
    ("224.0.0.251", "multicast"),
    ("239.255.255.250", "multicast"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "reserved"),
    ("192.0.2.1", "documentation"),
    ("198.18.0.1", "benchmarking"),
    ("::1", "loopback"),
    ("::", "unspecified"),
    ("fe80::1", "link-local"),
    ("fc00::1", "private"),
    ("fd12:3456::1", "private"),
    ("fd00:ec2::254", "cloud metadata"),
    ("fec0::1", "site-local"),
    ("ff02::1", "multicast"),
    ("2001:db8::1", "documentation"),
    ("2001::1", "reserved"),  # Teredo, inside the IETF protocol assignments
    ("100::1", "reserved"),
    ("64:ff9b:1::a", "private"),
    ("4000::1", "reserved"),  # outside 2000::/3, the only global unicast range
    # IPv4 addresses in IPv6 clothing are judged by the IPv4 address they carry
    ("::ffff:127.0.0.1", "loopback, in IPv4-mapped form"),
    ("::ffff:169.254.169.254", "cloud metadata service, in IPv4-mapped form"),
    ("::ffff:10.0.0.1", "private, in IPv4-mapped form"),
    ("::127.0.0.1", "loopback, in IPv4-compatible form"),
    ("::8.8.8.8", "IPv4-compatible (deprecated)"),
    ("64:ff9b::7f00:1", "loopback, in NAT64 form"),
    ("64:ff9b::a9fe:a9fe", "cloud metadata service, in NAT64 form"),
    ("2002:7f00:1::1", "loopback, in 6to4 form"),
    ("2002:c0a8:101::1", "private, in 6to4 form"),
]

# Public addresses, as inputs to the pure check only.
ALLOWED = ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "::ffff:93.184.216.34", "64:ff9b::5db8:d822"]


@pytest.mark.parametrize(("address", "reason"), REFUSED)
def test_refused_addresses_say_why(address: str, reason: str) -> None:
    found = refusal(ip_address(address))
    assert found is not None, address
    assert reason in found


@pytest.mark.parametrize("address", ALLOWED)
def test_public_addresses_are_allowed(address: str) -> None:
    assert refusal(ip_address(address)) is None


def test_allowlist_opens_exactly_its_ranges() -> None:
    allowlist = parse_allowlist(" 127.0.0.0/8 , fd00::/8,")
    assert refusal(ip_address("127.0.0.2"), allowlist) is None
    assert refusal(ip_address("::ffff:127.0.0.2"), allowlist) is None  # the same address in mapped form
    assert refusal(ip_address("fd00:ec2::254"), allowlist) is None  # an operator may allow even this
    assert refusal(ip_address("10.0.0.1"), allowlist) == "private"
    assert refusal(ip_address("::1"), allowlist) == "loopback"
    assert parse_allowlist("") == ()
    with pytest.raises(ValueError, match="does not appear to be an IPv4 or IPv6 network"):
        parse_allowlist("127.0.0.0/8,localhost")


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0x7F000001", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("127.0.1", "127.0.0.1"),
        ("127.0.0.1.", "127.0.0.1"),
        ("[::ffff:127.0.0.1]", "::ffff:127.0.0.1"),
        ("[::FFFF:7F00:1]", "::ffff:127.0.0.1"),
        ("0251.0376.0251.0376", "169.254.169.254"),
        ("2852039166", "169.254.169.254"),
        ("[fd00:ec2::254]", "fd00:ec2::254"),
    ],
)
def test_every_spelling_of_an_address_is_read_as_that_address(host: str, address: str) -> None:
    assert literal_address(host) == ip_address(address)
    assert refusal(ip_address(address)) is not None


@pytest.mark.parametrize("host", ["localhost", "1.2.3.4.5", "256.1", "08.1", "0x", "example.com", "1e3"])
def test_names_and_invalid_numbers_are_not_literals(host: str) -> None:
    if host == "0x":
        assert literal_address(host) == ip_address("0.0.0.0")  # inet_aton reads a bare 0x as zero
    else:
        assert literal_address(host) is None


def test_host_names_are_normalized_before_lookup() -> None:
    assert normalize("LOCALHOST.") == "localhost"
    assert normalize("[::1]") == "::1"
    assert normalize("Bücher.Example.") == "xn--bcher-kva.example"
