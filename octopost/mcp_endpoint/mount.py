"""/mcp inside the Litestar app: the SDK's streamable HTTP transport behind our API-key check, and its session
manager run for the app's lifetime (joined to the app's lifespan)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any, cast

from litestar import Litestar
from litestar.handlers import ASGIRouteHandler, asgi
from litestar.types import Receive, Scope, Send
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

from octopost.mcp_endpoint.auth import authenticate
from octopost.mcp_endpoint.hosts import accepted_hosts
from octopost.mcp_endpoint.server import build_server
from octopost.runtime import Runtime
from octopost.settings import Settings

PATH = "/mcp"


@dataclass(frozen=True)
class McpEndpoint:
    handler: ASGIRouteHandler
    lifespan: Callable[[Litestar], AbstractAsyncContextManager[None]]


def mcp_endpoint(settings: Settings) -> McpEndpoint:
    # Stateless with JSON answers: no session lives in a worker, so any worker of a deployment answers any request.
    manager = StreamableHTTPSessionManager(
        app=build_server(), json_response=True, stateless=True, security_settings=accepted_hosts(settings)
    )

    async def serve_mcp(scope: Scope, receive: Receive, send: Send) -> None:
        runtime: Runtime = scope["app"].state.runtime
        await authenticate(runtime, cast(dict[str, Any], scope))  # a refusal is raised to the app's error handlers
        await manager.handle_request(cast(Any, scope), cast(Any, receive), cast(Any, send))

    @asynccontextmanager
    async def run_sessions(_: Litestar) -> AsyncIterator[None]:
        async with manager.run():
            yield

    # copy_scope: the caller is kept in the copy the SDK reads, never in the app's own scope.
    handler = asgi(PATH, is_mount=True, copy_scope=True, name="mcp")(serve_mcp)
    return McpEndpoint(handler=handler, lifespan=run_sessions)
