"""The OAuth states between a connect and its callback: server side, single-use, short-lived."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from octopost.db import UTCDateTime, utcnow


class OAuthState(SQLModel, table=True):
    """``id`` is the SHA-256 of the state the browser carries, so a read of the table cannot finish anyone's
    connect. The PKCE verifier is encrypted like credentials; ``used_at`` is set once, by the one callback that
    may proceed."""

    __tablename__ = "oauth_state"

    id: str = Field(primary_key=True, max_length=64)
    workspace_id: str = Field(foreign_key="workspace.id", max_length=40, ondelete="CASCADE")
    is_test: bool = False  # the key's mode: a test key's connect makes a sandbox account
    platform: str = Field(max_length=20)
    base_url: str = Field(max_length=500)
    verifier_encrypted: str = Field(sa_type=Text)
    return_to: str | None = Field(default=None, max_length=2000)
    # JSON of the non-secret account fields the connect was started with (OAuthSpec.connect_fields).
    connect_fields: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
