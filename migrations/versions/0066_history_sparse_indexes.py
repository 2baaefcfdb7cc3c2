"""history: the entity and linked-claim indexes hold only the entries that have one

Revision ID: 0066
Revises: 0065
Create Date: 2026-12-07 23:30:00

``history.entity_id`` is set for the entries of entities, their names and roles only, and
``linked_claim_id`` for claim links only: an import of 1M statements wrote 1.17M history
entries, and each of the two indexes took an entry for every one of them, nearly all NULL.
Both become partial (``WHERE ... IS NOT NULL``); the queries that use them (``entity_id IN
(...)``, ``linked_claim_id IN (...)``) still do, on SQLite and on PostgreSQL, since such a
comparison implies the column is not NULL.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0066'
down_revision: str | None = '0065'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("entity_id", "linked_claim_id")


def upgrade() -> None:
    for column in COLUMNS:
        op.drop_index(f"ix_history_{column}", table_name="history")
        op.create_index(f"ix_history_{column}", "history", [column],
                        sqlite_where=sa.text(f"{column} IS NOT NULL"),
                        postgresql_where=sa.text(f"{column} IS NOT NULL"))


def downgrade() -> None:
    for column in COLUMNS:
        op.drop_index(f"ix_history_{column}", table_name="history")
        op.create_index(f"ix_history_{column}", "history", [column])
