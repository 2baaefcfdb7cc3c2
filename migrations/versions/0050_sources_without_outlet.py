"""sources without an outlet: ``sources.outlet_id`` may be NULL

Revision ID: 0050
Revises: 0024
Create Date: 2026-12-02 06:40:00

An original nobody has seen (an assessment quoted by the press, an unnamed page) is
recorded without an invented outlet: reports show "(no outlet)" and count each such story as
an outlet of its own (:mod:`factdb.sourcing`). SQLite rebuilds the table (batch mode,
keeping every trigger that mentions it).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from factdb.errors import DatabaseNotReady
from factdb.migrate import rebuilt_table

revision: str = '0050'
down_revision: str | None = '0024'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    with rebuilt_table(bind, "sources"), op.batch_alter_table("sources") as batch:
        batch.alter_column("outlet_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    bind = op.get_bind()
    missing = bind.exec_driver_sql("SELECT count(*) FROM sources WHERE outlet_id IS NULL").scalar()
    if missing:
        raise DatabaseNotReady(
            f"Cannot downgrade below revision 0050: {missing} source(s) have no outlet, which older "
            "revisions require; give them one (factdb source edit KEY --outlet NAME) first."
        )
    with rebuilt_table(bind, "sources"), op.batch_alter_table("sources") as batch:
        batch.alter_column("outlet_id", existing_type=sa.Integer(), nullable=False)
