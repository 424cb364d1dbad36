"""Which IP addresses outbound requests may reach: public unicast only, unless the operator allowlists a range.

Explicit tables rather than ``ipaddress``'s ``is_global``/``is_private``, whose lists differ between Python
versions. IPv6 forms that carry an IPv4 address (mapped, compatible, 6to4, NAT64) are judged by that address.
"""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_network

IPAddress = IPv4Address | IPv6Address
IPNetwork = IPv4Network | IPv6Network

# Cloud instance metadata services: named, so a refusal says what it protected.
_METADATA = {
    IPv4Address("169.254.169.254"): "cloud metadata service",  # AWS, GCP, Azure, OpenStack…
    IPv4Address("100.100.100.200"): "cloud metadata service",  # Alibaba Cloud
    IPv6Address("fd00:ec2::254"): "cloud metadata service",  # AWS over IPv6
}

_V4_REFUSED = tuple(
    (IPv4Network(cidr), reason)
    for cidr, reason in (
        ("0.0.0.0/8", "unspecified"),
        ("10.0.0.0/8", "private"),
        ("100.64.0.0/10", "shared address space (CGNAT)"),
        ("127.0.0.0/8", "loopback"),
        ("169.254.0.0/16", "link-local"),
        ("172.16.0.0/12", "private"),
        ("192.0.0.0/24", "IETF protocol assignments (reserved)"),
        ("192.0.2.0/24", "documentation (reserved)"),
        ("192.88.99.0/24", "6to4 relay anycast (reserved)"),
        ("192.168.0.0/16", "private"),
        ("198.18.0.0/15", "benchmarking (reserved)"),
        ("198.51.100.0/24", "documentation (reserved)"),
        ("203.0.113.0/24", "documentation (reserved)"),
        ("224.0.0.0/4", "multicast"),
        ("240.0.0.0/4", "reserved"),  # with 255.255.255.255, the broadcast address
    )
)

_V6_REFUSED = tuple(
    (IPv6Network(cidr), reason)
    for cidr, reason in (
        ("::/128", "unspecified"),
        ("::1/128", "loopback"),
        ("64:ff9b:1::/48", "local-use NAT64 (private)"),
        ("100::/64", "discard-only (reserved)"),
        ("2001::/23", "IETF protocol assignments (reserved)"),  # Teredo, ORCHID, benchmarking…
        ("2001:db8::/32", "documentation (reserved)"),
        ("3fff::/20", "documentation (reserved)"),
        ("fc00::/7", "unique local (private)"),
        ("fe80::/10", "link-local"),
        ("fec0::/10", "site-local (reserved)"),
        ("ff00::/8", "multicast"),
    )
)

_MAPPED = IPv6Network("::ffff:0:0/96")
_COMPATIBLE = IPv6Network("::/96")
_NAT64 = IPv6Network("64:ff9b::/96")
_SIX_TO_FOUR = IPv6Network("2002::/16")
_GLOBAL_UNICAST = IPv6Network("2000::/3")


def parse_allowlist(text: str | Iterable[str]) -> tuple[IPNetwork, ...]:
    """``"127.0.0.0/8, fd00::/8"`` (or a list of CIDRs) as networks; raises ValueError on a bad entry."""
    items = text.split(",") if isinstance(text, str) else text
    return tuple(ip_network(item.strip(), strict=False) for item in items if item.strip())


def embedded_ipv4(address: IPv6Address) -> tuple[IPv4Address, str] | None:
    """The IPv4 address an IPv6 address stands for, and the name of that form; None for a plain IPv6 one."""
    low32 = IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _MAPPED:
        return low32, "IPv4-mapped"
    if address in _NAT64:
        return low32, "NAT64"
    if address in _SIX_TO_FOUR:
        return IPv4Address((int(address) >> 80) & 0xFFFFFFFF), "6to4"
    if address in _COMPATIBLE and int(address) > 1:  # :: and ::1 are themselves, not IPv4-compatible forms
        return low32, "IPv4-compatible"
    return None


def refusal(address: IPAddress, allowlist: Iterable[IPNetwork] = ()) -> str | None:
    """Why connecting to ``address`` is refused (e.g. "loopback"), or None when it may be reached."""
    networks = tuple(allowlist)
    embedded = embedded_ipv4(address) if isinstance(address, IPv6Address) else None
    candidates = (address,) if embedded is None else (address, embedded[0])
    if any(candidate in network for candidate in candidates for network in networks):
        return None
    if address in _METADATA:
        return _METADATA[address]
    if isinstance(address, IPv4Address):
        return _table_reason(address, _V4_REFUSED)
    if embedded is not None:
        inner, form = embedded
        reason = refusal(inner)
        if reason is not None:
            return f"{reason}, in {form} form"
        if form == "IPv4-compatible":
            return "IPv4-compatible (deprecated)"
        return None  # a public IPv4 address reached through a mapped, NAT64 or 6to4 form
    reason = _table_reason(address, _V6_REFUSED)
    if reason is None and address not in _GLOBAL_UNICAST:
        reason = "reserved"
    return reason


def _table_reason(address: IPAddress, table: Iterable[tuple[IPNetwork, str]]) -> str | None:
    return next((reason for network, reason in table if address in network), None)
