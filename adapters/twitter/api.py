"""X over the shared platform client (adapters/http.py): our httpx calls (the v2 media upload) signed the same way as
tweepy's, and the one reading of every X failure into the taxonomy, tweepy's included (errors.py says what X's
answers mean).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import httpx

from adapters.answers import lost_request
from adapters.base import AdapterError, AuthExpired, OutcomeUnknown
from adapters.http import Answer, ErrorTable, PlatformApi
from adapters.twitter.auth import XAuth
from adapters.twitter.errors import X_ERRORS, api_message, problem_kind, retry_after, sdk_answer


def data_of(body: Any) -> Mapping[str, Any]:
    """The ``data`` object of an X answer ({} when there is none). A 2xx may also carry ``errors`` (partial problems
    X reports next to data): data is what counts."""
    data = body.get("data") if isinstance(body, Mapping) else None
    return data if isinstance(data, Mapping) else {}


class XApi(PlatformApi):
    """One account's calls to X."""

    name = "X"
    errors: ClassVar[ErrorTable] = X_ERRORS

    def __init__(self, http: httpx.AsyncClient, base_url: str, auth: XAuth, *, timeout: float | None = None) -> None:
        super().__init__(http, base_url, timeout=timeout)
        self._auth = auth

    async def call(self, method: str, path: str, *, action: str, **send: Any) -> Mapping[str, Any]:
        """The ``data`` of a 2xx answer, or the taxonomy's error. An empty 2xx is {}: the upload's append and
        metadata answers are not read, so they need no body."""
        answer = await self.exchange(method, path, action=action, **send)
        if not 200 <= answer.status < 300:
            raise self.error_for(answer, action=action)
        return data_of(answer.body)

    async def exchange(self, method: str, path: str, *, action: str, creates: bool = False, **send: Any) -> Answer:
        # httpx signs each request as it is sent (OAuth 1.0a covers the URL actually called).
        return await super().exchange(method, path, action=action, creates=creates, auth=self._auth.httpx_auth, **send)

    def code_of(self, answer: Answer) -> Any:
        return problem_kind(answer.body)

    def message_of(self, answer: Answer) -> str:
        return api_message(answer.body)

    def retry_after(self, answer: Answer) -> float | None:
        return retry_after(answer.headers)

    def error_for(self, answer: Answer, *, action: str) -> AdapterError:
        if answer.status == 401 and self._auth.can_refresh:  # an OAuth 2.0 token that a refresh may renew
            message = self.message_of(answer) or "HTTP 401"
            return AuthExpired(f"X refused the access token during {action} (401: {message}); it may be refreshed")
        return super().error_for(answer, action=action)

    def sdk_error(self, exc: BaseException, *, action: str, creates: bool) -> AdapterError:
        """What a failed tweepy call means: X's answer, read like ours, or a request that got none. ``creates``: it
        was POST /2/tweets, and X has no idempotency key, so an answer lost after the request went out leaves the post
        in doubt (OutcomeUnknown): it is never sent again blindly."""
        answer = sdk_answer(exc)
        if answer is not None:
            return self.error_for(answer, action=action)
        error = lost_request(exc, where=f"X {action}", creates=creates)
        if isinstance(error, OutcomeUnknown):
            return OutcomeUnknown(f"{error.message}; X has no idempotency key, so it is not sent again")
        return error
