"""Which Host and Origin headers /mcp answers: loopback, and the public URL's host (the SDK's DNS-rebinding check,
which refuses a page on another site that made a browser reach a local Octopost under its own name)."""

from __future__ import annotations

from urllib.parse import urlsplit

from mcp.server.transport_security import TransportSecuritySettings

from octopost.settings import Settings

_LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
_ANY_ADDRESS = ("0.0.0.0", "::", "")


def _name_and_any_port(netloc: str, has_port: bool) -> list[str]:
    name = netloc.rsplit(":", 1)[0] if has_port else netloc
    return [name, f"{name}:*"]


def accepted_hosts(settings: Settings) -> TransportSecuritySettings:
    public = urlsplit(settings.public_url)
    hosts = [host for name in _LOOPBACK for host in (name, f"{name}:*")]
    hosts += _name_and_any_port(public.netloc, public.port is not None)
    if settings.host not in _ANY_ADDRESS:
        hosts += _name_and_any_port(f"[{settings.host}]" if ":" in settings.host else settings.host, False)
    origins = [f"{scheme}://{host}" for scheme in ("http", "https") for host in hosts]
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=sorted(set(hosts)),
        allowed_origins=sorted(set(origins)),
    )
