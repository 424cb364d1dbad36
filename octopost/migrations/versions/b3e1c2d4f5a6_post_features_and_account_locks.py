"""post features (platform_options, poll, reply_policy) and account locks (one publish at a time per account)

Revision ID: b3e1c2d4f5a6
Revises: a769510b7614
Create Date: 2026-12-02 08:30:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import octopost.db

revision: str = 'b3e1c2d4f5a6'
down_revision: str | None = 'a769510b7614'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMNs, not batch_alter_table('post'): SQLite would re-create the table and drop the post_count
    # triggers with it (migration a769510b7614).
    op.add_column('post', sa.Column('platform_options', sa.JSON(), nullable=True))
    op.add_column('post', sa.Column('poll', sa.JSON(), nullable=True))
    op.add_column('post', sa.Column('reply_policy', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
    op.create_table('account_lock',
    sa.Column('account_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('holder', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('until', octopost.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id')
    )


def downgrade() -> None:
    op.drop_table('account_lock')
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.drop_column('reply_policy')
        batch_op.drop_column('poll')
        batch_op.drop_column('platform_options')
