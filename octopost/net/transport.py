"""The httpx transport behind ``Runtime.http``: every connection goes through the network guard, to the exact
address the guard checked, and every exchange has a total deadline and a response size cap.

Pinning is done in httpcore's network backend (``connect_tcp``), not by rewriting URLs: the URL, the Host header
and the TLS server name (SNI, certificate check) all stay the host name. Every redirect hop to a new origin opens
a new connection, so it is checked again; ``max_redirects`` on the client caps the hops.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Iterable

import httpcore
import httpx

from octopost.net.guard import AddressRefused, NetworkGuard

DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)


class RefusedConnection(httpx.ConnectError):
    """Nothing was connected: the guard refused the host's address (``refusal`` says which and why)."""

    def __init__(self, refusal: AddressRefused) -> None:
        super().__init__(str(refusal))
        self.refusal = refusal


class DeadlineExceeded(httpx.ReadTimeout):
    """The whole exchange (connect, send, every byte of the answer) took longer than the total deadline: a
    slow-drip server cannot hold a worker, however steadily it trickles."""


class ResponseTooLarge(httpx.ReadError):
    """The answer is larger than the cap (declared up front or counted while reading)."""


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, guard: NetworkGuard) -> None:
        self._guard = guard
        self._backend = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await self._guard.checked_addresses_async(host, port)
        except AddressRefused as exc:
            raise RefusedConnection(exc) from None  # before any socket exists
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(f"{host} does not resolve: {exc}") from exc
        failure: Exception | None = None
        for address in addresses:  # each one checked; no second lookup, so no DNS rebinding
            try:
                return await self._backend.connect_tcp(
                    str(address), port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not reachable through the network guard")

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    def __init__(
        self,
        guard: NetworkGuard,
        *,
        total_timeout: float,
        max_response_bytes: int,
        limits: httpx.Limits = DEFAULT_LIMITS,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        # The pool httpx itself would build (see httpx.AsyncHTTPTransport.__init__, httpx is pinned), plus our
        # network backend, which httpx has no option for. No proxy support: a proxy would connect, not us.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_GuardedBackend(guard),
        )
        self.total_timeout = total_timeout
        self.max_response_bytes = max_response_bytes

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        deadline = asyncio.get_running_loop().time() + self.total_timeout
        timer = asyncio.timeout_at(deadline)
        try:
            async with timer:
                response = await super().handle_async_request(request)
        except TimeoutError:
            if not timer.expired():
                raise
            raise self._late(request) from None
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_response_bytes:
            await response.aclose()
            raise self._too_large(request, f"declares {int(declared):,} bytes")
        assert isinstance(response.stream, httpx.AsyncByteStream)
        return httpx.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=_BoundedStream(self, request, response.stream, deadline),
            extensions=response.extensions,
        )

    def _late(self, request: httpx.Request) -> DeadlineExceeded:
        return DeadlineExceeded(
            f"no complete answer from {request.url.host} within {self.total_timeout:g} s", request=request
        )

    def _too_large(self, request: httpx.Request, how: str) -> ResponseTooLarge:
        return ResponseTooLarge(
            f"the answer from {request.url.host} {how}; the cap is {self.max_response_bytes:,}", request=request
        )


class _BoundedStream(httpx.AsyncByteStream):
    def __init__(
        self, transport: GuardedTransport, request: httpx.Request, stream: httpx.AsyncByteStream, deadline: float
    ) -> None:
        self._transport = transport
        self._request = request
        self._stream = stream
        self._deadline = deadline

    async def __aiter__(self) -> AsyncIterator[bytes]:
        chunks = self._stream.__aiter__()
        received = 0
        while True:
            timer = asyncio.timeout_at(self._deadline)
            try:
                async with timer:
                    chunk = await chunks.__anext__()
            except StopAsyncIteration:
                return
            except TimeoutError:
                if not timer.expired():
                    raise
                raise self._transport._late(self._request) from None
            received += len(chunk)
            if received > self._transport.max_response_bytes:
                raise self._transport._too_large(self._request, f"is over {received:,} bytes")
            yield chunk

    async def aclose(self) -> None:
        await self._stream.aclose()
