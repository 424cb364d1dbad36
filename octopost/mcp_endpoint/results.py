"""What a tool call answers: the REST answer's JSON, or a tool error carrying the REST error envelope."""

from __future__ import annotations

import json
import logging
from typing import Any

import msgspec
from mcp_types import CallToolResult, TextContent

from octopost.errors import DomainError

log = logging.getLogger("octopost.mcp")


def answer(view: msgspec.Struct) -> CallToolResult:
    """The view as the REST API encodes it, as text (every client reads it) and as structured content."""
    body = msgspec.json.encode(view).decode()
    return CallToolResult(content=[TextContent(text=body)], structured_content=json.loads(body))


def refusal(message: str, code: str, details: dict[str, Any] | None = None) -> CallToolResult:
    """A tool error (isError) whose text is the envelope a REST client would get: {"error", "code", "details"}.
    Structured content stays empty: it is declared to be the tool's success shape."""
    body = msgspec.json.encode({"error": message, "code": code, "details": details or {}}).decode()
    return CallToolResult(content=[TextContent(text=body)], is_error=True)


def from_domain_error(exc: DomainError) -> CallToolResult:
    return refusal(exc.message, exc.code, exc.details)


def from_crash(tool: str, exc: Exception) -> CallToolResult:
    """An unexpected failure: logged with its traceback here, and only "internal error" told to the agent."""
    log.error("tool %s failed", tool, exc_info=exc)
    return refusal("Internal server error", "internal_error")
