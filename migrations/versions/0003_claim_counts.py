"""claim counts maintained by the database

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 22:10:00

Per claim: unretracted statements and distinct speakers on each side (four columns on
``claims``), and ``claim_speakers`` (one row per claim, side and speaker while that speaker has
statements there). Triggers on ``statements`` keep both in sync on every write path (SQLite
triggers; a plpgsql function on PostgreSQL); the SQL lives in :mod:`factdb.counts`, which
also recreates the triggers after a bulk load. The upgrade counts the existing statements.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from factdb import counts

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("support_statements", "oppose_statements", "support_speakers", "oppose_speakers")


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN on both backends: a batch rebuild of claims on SQLite would
    # drop the FTS triggers of revision 0002 along with the old table.
    for column in COLUMNS:
        op.add_column("claims", sa.Column(column, sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "claim_speakers",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=10), nullable=False),
        sa.Column("speaker_ref", sa.Text(), nullable=False),
        sa.Column("statements", sa.Integer(), nullable=False),
        sa.CheckConstraint("side IN ('support', 'oppose')", name=op.f("ck_claim_speakers_side")),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_claim_speakers_claim_id_claims"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("claim_id", "side", "speaker_ref", name=op.f("pk_claim_speakers")),
    )
    bind = op.get_bind()
    counts.rebuild_claim_counts(bind)
    counts.create_claim_count_triggers(bind)


def downgrade() -> None:
    bind = op.get_bind()
    counts._drop_triggers(bind, function=True)
    op.drop_table("claim_speakers")
    for column in COLUMNS:
        # SQLite >= 3.35 drops a column in place (no table rebuild, so 0002's triggers stay).
        op.drop_column("claims", column)
