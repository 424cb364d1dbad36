"""Unpublishing: one row per target taken down (claimed under a lease), the segments deleted, the post's unpublish_at

Revision ID: e8f9a0b1c2d3
Revises: e7f8a9b0c1d2
Create Date: 2026-12-03 11:50:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import octopost.db

revision: str = 'e8f9a0b1c2d3'
down_revision: str | None = 'e7f8a9b0c1d2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('unpublish',
    sa.Column('target_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('post_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('due_at', octopost.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lease_owner', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('lease_until', octopost.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', octopost.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', octopost.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('target_id')
    )
    op.create_index('ix_unpublish_due', 'unpublish', ['state', 'due_at'])
    op.create_index('ix_unpublish_lease', 'unpublish', ['state', 'lease_until'])
    op.create_index(op.f('ix_unpublish_post_id'), 'unpublish', ['post_id'])
    op.add_column('delivery', sa.Column('deleted_at', octopost.db.UTCDateTime(timezone=True), nullable=True))
    # A plain ADD COLUMN on post (never a batch re-creation: the post_count triggers stay).
    op.add_column('post', sa.Column('unpublish_at', octopost.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column('post', 'unpublish_at')
    op.drop_column('delivery', 'deleted_at')
    op.drop_index(op.f('ix_unpublish_post_id'), table_name='unpublish')
    op.drop_index('ix_unpublish_lease', table_name='unpublish')
    op.drop_index('ix_unpublish_due', table_name='unpublish')
    op.drop_table('unpublish')
