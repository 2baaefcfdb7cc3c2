"""verdicts can rate a statement

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-02 00:20:00

A verdict rated only a claim, so LIAR's "On support for gay marriage" (Romney: true, Obama:
false) became one claim with two ratings that no longer said whose words they rated.
``verdicts.statement_id`` (nullable, ON DELETE RESTRICT, indexed) points at the statement a
verdict rates: the claim as one speaker made it, in one source, on one date.

Upgrade: every existing verdict keeps its claim and rates no statement (which statement an
old verdict meant cannot be told from the data; re-importing its file attaches it).
Downgrade: the column goes; every verdict keeps its claim, so only the link is lost.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('verdicts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('statement_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_verdicts_statement_id'), ['statement_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_verdicts_statement_id_statements'), 'statements', ['statement_id'], ['id'],
            ondelete='RESTRICT',
        )


def downgrade() -> None:
    with op.batch_alter_table('verdicts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_verdicts_statement_id_statements'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_verdicts_statement_id'))
        batch_op.drop_column('statement_id')
