"""source versions: ``sources.updates_id``, the earlier version a source updates

Revision ID: 0051
Revises: 0050
Create Date: 2026-12-02 06:45:00

An article updated from "two" to "five" evacuations is two sources, the later one
``updates`` the earlier (``source add --updates KEY``). Reports count the newest version of a
chain and show what only an earlier version said (:mod:`factdb.sourcing`). A version is not
a republication: both may be set. SQLite rebuilds the table (batch mode, keeping every
trigger that mentions it). The index is unique: a version has at most one later version.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from factdb.migrate import rebuilt_table

revision: str = '0051'
down_revision: str | None = '0050'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    with rebuilt_table(bind, "sources"), op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("updates_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_sources_updates_id_sources"), "sources", ["updates_id"], ["id"], ondelete="RESTRICT"
        )
        batch.create_index(op.f("ix_sources_updates_id"), ["updates_id"], unique=True)


def downgrade() -> None:
    bind = op.get_bind()
    # before the rebuild, which would otherwise restore the index it saved
    op.drop_index(op.f("ix_sources_updates_id"), table_name="sources")
    with rebuilt_table(bind, "sources"), op.batch_alter_table("sources") as batch:
        batch.drop_constraint(op.f("fk_sources_updates_id_sources"), type_="foreignkey")
        batch.drop_column("updates_id")
