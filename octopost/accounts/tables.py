"""Connected platform accounts. Credentials are stored encrypted (octopost/crypto.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

from octopost.db import UTCDateTime, utcnow


class Account(SQLModel, table=True):
    __tablename__ = "account"
    __table_args__ = (Index("ix_account_workspace_platform", "workspace_id", "platform", "is_active"),)

    id: str = Field(primary_key=True, max_length=40)
    workspace_id: str = Field(foreign_key="workspace.id", max_length=40)
    platform: str = Field(max_length=20)
    base_url: str = Field(max_length=500)
    username: str = Field(max_length=300)
    display_name: str | None = Field(default=None, max_length=500)
    avatar_url: str | None = Field(default=None, max_length=2000)
    platform_user_id: str = Field(max_length=300)
    credentials_encrypted: str = Field(sa_type=Text)
    is_active: bool = True
    # The platform's account a post uses when it names none (one per platform, workspace and mode).
    is_default: bool = False
    is_test: bool = False  # connected with an oct_test_ key: a sandbox account that never reaches the platform
    connected_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    disconnected_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # When account.expiring was sent for the token it holds (a token that cannot be refreshed): once per token.
    expiry_warned_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AccountLock(SQLModel, table=True):
    """Held around each publish call to a platform that takes one publish at a time per account (ColibriSM keeps
    a user's uploaded media in one draft until the next publish), by every worker alike. ``until`` bounds it: a
    worker that died holding it blocks the account no longer than a lease."""

    __tablename__ = "account_lock"

    account_id: str = Field(primary_key=True, foreign_key="account.id", max_length=40, ondelete="CASCADE")
    holder: str = Field(max_length=200)
    until: datetime = Field(sa_type=UTCDateTime)
