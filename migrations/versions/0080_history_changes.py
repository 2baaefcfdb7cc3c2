"""history: changes (an index on occurred_at) and the "undo" action

Revision ID: 0080
Revises: 0040
Create Date: 2026-12-02 03:15:00

Every entry a command writes carries the time its transaction began (see
:func:`factdb.history.change_time`), so the entries of one command share ``occurred_at``,
``actor`` and ``command``: that is one change, which ``factdb history`` (no argument) lists
and ``factdb undo`` reverts. The index finds a change's entries, and the changes since a
date, without reading the whole history. An undo is recorded as a change of its own, its entries
labelled ``undo``: the action's CHECK constraint gains that value.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0080'
down_revision: str | None = '0040'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


BEFORE = ("insert", "update", "delete", "merge", "retract", "import")
AFTER = (*BEFORE, "undo")


def _actions(actions: tuple[str, ...]) -> None:
    with op.batch_alter_table("history") as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_history_action"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_history_action"), "action IN (" + ", ".join(f"'{a}'" for a in actions) + ")"
        )


def upgrade() -> None:
    op.create_index("ix_history_occurred_at", "history", ["occurred_at"])
    _actions(AFTER)


def downgrade() -> None:
    op.execute("UPDATE history SET action = 'update' WHERE action = 'undo'")  # keep the entries
    _actions(BEFORE)
    op.drop_index("ix_history_occurred_at", table_name="history")
