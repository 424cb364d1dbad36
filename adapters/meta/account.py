"""``MetaAccountAdapter``: what the Threads and Instagram adapters share about the account behind them: the Graph
client, the user id (stored, else ``me`` until verify learns it), the platform's own long-lived token refresh
(adapters/meta/tokens.py, RefreshesSession) and the credentials worth saving afterwards (PersistsSession)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from adapters.base import Adapter, AdapterContext
from adapters.meta import tokens
from adapters.meta.graph import GraphApi


class MetaAccountAdapter(Adapter):
    api_class: ClassVar[type[GraphApi]]
    refresh_grant: ClassVar[str]  # grant_type of the platform's GET /refresh_access_token

    def __init__(self, context: AdapterContext) -> None:
        super().__init__(context)
        self._api = self.api_class(self.http, self.base_url, self.credentials, timeout=context.request_timeout)
        self._user_id: str | None = self.credentials.get("user_id") or None
        self._refreshed: dict[str, str] | None = None

    @property
    def user_id(self) -> str:
        return self._user_id or "me"

    async def refresh(self) -> Mapping[str, str] | None:
        """RefreshesSession: the long-lived token exchanged for a new one, valid 60 more days."""
        self._refreshed = await tokens.refreshed(self._api, self.refresh_grant, self.credentials)
        return self._refreshed

    def updated_credentials(self) -> Mapping[str, str] | None:
        """PersistsSession: the account's id once verify learned it, and a refreshed token."""
        if self._refreshed is not None:
            return {**self._refreshed, **({"user_id": self._user_id} if self._user_id else {})}
        return self.with_learned(user_id=self._user_id)
