"""Presets, and what a post takes from one (primary platform, cross-link template); per-platform overrides

Revision ID: e6f7a8b9c0d1
Revises: d5e6f7a8b9c0
Create Date: 2026-12-03 11:00:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import octopost.db

revision: str = 'e6f7a8b9c0d1'
down_revision: str | None = 'd5e6f7a8b9c0'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('preset',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('workspace_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('is_test', sa.Boolean(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('platforms', sa.JSON(), nullable=False),
    sa.Column('primary_platform', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('cross_link_enabled', sa.Boolean(), nullable=False),
    sa.Column('cross_link_template', sa.Text(), nullable=True),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('created_at', octopost.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', octopost.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('workspace_id', 'is_test', 'name', name='uq_preset_name')
    )
    op.create_index('ix_preset_workspace_mode', 'preset', ['workspace_id', 'is_test', 'created_at'])
    # Plain ADD COLUMNs on post, never batch_alter_table('post'): SQLite would re-create the table and drop the
    # post_count triggers with it (migration a769510b7614).
    op.add_column('post', sa.Column('overrides', sa.JSON(), nullable=True))
    op.add_column('post', sa.Column('preset_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
    op.add_column('post', sa.Column('primary_platform', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
    op.add_column('post', sa.Column('cross_link_template', sa.Text(), nullable=True))


def downgrade() -> None:
    for column in ('cross_link_template', 'primary_platform', 'preset_id', 'overrides'):
        op.drop_column('post', column)
    op.drop_index('ix_preset_workspace_mode', table_name='preset')
    op.drop_table('preset')
