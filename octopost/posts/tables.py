"""Posts, their per-platform targets and the per-segment delivery ledger."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import JSON, Field, SQLModel

from octopost.db import UTCDateTime, utcnow


class Post(SQLModel, table=True):
    __tablename__ = "post"
    # Every list filters by workspace and mode (is_test) and pages newest first: with both in the index, the
    # count, the ORDER BY and the OFFSET skip walk index entries only, never the rows.
    __table_args__ = (
        Index("ix_post_workspace_mode_created", "workspace_id", "is_test", "created_at", "id"),
        Index("ix_post_workspace_mode_status_created", "workspace_id", "is_test", "status", "created_at", "id"),
        # A calendar's query (GET /v1/posts?scheduled_from=…&sort=scheduled_for) and the queue's held slots.
        Index("ix_post_workspace_mode_scheduled", "workspace_id", "is_test", "scheduled_for", "id"),
        # A recurring post's occurrences: each one once, however many workers materialize the series.
        Index("uq_post_series_occurrence", "series_id", "occurrence_at", unique=True),
    )

    id: str = Field(primary_key=True, max_length=40)
    workspace_id: str = Field(foreign_key="workspace.id", max_length=40)
    is_test: bool = False  # created with an oct_test_ key
    content: str = Field(sa_type=Text)
    platforms: list[str] = Field(default_factory=list, sa_type=JSON)
    status: str = Field(default="draft", max_length=20)
    scheduled_for: datetime | None = Field(default=None, sa_type=UTCDateTime)
    media: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    segments: list[dict[str, Any]] | None = Field(default=None, sa_type=JSON)
    # {"<platform>": {...}}, each validated against that platform's options schema when stored.
    platform_options: dict[str, dict[str, Any]] | None = Field(default=None, sa_type=JSON)
    poll: dict[str, Any] | None = Field(default=None, sa_type=JSON)  # {"options", "duration_minutes", "question"}
    reply_policy: str | None = Field(default=None, max_length=20)
    # The accounts the post names, at most one per platform; a platform not named uses the workspace's default.
    accounts: list[str] | None = Field(default=None, sa_type=JSON)
    # {"<platform>": {"content"?, "media"?, "segments"?}}: that platform's own version (octopost/posts/versions.py).
    overrides: dict[str, dict[str, Any]] | None = Field(default=None, sa_type=JSON)
    # What the post took from its preset (kept when the preset changes or goes): the platform published first and
    # the template the others' text gets with the primary post's URL (None: no cross-link).
    preset_id: str | None = Field(default=None, max_length=40)
    primary_platform: str | None = Field(default=None, max_length=20)
    cross_link_template: str | None = Field(default=None, sa_type=Text)
    # When what was published is to be taken down again (the workplace seed's unpublish_on).
    unpublish_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # A recurring post: its series (post_series.id) and the rule's time this occurrence stands for.
    series_id: str | None = Field(default=None, max_length=40)
    occurrence_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PostCount(SQLModel, table=True):
    """How many posts a workspace has in one mode, so an unfiltered list's total is one row read, not a count
    of every post. Kept exact by triggers on post INSERT and DELETE (migration a769510b7614), not by app code:
    posts are also inserted by raw SQL and deleted by cascades. A missing row means 0."""

    __tablename__ = "post_count"

    workspace_id: str = Field(foreign_key="workspace.id", primary_key=True, max_length=40, ondelete="CASCADE")
    is_test: bool = Field(primary_key=True)
    n: int = 0


class Target(SQLModel, table=True):
    """One platform of one publish: claimed by a worker under a lease, retried, finally succeeded/failed."""

    __tablename__ = "target"
    __table_args__ = (
        UniqueConstraint("post_id", "platform", name="uq_target_post_platform"),
        Index("ix_target_due", "status", "next_attempt_at"),
        Index("ix_target_lease", "status", "lease_until"),
    )

    id: str = Field(primary_key=True, max_length=40)
    post_id: str = Field(foreign_key="post.id", index=True, max_length=40, ondelete="CASCADE")
    platform: str = Field(max_length=20)
    account_id: str | None = Field(default=None, max_length=40)
    status: str = Field(default="pending", max_length=20)
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    lease_owner: str | None = Field(default=None, max_length=120)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    remote_id: str | None = Field(default=None, max_length=500)
    remote_url: str | None = Field(default=None, max_length=2000)
    error: str | None = Field(default=None, sa_type=Text)
    error_category: str | None = Field(default=None, max_length=40)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Delivery(SQLModel, table=True):
    """The ledger: written `sending` before the remote call and `sent` right after. Exact crash recovery."""

    __tablename__ = "delivery"
    __table_args__ = (UniqueConstraint("target_id", "segment_index", name="uq_delivery_target_segment"),)

    id: int | None = Field(default=None, primary_key=True)
    target_id: str = Field(foreign_key="target.id", max_length=40, ondelete="CASCADE")
    segment_index: int
    state: str = Field(default="sending", max_length=10)  # sending | pending | sent
    # Pending: what the platform is processing (adapters.base.Pending.handle), where the next attempt continues.
    handle: str | None = Field(default=None, sa_type=Text)
    idempotency_key: str = Field(max_length=64)
    remote_id: str | None = Field(default=None, max_length=500)
    remote_url: str | None = Field(default=None, max_length=2000)
    remote_uri: str | None = Field(default=None, max_length=500)
    remote_cid: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # When an unpublish deleted this segment from the platform (a resumed unpublish skips it).
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Unpublish(SQLModel, table=True):
    """Taking one target's posted segments down from its platform (POST /v1/posts/{id}/unpublish, or the post's
    unpublish_at): claimed under a lease like publishing, each segment's delete recorded in the ledger
    (delivery.deleted_at), so a worker that dies resumes with what is left. One row per target."""

    __tablename__ = "unpublish"
    __table_args__ = (
        Index("ix_unpublish_due", "state", "due_at"),
        Index("ix_unpublish_lease", "state", "lease_until"),
    )

    target_id: str = Field(foreign_key="target.id", primary_key=True, max_length=40, ondelete="CASCADE")
    post_id: str = Field(foreign_key="post.id", index=True, max_length=40, ondelete="CASCADE")
    state: str = Field(default="pending", max_length=20)  # pending | running | done | failed
    due_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    lease_owner: str | None = Field(default=None, max_length=120)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attempts: int = 0
    error: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
