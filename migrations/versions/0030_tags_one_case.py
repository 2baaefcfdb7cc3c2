"""claim tags: one case rule (lower case) for every stored tag

Revision ID: 0030
Revises: 0014
Create Date: 2026-12-02 03:40:00

``claim add --tag`` stored tags in lower case; the importer kept them as written, so a tag
imported as ``IRAN`` was found by no ``--tag`` filter and no ``--untag`` could remove it. Every
write path now lower-cases tags (:func:`factdb.normalize.tag_form`); this revision brings the
stored ones in line. A claim with the same tag in two cases keeps one. Lower-casing is done in
Python (SQLite's ``lower()`` knows only ASCII). The downgrade leaves the tags as they are:
their old case is not kept anywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0030'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT claim_id, tag FROM claim_tags")).all()
    kept = {(claim_id, tag) for claim_id, tag in rows}
    changed = [(claim_id, tag) for claim_id, tag in rows if tag != tag.strip().lower()]
    for claim_id, tag in changed:
        bind.execute(sa.text("DELETE FROM claim_tags WHERE claim_id = :c AND tag = :t"), {"c": claim_id, "t": tag})
        kept.discard((claim_id, tag))
        lowered = tag.strip().lower()
        if (claim_id, lowered) not in kept:
            bind.execute(sa.text("INSERT INTO claim_tags (claim_id, tag) VALUES (:c, :t)"), {"c": claim_id, "t": lowered})
            kept.add((claim_id, lowered))


def downgrade() -> None:
    pass  # the tags' former case is not kept: they stay in lower case
