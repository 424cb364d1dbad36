"""The posting queue: weekly slots per workspace and mode, the slots posts took with next_free_slot, and posts by
scheduled time (a calendar's query)

Revision ID: d5e6f7a8b9c0
Revises: c4d5e6f7a8b9
Create Date: 2026-12-03 07:00:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import octopost.db

revision: str = 'd5e6f7a8b9c0'
down_revision: str | None = 'c4d5e6f7a8b9'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('queue_schedule',
    sa.Column('workspace_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('is_test', sa.Boolean(), nullable=False),
    sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('slots', sa.JSON(), nullable=False),
    sa.Column('updated_at', octopost.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('workspace_id', 'is_test')
    )
    op.create_table('queue_slot_claim',
    sa.Column('post_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('workspace_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('is_test', sa.Boolean(), nullable=False),
    sa.Column('slot_at', octopost.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id'),
    sa.UniqueConstraint('workspace_id', 'is_test', 'slot_at', name='uq_queue_slot')
    )


    # An index, not a table change: no batch re-creation of post (its post_count triggers stay).
    op.create_index('ix_post_workspace_mode_scheduled', 'post', ['workspace_id', 'is_test', 'scheduled_for', 'id'])


def downgrade() -> None:
    op.drop_index('ix_post_workspace_mode_scheduled', table_name='post')
    op.drop_table('queue_slot_claim')
    op.drop_table('queue_schedule')
