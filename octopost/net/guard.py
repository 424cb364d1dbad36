"""The network guard: resolve a host once, refuse it if ANY of its addresses is refused, hand back the checked
addresses for the connection to use. ``check_url`` is the same check for validating input up front (422)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from ipaddress import ip_address

import httpx

from octopost.errors import ValidationFailed
from octopost.net.addresses import IPAddress, IPNetwork, parse_allowlist, refusal
from octopost.net.hosts import Resolver, literal_address, normalize, system_resolver

Allowlist = str | Iterable[IPNetwork]
RESOLVE_TIMEOUT_SECONDS = 10.0


class AddressRefused(Exception):
    """Connecting to ``host`` would reach ``address``, which the policy refuses for ``reason``."""

    def __init__(self, host: str, address: IPAddress, reason: str) -> None:
        self.host = host
        self.address = address
        self.reason = reason
        super().__init__(f"{host} resolves to a private address ({address}: {reason})")

    @property
    def detail(self) -> str:
        """ "resolves to a private address (127.0.0.1: loopback)", to follow a URL in a message."""
        return f"resolves to a private address ({self.address}: {self.reason})"


class UrlRefused(ValidationFailed):
    """A user-supplied URL that may not be fetched (an API answers 422 validation_error with it)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, {"errors": [message]})


class NetworkGuard:
    """Refuses loopback, private, link-local, CGNAT, reserved, multicast and metadata addresses (and their
    IPv4-in-IPv6 forms) unless ``allowlist`` covers them. One per process, shared by every client.

    A plain class, not a dataclass: Litestar would try to validate a dataclass field of ``Runtime`` field by field.
    """

    def __init__(self, allowlist: Iterable[IPNetwork] = (), resolver: Resolver = system_resolver) -> None:
        self.allowlist = tuple(allowlist)
        self.resolver = resolver

    @classmethod
    def create(cls, allowlist: Allowlist = (), resolver: Resolver = system_resolver) -> NetworkGuard:
        return cls(parse_allowlist(allowlist) if isinstance(allowlist, str) else allowlist, resolver)

    def __repr__(self) -> str:
        return f"NetworkGuard(allowlist={[str(network) for network in self.allowlist]})"

    def checked_addresses(self, host: str, port: int) -> list[IPAddress]:
        """Blocking: every address of ``host`` (one lookup), or AddressRefused / OSError (does not resolve)."""
        literal = literal_address(host)
        found = [literal] if literal is not None else self._resolve(normalize(host), port)
        if not found:
            raise OSError(f"{host} has no address")
        for address in found:
            reason = refusal(address, self.allowlist)
            if reason is not None:
                raise AddressRefused(normalize(host), address, reason)
        return found

    async def checked_addresses_async(self, host: str, port: int) -> list[IPAddress]:
        if literal_address(host) is not None:
            return self.checked_addresses(host, port)  # nothing to look up: no thread needed
        return await asyncio.to_thread(self.checked_addresses, host, port)

    async def check_url(self, url: str, *, what: str = "url") -> None:
        """Raise UrlRefused unless ``url`` is an http(s) URL whose host resolves to allowed addresses only."""
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise UrlRefused(f"{what} {url!r} is not a valid URL ({exc})") from None
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise UrlRefused(f"{what} must be an http(s) URL, got {url!r}")
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        try:
            async with asyncio.timeout(RESOLVE_TIMEOUT_SECONDS):  # an API request never waits long on DNS
                await self.checked_addresses_async(parsed.host, port)
        except AddressRefused as exc:
            raise UrlRefused(f"{what} {url} {exc.detail}") from None
        except (OSError, UnicodeError, TimeoutError) as exc:
            reason = str(exc) or f"no answer within {RESOLVE_TIMEOUT_SECONDS:g} s"
            raise UrlRefused(f"{what} {url}: the host {parsed.host} does not resolve ({reason})") from None

    def _resolve(self, name: str, port: int) -> list[IPAddress]:
        return list(dict.fromkeys(ip_address(str(address)) for address in self.resolver(name, port)))


async def check_url(
    url: str, allowlist: Allowlist = (), *, what: str = "url", resolver: Resolver = system_resolver
) -> None:
    """Validate a user-supplied URL before storing it: raises UrlRefused (a 422 ValidationFailed) when it is not
    http(s), does not resolve, or ANY of its addresses is refused by the policy. ``allowlist``: the
    OCTOPOST_NETWORK_ALLOWLIST string (or networks). ``what`` names the field in the message."""
    await NetworkGuard.create(allowlist, resolver).check_url(url, what=what)
