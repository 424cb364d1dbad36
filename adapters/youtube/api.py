"""YouTube's Data API v3 over the shared platform client: the OAuth 2.0 access token as a Bearer header, Google's
error envelope (errors.py), and a spent quota as a rate limit that lasts until midnight Pacific."""

from __future__ import annotations

from typing import Any, ClassVar

from adapters.base import AdapterError, AuthExpired, ReauthRequired
from adapters.http import Answer, ErrorTable, PlatformApi
from adapters.youtube import errors
from adapters.youtube.errors import QUOTA_REASONS, YOUTUBE_ERRORS

DATA = "/youtube/v3"
UPLOAD = "/upload/youtube/v3"


class YouTubeApi(PlatformApi):
    name = "YouTube"
    errors: ClassVar[ErrorTable] = YOUTUBE_ERRORS

    def token(self) -> str:
        token = self._credentials.get("access_token", "").strip()
        if not token:
            raise ReauthRequired("YouTube credentials need an OAuth 2.0 access_token; connect the account again")
        return token

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token()}"}

    def code_of(self, answer: Answer) -> Any:
        return errors.reason_of(answer.body)

    def message_of(self, answer: Answer) -> str:
        return errors.message_of(answer.body)

    def error_for(self, answer: Answer, *, action: str) -> AdapterError:
        """A refused token may be refreshed only when a refresh token is stored (connected with offline access)."""
        error = super().error_for(answer, action=action)
        if isinstance(error, AuthExpired) and not self._credentials.get("refresh_token"):
            return ReauthRequired(f"{error.message}; no refresh token is stored: connect the account again")
        return error

    def retry_after(self, answer: Answer) -> float | None:
        if errors.reason_of(answer.body) in QUOTA_REASONS:
            return errors.until_pacific_midnight()
        return super().retry_after(answer)
