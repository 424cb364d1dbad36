"""webhook endpoints by mode: an endpoint made with a test key is a test endpoint (existing ones are live)

Revision ID: fc891b22133b
Revises: 615240d7de05
Create Date: 2026-12-01 07:29:10.909906
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'fc891b22133b'
down_revision: str | None = '615240d7de05'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('webhook_endpoint', schema=None) as batch_op:
        # Reviewed: a server default, so the endpoints that exist already become live ones.
        batch_op.add_column(sa.Column('is_test', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.drop_index(batch_op.f('ix_webhook_endpoint_workspace'))
        batch_op.create_index('ix_webhook_endpoint_workspace', ['workspace_id', 'is_test', 'is_active'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('webhook_endpoint', schema=None) as batch_op:
        batch_op.drop_index('ix_webhook_endpoint_workspace')
        batch_op.create_index(batch_op.f('ix_webhook_endpoint_workspace'), ['workspace_id', 'is_active'], unique=False)
        batch_op.drop_column('is_test')

