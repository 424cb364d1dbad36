"""Discord's HTTP API over the owner's httpx client (its network policy applies): the bot token, the User-Agent
Discord asks bots for, and every failure translated once, in errors.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import httpx

from adapters.base import Secrets
from adapters.discord.errors import from_response, network_error, unreadable_answer

# Discord wants "DiscordBot ($url, $version)" from bots; other agents may be refused at its edge.
USER_AGENT = "DiscordBot (https://github.com/octopost/octopost, 0.1.0)"


def segment(value: str) -> str:
    """An id as one path segment: a channel id typed by a user can never reach another route ("../users/@me")."""
    return quote(value, safe="")


class DiscordApi:
    """One bot's calls. Each returns the JSON body of a 2xx answer or raises one of the taxonomy's errors."""

    def __init__(
        self, http: httpx.AsyncClient, base_url: str, credentials: Secrets, *, timeout: float | None = None
    ) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._credentials = credentials  # the token is read per request, never kept in a plain attribute
        self._timeout = timeout  # None: the timeouts of the owner's client

    async def get(self, path: str, *, action: str) -> Any:
        return await self._request("GET", path, action=action, creates=False)

    async def post(self, path: str, *, action: str, creates: bool, **body: Any) -> Any:
        """``creates``: the call creates a message, so losing its answer means OutcomeUnknown, not Transient.
        ``body``: httpx's ``json=`` or ``files=``."""
        return await self._request("POST", path, action=action, creates=creates, **body)

    async def _request(self, method: str, path: str, *, action: str, creates: bool, **body: Any) -> Any:
        try:
            timeout = httpx.USE_CLIENT_DEFAULT if self._timeout is None else self._timeout
            response = await self._http.request(
                method, self._base + path, headers=self._headers(), timeout=timeout, **body
            )
        except httpx.HTTPError as exc:
            raise network_error(exc, action=action, may_have_applied=creates) from exc
        try:
            data = response.json() if response.content else None
        except ValueError:
            data = None
        if not response.is_success:
            raise from_response(response.status_code, response.headers, data, action=action)
        if not isinstance(data, Mapping):
            raise unreadable_answer(action=action, may_have_applied=creates)
        return data

    def _headers(self) -> dict[str, str]:
        # Users paste the token with or without the scheme in front; Discord wants exactly "Bot <token>".
        token = self._credentials.get("bot_token", "").strip().removeprefix("Bot ").strip()
        return {"Authorization": f"Bot {token}", "User-Agent": USER_AGENT}
