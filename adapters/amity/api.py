"""Amity Social Cloud's REST API over the shared platform client (adapters/http.py): a user's access token as
Bearer, the region's base URL (``https://apix.us.amity.co``, ``…eu…``, ``…sg…``), and what Amity's answers mean
(errors.py).
"""

from __future__ import annotations

from typing import Any, ClassVar

from adapters.amity.errors import (
    AMITY_ERRORS,
    ITEM_NOT_FOUND,
    RATE_LIMIT,
    RATE_LIMIT_WINDOW_SECONDS,
    REAUTH_REASONS,
    TOKEN_REFUSED,
    error_code,
    error_message,
)
from adapters.answers import retry_after_seconds
from adapters.base import AdapterError, ReauthRequired
from adapters.http import Answer, ErrorTable, PlatformApi, path_segment

segment = path_segment  # an id as one path segment


class AmityApi(PlatformApi):
    """One user's calls. Each returns the JSON body of a 2xx answer or raises one of the taxonomy's errors."""

    name = "Amity"
    errors: ClassVar[ErrorTable] = AMITY_ERRORS

    async def find(self, path: str, *, action: str) -> Any | None:
        """The JSON body, or None when Amity answers that the object does not exist (404 / 400400)."""
        answer = await self.exchange("GET", path, action=action)
        if self.not_found(answer):
            return None
        if not 200 <= answer.status < 300:
            raise self.error_for(answer, action=action)
        if answer.body is None:
            raise self.unreadable(action=action, creates=False)
        return answer.body

    def not_found(self, answer: Answer) -> bool:
        """Amity's answer that the object does not exist (404, or 400400 under another status)."""
        return self.status_of(answer) == 404 or (answer.status >= 400 and self.code_of(answer) == ITEM_NOT_FOUND)

    async def post(self, path: str, *, action: str, creates: bool, **body: Any) -> Any:
        """``creates``: the call makes something users see (a post, a comment). ``body``: ``json=`` or ``files=``."""
        return await self.request("POST", path, action=action, creates=creates, **body)

    async def put(self, path: str, *, action: str, **body: Any) -> Any:
        return await self.request("PUT", path, action=action, **body)

    def headers(self) -> dict[str, str]:
        # Users paste the token with or without the scheme in front.
        token = self._credentials.get("access_token", "").strip().removeprefix("Bearer ").strip()
        return {"Authorization": f"Bearer {token}"}

    def code_of(self, answer: Answer) -> Any:
        return error_code(answer.body)

    def message_of(self, answer: Answer) -> str:
        return error_message(answer.body)

    def retry_after(self, answer: Answer) -> float | None:
        seconds = retry_after_seconds(answer.headers)
        if seconds is None and self.code_of(answer) == RATE_LIMIT:
            return RATE_LIMIT_WINDOW_SECONDS
        return seconds

    def error_for(self, answer: Answer, *, action: str) -> AdapterError:
        error = super().error_for(answer, action=action)
        if isinstance(error, ReauthRequired):
            code = self.code_of(answer)
            message = self.message_of(answer) or f"HTTP {answer.status}"
            reason = REAUTH_REASONS.get(code, TOKEN_REFUSED) if isinstance(code, int) else TOKEN_REFUSED
            return ReauthRequired(
                f"Amity refused the access token during {action} ({answer.status}: {message}): {reason}"
            )
        return error
