"""A delivery's handle: what the platform is processing for a pending segment (a container, an upload session)

Revision ID: e7f8a9b0c1d2
Revises: e6f7a8b9c0d1
Create Date: 2026-12-03 11:10:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'e7f8a9b0c1d2'
down_revision: str | None = 'e6f7a8b9c0d1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('delivery', sa.Column('handle', sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column('delivery', 'handle')
