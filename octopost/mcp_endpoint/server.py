"""The MCP server: Octopost's tools, listed with their schemas and called as the caller of the HTTP request.

Built on the SDK's low-level server rather than its decorator API: the tools' schemas are the msgspec structs the
REST API decodes (one shape for both), and their arguments are decoded by msgspec as a REST body is.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

import msgspec
from mcp.server import Server
from mcp.server.context import ServerRequestContext
from mcp_types import CallToolRequestParams, CallToolResult, ListToolsResult, PaginatedRequestParams

from octopost.errors import DomainError, NotFound, ValidationFailed
from octopost.mcp_endpoint.auth import authorize, request_identity
from octopost.mcp_endpoint.post_tools import POST_TOOLS
from octopost.mcp_endpoint.results import answer, from_crash, from_domain_error
from octopost.mcp_endpoint.toolkit import OctopostTool
from octopost.mcp_endpoint.workspace_tools import WORKSPACE_TOOLS

TOOLS: dict[str, OctopostTool] = {tool.name: tool for tool in (*POST_TOOLS, *WORKSPACE_TOOLS)}

INSTRUCTIONS = (
    "Octopost schedules and publishes posts to social platforms (Mastodon, Bluesky, X, LinkedIn, ...). "
    "Check a post with validate_post, then create_post (a draft, a time, or the next queue slot) and "
    "publish_post or let it publish at its time; read results with get_post. A failed tool call's text is "
    'Octopost\'s error envelope: {"error": message, "code": ..., "details": {...}}.'
)


def _decode(tool: OctopostTool, arguments: dict[str, Any]) -> msgspec.Struct:
    """The tool's arguments as its struct, or a validation_error naming what is wrong (as a REST body's 422)."""
    try:
        return msgspec.convert(arguments, tool.arguments)
    except msgspec.ValidationError as exc:
        raise ValidationFailed.of([f"arguments: {exc}"]) from exc


async def _call(tool: OctopostTool, request: Any, arguments: dict[str, Any]) -> CallToolResult:
    runtime, caller = request_identity(getattr(request, "scope", None))
    await authorize(runtime, caller, tool.route)  # before the arguments are read, as REST checks scope first
    return answer(await tool.run(runtime, caller, _decode(tool, arguments)))


def build_server() -> Server[Any]:
    listed = [tool.listing() for tool in TOOLS.values()]  # the same for every caller: built once

    async def list_tools(_: ServerRequestContext[Any], __: PaginatedRequestParams | None) -> ListToolsResult:
        return ListToolsResult(tools=listed)  # a result of its own: the SDK fills in its cache hints

    async def call_tool(ctx: ServerRequestContext[Any], params: CallToolRequestParams) -> CallToolResult:
        tool = TOOLS.get(params.name)
        try:
            if tool is None:
                raise NotFound(f"No tool {params.name!r}; the tools are {', '.join(TOOLS)}")
            return await _call(tool, ctx.request, params.arguments or {})
        except DomainError as exc:
            return from_domain_error(exc)
        except Exception as exc:  # the agent gets the envelope's internal_error, the log the traceback
            return from_crash(params.name, exc)

    return Server(
        "octopost",
        version=version("octopost"),
        instructions=INSTRUCTIONS,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )
