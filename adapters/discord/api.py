"""Discord's HTTP API over the shared platform client (adapters/http.py): the bot token, the User-Agent Discord asks
bots for, and what Discord's answers mean (errors.py).
"""

from __future__ import annotations

from typing import Any, ClassVar

from adapters.base import AdapterError, ReauthRequired
from adapters.discord.errors import DISCORD_ERRORS, api_message, error_code, retry_after, with_scope
from adapters.http import Answer, ErrorTable, PlatformApi, path_segment

# Discord wants "DiscordBot ($url, $version)" from bots; other agents may be refused at its edge.
USER_AGENT = "DiscordBot (https://github.com/octopost/octopost, 0.1.0)"

segment = path_segment  # an id as one path segment


class DiscordApi(PlatformApi):
    """One bot's calls. Each returns the JSON body of a 2xx answer or raises one of the taxonomy's errors."""

    name = "Discord"
    errors: ClassVar[ErrorTable] = DISCORD_ERRORS

    async def post(self, path: str, *, action: str, creates: bool, **body: Any) -> Any:
        """``creates``: the call creates a message. ``body``: httpx's ``json=`` or ``files=``."""
        return await self.request("POST", path, action=action, creates=creates, **body)

    def headers(self) -> dict[str, str]:
        # Users paste the token with or without the scheme in front; Discord wants exactly "Bot <token>".
        token = self._credentials.get("bot_token", "").strip().removeprefix("Bot ").strip()
        return {"Authorization": f"Bot {token}", "User-Agent": USER_AGENT}

    def code_of(self, answer: Answer) -> Any:
        return error_code(answer.body)

    def message_of(self, answer: Answer) -> str:
        return api_message(answer.body)

    def retry_after(self, answer: Answer) -> float | None:
        return retry_after(answer.headers, answer.body)

    def error_for(self, answer: Answer, *, action: str) -> AdapterError:
        error = super().error_for(answer, action=action)
        if isinstance(error, ReauthRequired):
            message = self.message_of(answer) or f"HTTP {answer.status}"
            return ReauthRequired(
                f"Discord refused the bot token during {action} ({answer.status}: {message}): it was reset or "
                "revoked; reconnect the account with the bot's current token"
            )
        return with_scope(error, answer.body)
