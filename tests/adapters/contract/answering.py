"""A platform that answers every request the same way (for the contract test): a failure in the platform's own
envelope, a connection reset after the request was read (the answer lost after sending), or nothing listening at all
(never sent). Runs on the test's event loop, on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from tests.fakes.http import Request, Reset, Response, serve
from tests.peers.ports import free_port


@dataclass
class Answering:
    """``answer``: what every request gets (None: the connection is reset once the request is read)."""

    answer: Response | None = None
    seen: list[tuple[str, str]] = field(default_factory=list)  # (method, path) of each request
    url: str = ""

    async def __call__(self, request: Request) -> Response:
        self.seen.append((request.method, request.path))
        if self.answer is None:
            raise Reset
        return self.answer


@asynccontextmanager
async def answering() -> AsyncIterator[Answering]:
    platform = Answering()
    port = free_port()
    server = await serve(platform, "127.0.0.1", port)
    platform.url = f"http://127.0.0.1:{port}"
    try:
        yield platform
    finally:
        server.close()
        await server.wait_closed()
