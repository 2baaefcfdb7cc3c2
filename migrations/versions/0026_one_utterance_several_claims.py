"""one sentence, several claims: statement rows sharing one utterance

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-02 06:50:00

Moscow's "malicious slander" answered two accusations: one utterance, two claims. It is
recorded as one statement row per claim (each on its own claim, with its own stance, counted
there by the existing triggers) that share ``statements.utterance``: the key of the group's
first statement, NULL for a statement that answers one claim only. Reports show each row with
"also answers: <the other claims>". A plain nullable column (no table rebuild on SQLite), with
an index for the siblings' lookup.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from factdb.migrate import rebuilt_table

revision: str = '0026'
down_revision: str | None = '0025'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("statements", sa.Column("utterance", sa.String(length=200), nullable=True))
    op.create_index(op.f("ix_statements_utterance"), "statements", ["utterance"])


def downgrade() -> None:
    op.drop_index(op.f("ix_statements_utterance"), table_name="statements")
    with rebuilt_table(op.get_bind(), "statements"), op.batch_alter_table("statements") as batch:
        batch.drop_column("utterance")
