"""One MCP tool: its name and description (what an agent reads), its arguments and answer (msgspec structs,
also its JSON Schemas), the REST route whose scope and rate budget it shares, and the service call it makes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import msgspec
from litestar import Controller
from litestar.handlers import HTTPRouteHandler
from mcp_types import Tool, ToolAnnotations

from octopost.keys.service import Caller
from octopost.mcp_endpoint.schemas import object_schema
from octopost.runtime import Runtime

ToolRun = Callable[[Runtime, Caller, Any], Awaitable[msgspec.Struct]]


def route_opt(controller: type[Controller], handler: HTTPRouteHandler) -> dict[str, Any]:
    """A REST route's ``opt`` as Litestar resolves it (the handler's over its controller's): its scope and its
    rate budget, read from the route itself so a tool can never drift from its route."""
    layer: Mapping[str, Any] | None = getattr(controller, "opt", None)  # a class attribute of the controller
    return {**(layer or {}), **handler.opt}


@dataclass(frozen=True)
class OctopostTool:
    name: str
    description: str
    arguments: type[msgspec.Struct]
    answers: type[msgspec.Struct]
    route: Mapping[str, Any]  # route_opt() of the REST route it stands for
    run: ToolRun
    read_only: bool = False
    # Reaches the platforms (publishing): an agent's client may ask its user first.
    open_world: bool = False

    @property
    def scope(self) -> str | None:
        return self.route.get("scope")

    def listing(self) -> Tool:
        return Tool(
            name=self.name,
            description=f"{self.description}\n\nNeeds an API key with the {self.scope} scope (or full access).",
            input_schema=object_schema(self.arguments),
            output_schema=object_schema(self.answers),
            annotations=ToolAnnotations(
                read_only_hint=self.read_only,
                destructive_hint=False,
                open_world_hint=self.open_world,
            ),
        )
