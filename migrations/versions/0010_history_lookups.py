"""history: indexed look-ups by entity, linked claim and row

Revision ID: 0010
Revises: 0006
Create Date: 2026-12-02 00:40:00

``factdb history --entity NAME`` and a claim's links used to read every ``entity_names``,
``entity_roles`` and ``claim_links`` entry and filter them in Python (the entity or the
other claim was only inside the JSON values). Two indexed columns name them:
``entity_id`` (the entity an ``entities``, ``entity_names`` or ``entity_roles`` entry is about)
and ``linked_claim_id`` (the claim a ``claim_links`` entry points to); an index on
``(table_name, row_id)`` serves a source's history. The upgrade fills both columns for the
entries already there, from their recorded values.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _recorded(field: str, dialect: str) -> str:
    """SQL: the integer ``field`` of an entry's recorded values (after, else before)."""
    if dialect == "postgresql":
        return f"CAST(coalesce(\"after\" ->> '{field}', \"before\" ->> '{field}') AS INTEGER)"
    return f"CAST(coalesce(json_extract(\"after\", '$.{field}'), json_extract(\"before\", '$.{field}')) AS INTEGER)"


def upgrade() -> None:
    op.add_column("history", sa.Column("entity_id", sa.Integer(), nullable=True))
    op.add_column("history", sa.Column("linked_claim_id", sa.Integer(), nullable=True))
    bind = op.get_bind()
    dialect = bind.dialect.name
    bind.exec_driver_sql("UPDATE history SET entity_id = row_id WHERE table_name = 'entities'")
    bind.exec_driver_sql(
        f"UPDATE history SET entity_id = {_recorded('entity_id', dialect)} "
        "WHERE table_name IN ('entity_names', 'entity_roles')"
    )
    bind.exec_driver_sql(
        f"UPDATE history SET linked_claim_id = {_recorded('to_claim_id', dialect)} WHERE table_name = 'claim_links'"
    )
    op.create_index(op.f("ix_history_entity_id"), "history", ["entity_id"], unique=False)
    op.create_index(op.f("ix_history_linked_claim_id"), "history", ["linked_claim_id"], unique=False)
    op.create_index("ix_history_table_name_row_id", "history", ["table_name", "row_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_history_table_name_row_id", table_name="history")
    op.drop_index(op.f("ix_history_linked_claim_id"), table_name="history")
    op.drop_index(op.f("ix_history_entity_id"), table_name="history")
    # SQLite >= 3.35 drops a column in place
    op.drop_column("history", "linked_claim_id")
    op.drop_column("history", "entity_id")
