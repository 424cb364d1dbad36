"""LinkedIn's versioned REST API over the shared platform client (adapters/http.py): the member's token as
``Authorization: Bearer``, the ``LinkedIn-Version`` (YYYYMM) and ``X-Restli-Protocol-Version: 2.0.0`` headers on
every call, URNs as one encoded path segment, the id of a created entity read from ``x-restli-id``, and the PUT of
upload bytes to the URLs LinkedIn hands out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar
from urllib.parse import urlsplit

import httpx

from adapters.answers import lost_request, non_empty_text
from adapters.base import OutcomeUnknown, Secrets, Transient
from adapters.http import Answer, ErrorTable, PlatformApi, default_error, path_segment
from adapters.linkedin.errors import (
    LINKEDIN_ERRORS,
    REFRESHABLE_ERRORS,
    describe,
    service_error_code,
    until_midnight_utc,
)

# LinkedIn supports each monthly version for about a year, then answers 426 (202511 was sunset on 16 November 2026):
# this one until about August 2027. The adapter's context may name a newer one (``app["api_version"]``).
DEFAULT_VERSION = "202608"
RESTLI_PROTOCOL = "2.0.0"


def access_token(credentials: Mapping[str, str]) -> str:
    return credentials.get("access_token", "").strip().removeprefix("Bearer ").strip()


class LinkedInApi(PlatformApi):
    name = "LinkedIn"
    errors: ClassVar[ErrorTable] = LINKEDIN_ERRORS

    def __init__(
        self, http: httpx.AsyncClient, base_url: str, credentials: Secrets, *, version: str, timeout: float | None
    ) -> None:
        super().__init__(http, base_url, credentials, timeout=timeout)
        self.version = version
        self._host = urlsplit(self.base_url).hostname or ""

    def headers(self) -> dict[str, str]:
        token = access_token(self._credentials)
        headers = {"LinkedIn-Version": self.version, "X-Restli-Protocol-Version": RESTLI_PROTOCOL}
        return {**headers, "Authorization": f"Bearer {token}"} if token else headers

    def code_of(self, answer: Answer) -> Any:
        return service_error_code(answer.body)

    def message_of(self, answer: Answer) -> str:
        return describe(answer.body)

    def retry_after(self, answer: Answer) -> float | None:
        """LinkedIn's 429 rarely says when: a Retry-After if sent, else the end of its day (midnight UTC)."""
        return super().retry_after(answer) or until_midnight_utc()

    async def create(self, path: str, body: Mapping[str, Any], *, action: str, creates: bool = True) -> str:
        """POST an entity; LinkedIn answers 201 with its URN in ``x-restli-id`` (and often no body)."""
        answer = await self.exchange("POST", path, action=action, creates=creates, json=body)
        if not 200 <= answer.status < 300:
            raise self.error_for(answer, action=action)
        urn = non_empty_text(answer.headers.get("x-restli-id"))
        if urn is None and isinstance(answer.body, Mapping):
            urn = non_empty_text(answer.body.get("id"))
        if urn is None:
            cls = OutcomeUnknown if creates else Transient
            raise cls(f"LinkedIn {action}: LinkedIn answered {answer.status} without the new entity's id")
        return urn

    async def action(self, path: str, body: Mapping[str, Any], *, action: str) -> Mapping[str, Any]:
        """A Rest.li action (``?action=initializeUpload``): its result under ``value``."""
        answer = await self.exchange("POST", path, action=action, json=body)
        if not 200 <= answer.status < 300:
            raise self.error_for(answer, action=action)
        if answer.body is None:  # finalizeUpload answers 200 with no body
            return {}
        value = answer.body.get("value") if isinstance(answer.body, Mapping) else None
        if not isinstance(value, Mapping):
            raise Transient(f"LinkedIn {action}: the answer carried no value")
        return value

    async def put_bytes(self, url: str, data: bytes, *, action: str) -> str | None:
        """Upload bytes to a URL LinkedIn handed out; its ETag (a video part's id for finalizeUpload). The token
        goes only to LinkedIn's own hosts (or the API's host), never to another host an answer could name."""
        host = urlsplit(url).hostname or ""
        headers = {"Content-Type": "application/octet-stream"}
        if host == self._host or host == "linkedin.com" or host.endswith(".linkedin.com"):
            headers.update(self.headers())
        timeout = httpx.USE_CLIENT_DEFAULT if self.timeout is None else self.timeout
        try:
            response = await self.http.put(url, content=data, headers=headers, timeout=timeout)
        except httpx.HTTPError as exc:
            raise lost_request(exc, where=f"LinkedIn {action}", creates=False) from exc
        if not 200 <= response.status_code < 300:
            cls = default_error(response.status_code)
            raise cls(f"LinkedIn {action}: the upload URL answered HTTP {response.status_code}")
        return response.headers.get("etag")


class RefreshableLinkedInApi(LinkedInApi):
    """An app with refresh tokens (LinkedIn grants them to some partner apps): an expired token is AuthExpired."""

    errors: ClassVar[ErrorTable] = REFRESHABLE_ERRORS


def urn_path(prefix: str, urn: str, suffix: str = "") -> str:
    return f"{prefix}/{path_segment(urn)}{suffix}"
