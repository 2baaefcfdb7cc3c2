"""sources without an outlet: ``sources.outlet_id`` may be NULL

Revision ID: 0050
Revises: 0027
Create Date: 2026-12-02 06:40:00

An original nobody has seen (an assessment quoted by the press, an unnamed page) is
recorded without an invented outlet: reports show "(no outlet)" and count each such story as
an outlet of its own (:mod:`factdb.sourcing`). SQLite rebuilds the table (batch mode,
keeping every trigger that mentions it).

Downgrading gives the sources without an outlet a stand-in publisher, the entity
:data:`STAND_IN` (older revisions require one); upgrading again takes it away and deletes it,
so a round trip changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from factdb.migrate import rebuilt_table
from factdb.normalize import normalize_name

revision: str = '0050'
down_revision: str | None = '0027'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAND_IN = "(no outlet: stand-in of revision 0050)"


def upgrade() -> None:
    bind = op.get_bind()
    with rebuilt_table(bind, "sources"):
        with op.batch_alter_table("sources") as batch:
            batch.alter_column("outlet_id", existing_type=sa.Integer(), nullable=True)
        # the triggers of sources are away on SQLite here: the search queue is left as it was
        stand_in = bind.execute(sa.text("SELECT id FROM entities WHERE name = :name"), {"name": STAND_IN}).scalar()
        if stand_in is not None:
            bind.execute(sa.text("UPDATE sources SET outlet_id = NULL WHERE outlet_id = :id"), {"id": stand_in})
            bind.execute(sa.text("DELETE FROM entity_names WHERE entity_id = :id"), {"id": stand_in})
            bind.execute(sa.text("DELETE FROM entities WHERE id = :id"), {"id": stand_in})


def downgrade() -> None:
    bind = op.get_bind()
    with rebuilt_table(bind, "sources"):
        if bind.execute(sa.text("SELECT 1 FROM sources WHERE outlet_id IS NULL")).first() is not None:
            now = bind.execute(sa.text("SELECT CURRENT_TIMESTAMP")).scalar()
            bind.execute(
                sa.text("INSERT INTO entities (name, kind, note, created_at, updated_at) "
                        "VALUES (:name, 'media', :note, :now, :now)"),
                {"name": STAND_IN, "now": now,
                 "note": "Publisher of the sources recorded without an outlet; upgrading past revision 0050 "
                         "removes it again."},
            )  # fmt: skip
            stand_in = bind.execute(sa.text("SELECT id FROM entities WHERE name = :name"), {"name": STAND_IN}).scalar()
            bind.execute(
                sa.text("INSERT INTO entity_names (entity_id, name, normalized, is_primary) "
                        "VALUES (:id, :name, :normalized, :primary)"),
                {"id": stand_in, "name": STAND_IN, "normalized": normalize_name(STAND_IN), "primary": True},
            )  # fmt: skip
            bind.execute(sa.text("UPDATE sources SET outlet_id = :id WHERE outlet_id IS NULL"), {"id": stand_in})
        with op.batch_alter_table("sources") as batch:
            batch.alter_column("outlet_id", existing_type=sa.Integer(), nullable=False)
