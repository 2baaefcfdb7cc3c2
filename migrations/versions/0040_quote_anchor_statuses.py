"""quote anchors: ambiguous and changed statuses

Revision ID: 0040
Revises: 0030
Create Date: 2026-12-02 03:00:00

A quote anchor was ``found`` or ``missing``. Two more statuses (:mod:`factdb.quotes`):
``ambiguous`` (the quote occurs more than once and no occurrence fits its recorded context;
before, the first occurrence was anchored silently) and ``changed`` (the text has the quote
with other words). Upgrade widens the CHECK constraint; existing anchors keep their status
until their source's text is attached again. Downgrade turns both new statuses back into
what they were before: an ambiguous anchor into ``found`` (at its first occurrence, as the
old code anchored it) and a changed one into ``missing``.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0040'
down_revision: str | None = '0030'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW = "status IN ('found', 'ambiguous', 'changed', 'missing')"
OLD = "status IN ('found', 'missing')"


def upgrade() -> None:
    with op.batch_alter_table('quote_anchors', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_quote_anchors_status'), type_='check')
        batch_op.create_check_constraint(op.f('ck_quote_anchors_status'), NEW)


def downgrade() -> None:
    op.execute("UPDATE quote_anchors SET status = 'found' WHERE status = 'ambiguous'")
    op.execute(
        "UPDATE quote_anchors SET status = 'missing', exact = NULL, prefix = NULL, suffix = NULL, "
        "start_offset = NULL, end_offset = NULL WHERE status = 'changed'"
    )
    with op.batch_alter_table('quote_anchors', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_quote_anchors_status'), type_='check')
        batch_op.create_check_constraint(op.f('ck_quote_anchors_status'), OLD)
