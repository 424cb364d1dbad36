"""TikTok's open API over the shared platform client: the access token as a Bearer header, JSON bodies, and the
envelope read for success (errors.py) — an HTTP 200 with an error code is a failure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from adapters.base import AdapterError, ReauthRequired, Rejected
from adapters.http import Answer, ErrorTable, PlatformApi
from adapters.tiktok import errors
from adapters.tiktok.errors import TIKTOK_ERRORS, UNAUDITED

_FAILED = 400  # what an HTTP 2xx carrying an error code counts as


class TikTokApi(PlatformApi):
    name = "TikTok"
    errors: ClassVar[ErrorTable] = TIKTOK_ERRORS

    def headers(self) -> dict[str, str]:
        token = self._credentials.get("access_token", "").strip()
        if not token:
            raise ReauthRequired("TikTok credentials need an access_token; connect the account again")
        return {"Authorization": f"Bearer {token}", "Content-Type": "application/json; charset=UTF-8"}

    async def call(self, path: str, body: Mapping[str, Any], *, action: str, creates: bool = False) -> Any:
        """POST ``body``; the envelope's ``data`` of an ``ok`` answer."""
        answer = await self.request("POST", path, action=action, creates=creates, json=dict(body))
        data = answer.get("data") if isinstance(answer, Mapping) else None
        if not isinstance(data, Mapping):
            raise self.unreadable(action=action, creates=creates)
        return data

    def status_of(self, answer: Answer) -> int:
        code = errors.code_of(answer.body)
        if code is not None and code != "ok" and answer.status < 300:
            return _FAILED
        return answer.status

    def code_of(self, answer: Answer) -> Any:
        return errors.code_of(answer.body)

    def message_of(self, answer: Answer) -> str:
        return errors.message_of(answer.body)

    def retry_after(self, answer: Answer) -> float | None:
        """TikTok sends no Retry-After: its windows are per minute (rate_limit_exceeded) and per day for posts
        (spam_risk_*, a cap of posts per creator in 24 hours: try again hourly)."""
        told = super().retry_after(answer)
        if told is not None:
            return told
        return 3600.0 if (errors.code_of(answer.body) or "").startswith("spam_risk") else 60.0

    def error_for(self, answer: Answer, *, action: str) -> AdapterError:
        if errors.code_of(answer.body) == UNAUDITED:
            return Rejected(
                "TikTok: this app has not passed TikTok's audit, so it may only post privately: set "
                "platform_options.tiktok.privacy_level to SELF_ONLY on a private account, or have the app audited "
                f"({errors.message_of(answer.body)})"
            )
        return super().error_for(answer, action=action)
