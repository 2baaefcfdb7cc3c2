"""claim links supports and counters

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 03:25:00

Beside same-as, part-of, narrower-than and contradicts: ``supports`` (this claim is evidence
for the other) and ``counters`` (a counter-accusation: Moscow's "it is the US that meddles"
answering an accusation of meddling). SQLite rebuilds ``claim_links`` for the CHECK (batch
mode, keeping every trigger that mentions it). A downgrade is refused while such a link exists.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from factdb.errors import DatabaseNotReady
from factdb.migrate import rebuilt_table

revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = ("same-as", "part-of", "narrower-than", "contradicts")
NEW_KINDS = OLD_KINDS + ("supports", "counters")


def _switch(kinds: tuple[str, ...]) -> None:
    check = "kind IN (" + ", ".join(f"'{kind}'" for kind in kinds) + ")"
    with rebuilt_table(op.get_bind(), "claim_links"), op.batch_alter_table("claim_links") as batch:
        batch.drop_constraint(op.f("ck_claim_links_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_claim_links_kind"), check)


def upgrade() -> None:
    _switch(NEW_KINDS)


def downgrade() -> None:
    waiting = op.get_bind().exec_driver_sql(
        "SELECT count(*) FROM claim_links WHERE kind IN ('supports', 'counters')"
    ).scalar()
    if waiting:
        raise DatabaseNotReady(
            f"Cannot downgrade below revision 0021: {waiting} claim link(s) are supports or counters, "
            "which older revisions do not know; unlink them first."
        )
    _switch(OLD_KINDS)
