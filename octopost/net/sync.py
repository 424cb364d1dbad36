"""The network guard for SDKs that bring their own ``requests`` session (Mastodon.py, tweepy).

Adapters never import octopost: the account factory hands them ``Runtime.sync_transport`` (``sync_transport=`` in
adapters/base.py), a ``SharedTransport`` over the process's one ``GuardedHTTPAdapter`` pool; ``guarded_session``
builds a standalone guarded session. Each new connection resolves the host once, refuses it if any address is
refused, and connects to a checked address; TLS still verifies the host name (urllib3 takes SNI and the
certificate check from ``conn.host``, never from the socket). Proxies are ignored: a proxy would connect, not us.

Residual, compared with the httpx transport: requests has per-read timeouts only (no total deadline) and no
response size cap; the SDKs' calls run in worker threads, so a slow-drip instance can hold a thread, not the
event loop. Those SDKs only talk to an account's instance, whose base URL was checked when it was connected.
"""

from __future__ import annotations

import functools
import socket
import sys
from typing import Any

import requests
from requests.adapters import DEFAULT_POOLBLOCK, BaseAdapter, HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util.connection import create_connection

from octopost.net.guard import AddressRefused, NetworkGuard


def guarded_session(guard: NetworkGuard) -> requests.Session:
    """A requests session whose every connection goes through ``guard``."""
    session = requests.Session()
    adapter = GuardedHTTPAdapter(guard)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class GuardedHTTPAdapter(HTTPAdapter):
    def __init__(self, guard: NetworkGuard, **kwargs: Any) -> None:
        self._guard = guard  # before super().__init__, which builds the pool manager
        super().__init__(**kwargs)

    def init_poolmanager(
        self, connections: int, maxsize: int, block: bool = DEFAULT_POOLBLOCK, **pool_kwargs: Any
    ) -> None:
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        self.poolmanager.pool_classes_by_scheme = _pool_classes(self._guard)

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs["proxies"] = None  # from the environment or the SDK: a proxy would bypass the guard
        return super().send(request, *args, **kwargs)


class SharedTransport(BaseAdapter):
    """One SDK session's view of the process's connection pool: sends through it, and closing the session
    leaves the pool open. Each target builds its own SDK client (a fresh session), so without this every target
    opened new connections (a TCP and, in production, a TLS handshake to the same instance) and dropped them.
    urllib3's pools are thread-safe; connections carry no credentials (each request brings its own headers)."""

    def __init__(self, pool: GuardedHTTPAdapter) -> None:
        super().__init__()
        self.pool = pool

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        return self.pool.send(request, *args, **kwargs)

    def close(self) -> None:
        """The pool belongs to the process (Runtime.aclose closes it), not to the session."""


@functools.cache
def _pool_classes(guard: NetworkGuard) -> dict[str, type[HTTPConnectionPool]]:
    class Connection(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            return _connect(self, guard)

    class SecureConnection(HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            return _connect(self, guard)

    class Pool(HTTPConnectionPool):
        ConnectionCls = Connection

    class SecurePool(HTTPSConnectionPool):
        ConnectionCls = SecureConnection

    return {"http": Pool, "https": SecurePool}


def _connect(conn: HTTPConnection, guard: NetworkGuard) -> socket.socket:
    """urllib3's HTTPConnection._new_conn, connecting to the guard's checked addresses instead of the name."""
    port = conn.port or (443 if isinstance(conn, HTTPSConnection) else 80)
    try:
        addresses = guard.checked_addresses(conn.host, port)
    except AddressRefused as exc:
        raise NewConnectionError(conn, f"refused by the network policy: {exc}") from None
    except (OSError, UnicodeError) as exc:
        raise NewConnectionError(conn, f"{conn.host} does not resolve: {exc}") from None
    failure: Exception | None = None
    for address in addresses:
        try:
            sock = create_connection(
                (str(address), port),
                conn.timeout,
                source_address=conn.source_address,
                socket_options=conn.socket_options,
            )
        except TimeoutError:
            failure = ConnectTimeoutError(conn, f"Connection to {conn.host} timed out (connect timeout={conn.timeout})")
        except OSError as exc:
            failure = NewConnectionError(conn, f"Failed to establish a new connection: {exc}")
        else:
            sys.audit("http.client.connect", conn, conn.host, port)
            return sock
    assert failure is not None
    raise failure
