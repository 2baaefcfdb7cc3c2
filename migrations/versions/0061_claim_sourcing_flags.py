"""claims.sourcing_flags: each claim's sourcing flags stored, for report sourcing --limit

Revision ID: 0061
Revises: 0060
Create Date: 2026-12-02 07:00:00

``report sourcing`` computed the flags of every claim from every statement to show the top
20. ``claims.sourcing_flags`` (bit *i* for ``factdb.sourcing.FLAGS[i]``) and
``claims.sourcing_flag_count`` store them (:mod:`factdb.claim_flags`, computed by
:func:`factdb.sourcing.sourcing_flags`, the one definition), and a partial index in the
report's order (flag count descending, then key; flagged claims only) makes the top N the
index's first N entries. The models do not describe the index (``migrations/env.py``
ignores ``ix_expr_*``). Upgrade fills both columns for every claim (reading every statement
once).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

from factdb.claim_flags import store_flags

revision: str = '0061'
down_revision: str | None = '0060'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("sourcing_flags", "sourcing_flag_count")


def upgrade() -> None:
    # plain ALTER TABLE ADD COLUMN on both backends (no SQLite rebuild of claims)
    for column in COLUMNS:
        op.add_column("claims", sa.Column(column, sa.Integer(), server_default="0", nullable=False))
    bind = op.get_bind()
    bind.exec_driver_sql(
        'CREATE INDEX ix_expr_claims_sourcing ON claims (sourcing_flag_count DESC, "key") '
        "WHERE sourcing_flag_count > 0"
    )
    store_flags(Session(bind=bind), None)


def downgrade() -> None:
    op.get_bind().exec_driver_sql("DROP INDEX ix_expr_claims_sourcing")
    for column in COLUMNS:
        op.drop_column("claims", column)  # SQLite >= 3.35 drops a column in place
