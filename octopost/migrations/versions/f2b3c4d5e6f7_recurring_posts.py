"""Recurring posts: a series (rule, timezone, template, materializer cursor) and each occurrence's post linked to
it, one post per (series, occurrence time)

Revision ID: f2b3c4d5e6f7
Revises: e8f9a0b1c2d3
Create Date: 2026-12-03 10:40:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import octopost.db

revision: str = 'f2b3c4d5e6f7'
down_revision: str | None = 'e8f9a0b1c2d3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('post_series',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('workspace_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('is_test', sa.Boolean(), nullable=False),
    sa.Column('rrule', sa.Text(), nullable=False),
    sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('starts_at', octopost.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('template', sa.JSON(), nullable=False),
    sa.Column('materialized_until', octopost.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('next_at', octopost.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ends_at', octopost.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', octopost.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', octopost.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_post_series_next', 'post_series', ['next_at'])
    # Nullable columns and an index, no foreign key: plain ALTER TABLE ADD COLUMN on SQLite, so post is not
    # re-created in a batch (its post_count triggers stay).
    op.add_column('post', sa.Column('series_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
    op.add_column('post', sa.Column('occurrence_at', octopost.db.UTCDateTime(timezone=True), nullable=True))
    op.create_index('uq_post_series_occurrence', 'post', ['series_id', 'occurrence_at'], unique=True)


def downgrade() -> None:
    op.drop_index('uq_post_series_occurrence', table_name='post')
    op.drop_column('post', 'occurrence_at')  # ALTER TABLE DROP COLUMN (SQLite 3.35+): the triggers stay
    op.drop_column('post', 'series_id')
    op.drop_index('ix_post_series_next', table_name='post_series')
    op.drop_table('post_series')
