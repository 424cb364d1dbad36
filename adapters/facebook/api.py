"""The Graph API over the shared platform client (adapters/http.py): the token as ``Authorization: Bearer`` (never
in a URL, where logs keep it), form-encoded writes, multipart uploads, Graph's error envelope (errors.py). One
``GraphApi`` per token: the user's (to list its Pages) or the Page's (everything the Page posts)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import httpx

from adapters.answers import retry_after_seconds
from adapters.base import AdapterError, Secrets, Transient
from adapters.facebook.errors import GRAPH_ERRORS, describe, error_code, graph_error, regain_seconds
from adapters.http import Answer, ErrorTable, PlatformApi


class GraphApi(PlatformApi):
    name = "Facebook"
    errors: ClassVar[ErrorTable] = GRAPH_ERRORS

    def __init__(self, http: httpx.AsyncClient, base_url: str, token: str, *, timeout: float | None) -> None:
        super().__init__(http, base_url, Secrets({"token": token}), timeout=timeout)

    def headers(self) -> dict[str, str]:
        token = self._credentials.get("token", "")
        return {"Authorization": f"Bearer {token}"} if token else {}

    def code_of(self, answer: Answer) -> Any:
        return error_code(answer.body)

    def message_of(self, answer: Answer) -> str:
        return describe(answer.body)

    def retry_after(self, answer: Answer) -> float | None:
        return regain_seconds(answer.headers) or retry_after_seconds(answer.headers)

    def error_for(self, answer: Answer, *, action: str) -> AdapterError:
        if graph_error(answer.body).get("is_transient") is True and self.code_of(answer) not in self.errors.codes:
            return Transient(f"Facebook {action}: Meta answered a temporary failure ({self.message_of(answer)})")
        return super().error_for(answer, action=action)

    async def read(self, path: str, *, action: str, **params: str) -> Mapping[str, Any]:
        body = await self.request("GET", path, action=action, params=params)
        if not isinstance(body, Mapping):
            raise Transient(f"Facebook {action}: the answer was not an object")
        return body

    async def write(self, path: str, *, action: str, creates: bool, **send: Any) -> Mapping[str, Any]:
        body = await self.request("POST", path, action=action, creates=creates, **send)
        if not isinstance(body, Mapping):
            raise self.unreadable(action=action, creates=creates)
        return body
