"""source kinds: article, statement, press release, transcript, social post, broadcast...

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 03:35:00

"Said in a statement", "a U.S. intelligence assessment", a press release, a transcript, a
social-media post, a broadcast: ``sources.kind`` says what the document is (every existing
source is an ``article``). Its publisher (``outlet_id``) was already any entity; the FBI is a
government body, not a media outlet. SQLite rebuilds ``sources`` for the CHECK (batch mode,
keeping every trigger that mentions it).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from factdb.migrate import rebuilt_table

revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = (
    "article", "statement", "press-release", "transcript", "interview", "social-post", "broadcast",
    "assessment", "document", "other",
)  # fmt: skip


def upgrade() -> None:
    check = "kind IN (" + ", ".join(f"'{kind}'" for kind in KINDS) + ")"
    with rebuilt_table(op.get_bind(), "sources"), op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=20), server_default="article", nullable=False))
        batch.create_check_constraint(op.f("ck_sources_kind"), check)


def downgrade() -> None:
    with rebuilt_table(op.get_bind(), "sources"), op.batch_alter_table("sources") as batch:
        batch.drop_constraint(op.f("ck_sources_kind"), type_="check")
        batch.drop_column("kind")
