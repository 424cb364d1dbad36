"""post count: per workspace and mode, kept by triggers on post insert and delete, so that an unfiltered list's
total reads one row instead of counting every post of the workspace

Revision ID: a769510b7614
Revises: fc891b22133b
Create Date: 2026-12-01 07:32:33.864214
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'a769510b7614'
down_revision: str | None = 'fc891b22133b'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Triggers, not application code: posts are also inserted by raw SQL (bench/seeding.py) and deleted by
# cascades. Only INSERT and DELETE: the counted total does not depend on status, and a trigger on status
# changes would make concurrent status updates queue (and on PostgreSQL risk deadlocks) on the counter rows.
# The DELETE side is a plain UPDATE: the row exists whenever a post does (insert trigger + backfill), and an
# upsert there could re-create a counter row for a workspace being deleted by a cascade.
# Beware on SQLite: a later batch_alter_table('post') copies the table and drops the old one, which drops
# these triggers with it; such a migration must create them again (tests/posts/test_post_count.py checks).
_SQLITE = [
    """
    CREATE TRIGGER post_count_on_insert AFTER INSERT ON post BEGIN
        INSERT INTO post_count (workspace_id, is_test, n) VALUES (NEW.workspace_id, NEW.is_test, 1)
        ON CONFLICT (workspace_id, is_test) DO UPDATE SET n = n + 1;
    END
    """,
    """
    CREATE TRIGGER post_count_on_delete AFTER DELETE ON post BEGIN
        UPDATE post_count SET n = n - 1 WHERE workspace_id = OLD.workspace_id AND is_test = OLD.is_test;
    END
    """,
]
_POSTGRESQL = [
    """
    CREATE FUNCTION post_count_track() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO post_count (workspace_id, is_test, n) VALUES (NEW.workspace_id, NEW.is_test, 1)
            ON CONFLICT (workspace_id, is_test) DO UPDATE SET n = post_count.n + 1;
        ELSE
            UPDATE post_count SET n = n - 1 WHERE workspace_id = OLD.workspace_id AND is_test = OLD.is_test;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    "CREATE TRIGGER post_count_on_insert AFTER INSERT ON post FOR EACH ROW EXECUTE FUNCTION post_count_track()",
    "CREATE TRIGGER post_count_on_delete AFTER DELETE ON post FOR EACH ROW EXECUTE FUNCTION post_count_track()",
]
# After the triggers, and an upsert: SQLite runs DDL outside a transaction, so a post inserted by another
# process between the two has already made its counter row; the backfill's count includes that post, so it
# overwrites rather than adds. (On PostgreSQL CREATE TRIGGER locks out writers until this migration commits.)
_BACKFILL = """
    INSERT INTO post_count (workspace_id, is_test, n)
    SELECT workspace_id, is_test, count(*) FROM post WHERE true GROUP BY workspace_id, is_test
    ON CONFLICT (workspace_id, is_test) DO UPDATE SET n = excluded.n
"""


def upgrade() -> None:
    op.create_table('post_count',
    sa.Column('workspace_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('is_test', sa.Boolean(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('workspace_id', 'is_test')
    )
    for statement in _SQLITE if op.get_bind().dialect.name == 'sqlite' else _POSTGRESQL:
        op.execute(statement)
    op.execute(_BACKFILL)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for trigger in ('post_count_on_insert', 'post_count_on_delete'):
        op.execute(f'DROP TRIGGER IF EXISTS {trigger}' + ('' if sqlite else ' ON post'))
    if not sqlite:
        op.execute('DROP FUNCTION IF EXISTS post_count_track()')
    op.drop_table('post_count')
