"""Reading a URL's host the way a connection would: IP literals in every spelling, then names via a resolver.

``http://2130706433/``, ``http://0x7f.1/``, ``http://017700000001/`` and ``http://127.1/`` all mean 127.0.0.1
to the C library's ``inet_aton`` (and to browsers); ``[::ffff:127.0.0.1]`` is an IPv6 spelling of it. They are
parsed here, not left to the system, so the address that is checked is the address that is connected to.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Sequence
from ipaddress import IPv4Address, ip_address

import idna

from octopost.net.addresses import IPAddress

# A resolver maps (host name, port) to the addresses a connection may use. The system's by default; tests
# inject their own so that reserved names are only ever inputs, never looked up on a real network.
Resolver = Callable[[str, int], Sequence[IPAddress]]

_NUMBER = re.compile(r"0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*")


def normalize(host: str) -> str:
    """Lower case, no brackets, no trailing dots, IDNA (punycode) for non-ASCII names."""
    host = host.strip().removeprefix("[").removesuffix("]").rstrip(".").lower()
    if not host.isascii():
        host = idna.encode(host, uts46=True).decode("ascii")
    return host


def literal_address(host: str) -> IPAddress | None:
    """The address ``host`` spells out (in any form ``inet_aton`` accepts), or None for a name."""
    host = normalize(host)
    try:
        return ip_address(host)
    except ValueError:
        return _legacy_ipv4(host)


def _legacy_ipv4(host: str) -> IPv4Address | None:
    """inet_aton's numbers-and-dots: 1 to 4 parts, each decimal, octal (0…) or hex (0x…); the last part fills
    the remaining bytes ("127.1" = 127.0.0.1, "2130706433" = 127.0.0.1)."""
    parts = host.split(".")
    if not 1 <= len(parts) <= 4 or not all(_NUMBER.fullmatch(part) for part in parts):
        return None
    numbers = [_number(part) for part in parts]
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (4 - len(head)):
        return None
    value = last
    for index, n in enumerate(head):
        value += n << (8 * (3 - index))
    return IPv4Address(value)


def _number(part: str) -> int:
    if part[:2].lower() == "0x":
        return int(part[2:] or "0", 16)
    if len(part) > 1 and part.startswith("0"):
        return int(part, 8)
    return int(part)


def system_resolver(name: str, port: int) -> list[IPAddress]:
    """Every address the system resolver gives for ``name`` (blocking: call it in a thread)."""
    infos = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM)
    return [ip_address(str(info[4][0])) for info in infos]  # link-local ones keep their %scope
