"""One account's calls to a Meta Graph API over the shared platform client (adapters/http.py): the token as
``Authorization: Bearer`` (never in a URL, where a log or an error message could show it), form-encoded writes,
and Meta's error envelope (errors.py) classified by its codes before its HTTP status."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from adapters.answers import retry_after_seconds
from adapters.base import AdapterError
from adapters.http import Answer, ErrorTable, PlatformApi, path_segment
from adapters.meta.errors import GraphError

# Where a rate-limited account may try again when Meta says nothing more precise: an hour.
DEFAULT_RETRY_AFTER = 3600.0
_USAGE_HEADERS = ("x-business-use-case-usage", "x-app-usage", "x-ad-account-usage")


@dataclass(frozen=True)
class GraphErrorTable(ErrorTable):
    """Graph failures by their error's code and subcode (errors.py), then by the HTTP status."""

    def error_class(self, status: int, code: Any = None) -> type[AdapterError]:
        found = code.error_class() if isinstance(code, GraphError) else None
        return found or super().error_class(status, None)


class GraphApi(PlatformApi):
    errors: ClassVar[ErrorTable] = GraphErrorTable()

    def headers(self) -> dict[str, str]:
        token = self._credentials.get("access_token", "").strip()
        return {"Authorization": f"Bearer {token}"} if token else {}

    def code_of(self, answer: Answer) -> Any:
        return GraphError.of(answer.body)

    def message_of(self, answer: Answer) -> str:
        error = GraphError.of(answer.body)
        return error.describe() if error is not None else ""

    def retry_after(self, answer: Answer) -> float | None:
        """Retry-After, else the minutes Meta's usage headers give until access is regained, else an hour."""
        found = retry_after_seconds(answer.headers)
        if found is not None:
            return found
        minutes = [m for name in _USAGE_HEADERS if (m := _regain_minutes(answer.headers.get(name))) is not None]
        return max(minutes) * 60.0 if minutes else DEFAULT_RETRY_AFTER

    async def node(self, node_id: str, *, fields: str, action: str) -> Mapping[str, Any]:
        """``GET /{node}?fields=...``: a container's status, a post's permalink, the user."""
        body = await self.request("GET", f"/{path_segment(node_id)}", action=action, params={"fields": fields})
        return body if isinstance(body, Mapping) else {}

    async def edge_get(self, node_id: str, edge: str, *, action: str, **params: str) -> Mapping[str, Any]:
        path = f"/{path_segment(node_id)}/{edge}"
        body = await self.request("GET", path, action=action, params=params)
        return body if isinstance(body, Mapping) else {}

    async def edge_post(self, node_id: str, edge: str, *, action: str, creates: bool, **fields: str) -> str:
        """``POST /{node}/{edge}`` with a form; the ``id`` Meta answers (a container, a post, a comment)."""
        path = f"/{path_segment(node_id)}/{edge}"
        body = await self.request("POST", path, action=action, creates=creates, data=fields)
        created = body.get("id") if isinstance(body, Mapping) else None
        if not isinstance(created, str) or not created:
            raise self.unreadable(action=action, creates=creates)
        return created


def _regain_minutes(header: str | None) -> float | None:
    """``estimated_time_to_regain_access`` (minutes) in a usage header: an object, or objects per business id."""
    if not header:
        return None
    try:
        usage = json.loads(header)
    except ValueError:
        return None
    entries = [usage] if isinstance(usage, dict) else []
    for value in usage.values() if isinstance(usage, dict) else []:
        if isinstance(value, list):
            entries.extend(item for item in value if isinstance(item, dict))
    found = [e["estimated_time_to_regain_access"] for e in entries if e.get("estimated_time_to_regain_access")]
    numbers = [float(m) for m in found if isinstance(m, int | float) and not isinstance(m, bool)]
    return max(numbers) if numbers else None
