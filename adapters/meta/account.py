"""``MetaAccountAdapter``: what the Threads and Instagram adapters share about the account behind them: the Graph
client, the user id (stored, else ``me`` until verify learns it), the long-lived token obtained at connect
(FinishesConnect), the platform's own refresh of it (adapters/meta/tokens.py, RefreshesSession) and the credentials
worth saving afterwards (PersistsSession)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from adapters.base import Adapter, AdapterContext, Secrets
from adapters.meta import tokens
from adapters.meta.graph import GraphApi


class MetaAccountAdapter(Adapter):
    api_class: ClassVar[type[GraphApi]]
    refresh_grant: ClassVar[str]  # grant_type of the platform's GET /refresh_access_token
    exchange_grant: ClassVar[str]  # grant_type of its GET /access_token (the long-lived token at connect)

    def __init__(self, context: AdapterContext) -> None:
        super().__init__(context)
        self._api = self.api_class(self.http, self.base_url, self.credentials, timeout=context.request_timeout)
        self._user_id: str | None = self.credentials.get("user_id") or None
        self._refreshed: dict[str, str] | None = None

    def _api_on(self, credentials: Mapping[str, str]) -> GraphApi:
        """A Graph client on newer tokens (the adapter goes on with them)."""
        return self.api_class(self.http, self.base_url, Secrets(credentials), timeout=self.context.request_timeout)

    @property
    def user_id(self) -> str:
        return self._user_id or "me"

    async def finish_connect(self) -> None:
        """FinishesConnect: the one-hour token of the code exchange traded for the 60-day one the account keeps."""
        self._refreshed = await tokens.long_lived(self._api, self.exchange_grant, self.context.app, self.credentials)
        self._api = self._api_on(self._refreshed)

    async def refresh(self) -> Mapping[str, str] | None:
        """RefreshesSession: the long-lived token exchanged for a new one, valid 60 more days."""
        self._refreshed = await tokens.refreshed(self._api, self.refresh_grant, self._refreshed or self.credentials)
        self._api = self._api_on(self._refreshed)
        return self._refreshed

    def updated_credentials(self) -> Mapping[str, str] | None:
        """PersistsSession: the account's id once verify learned it, and a refreshed token."""
        if self._refreshed is not None:
            return {**self._refreshed, **({"user_id": self._user_id} if self._user_id else {})}
        return self.with_learned(user_id=self._user_id)
