"""report contested: an index in its ranking order

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 02:40:00

``report contested`` ranks the claims with statements on both sides by the distinct speakers
of their smaller side, then by their statements, then by key, from the counts the database
maintains (revision 0003); without an index in that order it read every claim (100,000 at
1M statements) to return 20. This partial expression index holds exactly the contested
claims, in ranking order, so the top 20 are its first 20 entries. The expressions are those
of :mod:`factdb.reports.contested` (the planner uses the index only for the same
expressions); the models do not describe it (``migrations/env.py`` ignores ``ix_expr_*``).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SMALLER_SIDE = "(CASE WHEN support_speakers < oppose_speakers THEN support_speakers ELSE oppose_speakers END)"
STATEMENTS = "(support_statements + oppose_statements)"


def upgrade() -> None:
    op.get_bind().exec_driver_sql(
        f'CREATE INDEX ix_expr_claims_contested ON claims ({SMALLER_SIDE} DESC, {STATEMENTS} DESC, "key") '
        "WHERE support_statements > 0 AND oppose_statements > 0"
    )


def downgrade() -> None:
    op.get_bind().exec_driver_sql("DROP INDEX ix_expr_claims_contested")
