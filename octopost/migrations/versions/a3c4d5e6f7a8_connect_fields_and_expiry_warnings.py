"""OAuth connect fields (Facebook's page_id, LinkedIn's organization_id) and token expiry warnings

Revision ID: a3c4d5e6f7a8
Revises: f1a2b3c4d5e6
Create Date: 2026-12-03 14:00:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import octopost.db

revision: str = 'a3c4d5e6f7a8'
down_revision: str | None = 'f1a2b3c4d5e6'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('oauth_state') as batch:
        batch.add_column(sa.Column('connect_fields', sa.Text(), nullable=True))
    with op.batch_alter_table('account') as batch:
        batch.add_column(sa.Column('expiry_warned_at', octopost.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('account') as batch:
        batch.drop_column('expiry_warned_at')
    with op.batch_alter_table('oauth_state') as batch:
        batch.drop_column('connect_fields')
