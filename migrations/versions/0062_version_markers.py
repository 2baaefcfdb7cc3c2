"""copy markers for source versions: the stored counts read the newest version

Revision ID: 0062
Revises: 0061
Create Date: 2026-12-02 10:40:00

Revision 0060's markers (``statements.copy_of_id``) folded the copies of one story; the
statements of a superseded version (revision 0051, ``sources.updates_id``) still counted. The
fold is now :func:`factdb.sourcing.fold_statements` for the reports and the markers alike: a
statement the newest version repeats is a copy of the newest version's, one only an earlier
version made is marked as a copy of itself (shown, never counted), and a copy of an earlier
version belongs to the newest version's story. No schema change and no trigger change: the
upgrade remarks every claim (each marking UPDATE moves the counts through revision 0060's
triggers) and stores the sourcing flags of the claims with a statement in a versioned story.
Downgrade leaves the markers: they still mark statements that do not count, and revision
0061's code remarks a claim at its next write.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op
from sqlalchemy.orm import Session

from factdb.claim_flags import store_flags
from factdb.copies import mark_copies
from factdb.touched import below_sql

revision: str = '0062'
down_revision: str | None = '0061'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    changed = mark_copies(bind, None)
    versioned = bind.exec_driver_sql(
        below_sql("updates_id IS NOT NULL") + "SELECT DISTINCT claim_id FROM statements "
        "WHERE source_id IN (SELECT id FROM below)"
    )
    store_flags(Session(bind=bind), changed | {row[0] for row in versioned})


def downgrade() -> None:
    pass
