"""a retraction or correction carries the date it was published

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02 03:45:00

``statements.retracted_at`` is the clock time the retraction was entered; ``retracted_on`` (a
partial date with its precision, like ``said_on``) is the date the correction or retraction
was published (``statement retract --on DATE``), which may be days before it was entered.
Set only on a retracted statement. SQLite rebuilds ``statements`` for the CHECKs (batch mode,
keeping every trigger that mentions it).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from factdb.migrate import rebuilt_table

revision: str = '0024'
down_revision: str | None = '0023'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PAIR = (
    "(retracted_on IS NULL AND retracted_on_precision IS NULL) OR "
    "(retracted_on IS NOT NULL AND retracted_on_precision IS NOT NULL AND "
    "retracted_on_precision IN ('day', 'month', 'year'))"
)


def upgrade() -> None:
    with rebuilt_table(op.get_bind(), "statements"), op.batch_alter_table("statements") as batch:
        batch.add_column(sa.Column("retracted_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("retracted_on_precision", sa.String(length=5), nullable=True))
        batch.create_check_constraint(op.f("ck_statements_retracted_on_precision"), PAIR)
        batch.create_check_constraint(
            op.f("ck_statements_retracted_on_retracted"), "retracted_on IS NULL OR retracted_at IS NOT NULL"
        )


def downgrade() -> None:
    with rebuilt_table(op.get_bind(), "statements"), op.batch_alter_table("statements") as batch:
        batch.drop_constraint(op.f("ck_statements_retracted_on_retracted"), type_="check")
        batch.drop_constraint(op.f("ck_statements_retracted_on_precision"), type_="check")
        batch.drop_column("retracted_on_precision")
        batch.drop_column("retracted_on")
