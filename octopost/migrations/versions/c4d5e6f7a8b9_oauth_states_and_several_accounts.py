"""OAuth connect states, several accounts per platform (a default one), posts naming their accounts

Revision ID: c4d5e6f7a8b9
Revises: b3e1c2d4f5a6
Create Date: 2026-12-02 22:00:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import octopost.db

revision: str = 'c4d5e6f7a8b9'
down_revision: str | None = 'b3e1c2d4f5a6'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('oauth_state',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('workspace_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('is_test', sa.Boolean(), nullable=False),
    sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('base_url', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('verifier_encrypted', sa.Text(), nullable=False),
    sa.Column('return_to', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('created_at', octopost.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', octopost.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', octopost.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    # Accounts connected before several per platform existed: the one active account of each platform is its
    # default. The server default keeps the ADD COLUMN valid on existing rows; it stays, since dropping it would
    # take a batch re-creation of the account table on SQLite.
    op.add_column('account', sa.Column('is_default', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE account SET is_default = is_active")
    # A plain ADD COLUMN on post, never batch_alter_table('post'): SQLite would re-create the table and drop the
    # post_count triggers with it (migration a769510b7614).
    op.add_column('post', sa.Column('accounts', sa.JSON(), nullable=True))


def downgrade() -> None:
    # SQLite (3.35+) drops a column in place: no batch re-creation, so the post_count triggers stay.
    op.drop_column('post', 'accounts')
    op.drop_column('account', 'is_default')
    op.drop_table('oauth_state')
