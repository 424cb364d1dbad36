"""What a process shares between requests and scheduler jobs: settings, database, cipher, HTTP client."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from adapters.base import Adapter
from adapters.registry import UnsupportedPlatform, adapter_class, platform_info
from adapters.sandbox import sandbox_class
from octopost.crypto import CredentialCipher
from octopost.db import Database
from octopost.net.guard import NetworkGuard
from octopost.net.sync import GuardedHTTPAdapter, SharedTransport
from octopost.net.transport import GuardedTransport
from octopost.oauth.apps import OAuthApp, oauth_app
from octopost.settings import Settings

MAX_REDIRECTS = 5


def _no_wake() -> None:
    """Without a scheduler in this process the next tick of some worker picks the work up."""


def registered_adapter_class(platform: str, sandbox: bool) -> type[Adapter]:
    """The registry's adapter for ``platform``, or its sandbox twin (UnsupportedPlatform where there is none)."""
    return sandbox_class(platform) if sandbox else adapter_class(platform)


@dataclass
class Runtime:
    settings: Settings
    db: Database
    cipher: CredentialCipher
    http: httpx.AsyncClient
    # Set by the scheduler when it runs in this process: lets "publish now" skip waiting for the next tick.
    wake: Callable[[], None] = field(default=_no_wake)
    # The outbound network policy: ``http`` goes through it, and so does sync_transport() for requests-based SDKs.
    network: NetworkGuard = field(default_factory=NetworkGuard)
    # Which adapter class serves (platform, sandbox): injectable, so the publisher's reactions are tested in-process.
    adapter_class: Callable[[str, bool], type[Adapter]] = field(default=registered_adapter_class)
    _platform_slots: dict[str, asyncio.Semaphore] = field(default_factory=dict)
    _oauth_apps: dict[str, OAuthApp | None] = field(default_factory=dict)
    _sync_pool: GuardedHTTPAdapter | None = None

    def sync_transport(self) -> SharedTransport:
        """The transport a requests-based SDK's session is mounted with: the process's pool of guarded connections,
        kept alive across targets (sized for every target this process may run at once)."""
        if self._sync_pool is None:
            size = self.settings.blocking_io_slots
            self._sync_pool = GuardedHTTPAdapter(self.network, pool_connections=16, pool_maxsize=size)
        return SharedTransport(self._sync_pool)

    def platform_slot(self, platform: str) -> asyncio.Semaphore:
        """Held around each publish call to ``platform``: at most OCTOPOST_PLATFORM_CONCURRENCY requests to it are
        in flight from this process, however many of its targets are being prepared or recorded meanwhile."""
        slot = self._platform_slots.get(platform)
        if slot is None:
            slot = self._platform_slots[platform] = asyncio.Semaphore(self.settings.concurrency_of(platform))
        return slot

    def oauth_app(self, platform: str) -> OAuthApp | None:
        """The operator's OAuth app for ``platform`` (None: no OAuth flow there, or no client id configured),
        read once per process."""
        if platform not in self._oauth_apps:
            try:
                info = platform_info(platform)
            except UnsupportedPlatform:
                return None
            self._oauth_apps[platform] = oauth_app(info, self.settings.oauth_apps)
        return self._oauth_apps[platform]

    @classmethod
    def create(cls, settings: Settings) -> Runtime:
        settings.ensure_data_dir()
        network = NetworkGuard.create(settings.network_allowlist)
        return cls(
            settings=settings,
            db=Database(
                settings.resolved_database_url,
                pool_size=settings.database_pool_size,
                max_overflow=settings.database_max_overflow,
            ),
            cipher=CredentialCipher(settings.secret_key_material()),
            http=httpx.AsyncClient(
                # Every connection is checked and pinned by the network guard (octopost/net/transport.py), each
                # exchange has a total deadline and a size cap (the largest answer we need is a media file).
                transport=GuardedTransport(
                    network,
                    total_timeout=settings.http_total_timeout_seconds,
                    max_response_bytes=settings.media_max_bytes,
                    limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
                ),
                timeout=httpx.Timeout(settings.http_timeout_seconds, connect=10.0),
                follow_redirects=False,
                max_redirects=MAX_REDIRECTS,  # for the requests that follow them (media), each hop checked again
            ),
            network=network,
        )

    async def aclose(self) -> None:
        if self._sync_pool is not None:
            self._sync_pool.close()
        await self.http.aclose()
        await self.db.dispose()
