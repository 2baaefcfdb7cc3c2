"""where in the article: a statement's position; a source's printed times and text state

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 03:40:00

``statements.position``: ``headline``, ``standfirst`` or ``body`` (a claim made in a headline
reads differently from one deep in the body). ``sources.published_time`` and
``sources.modified_time``: the time of day the page prints ("Published 11:06, Modified
11:08"), as printed (``HH:MM`` or ``HH:MM:SS``, no time zone is known). ``sources.text_state``:
``truncated`` or ``garbled`` when the copy in hand is not the whole clean text. SQLite
rebuilds both tables for the CHECKs (batch mode, keeping every trigger that mentions them).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from factdb.migrate import rebuilt_table

revision: str = '0023'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    with rebuilt_table(bind, "statements"), op.batch_alter_table("statements") as batch:
        batch.add_column(sa.Column("position", sa.String(length=20), nullable=True))
        batch.create_check_constraint(
            op.f("ck_statements_position"), "position IS NULL OR position IN ('headline', 'standfirst', 'body')"
        )
    with rebuilt_table(bind, "sources"), op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("published_time", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("modified_time", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("text_state", sa.String(length=20), nullable=True))
        batch.create_check_constraint(
            op.f("ck_sources_text_state"), "text_state IS NULL OR text_state IN ('truncated', 'garbled')"
        )


def downgrade() -> None:
    bind = op.get_bind()
    with rebuilt_table(bind, "sources"), op.batch_alter_table("sources") as batch:
        batch.drop_constraint(op.f("ck_sources_text_state"), type_="check")
        batch.drop_column("text_state")
        batch.drop_column("modified_time")
        batch.drop_column("published_time")
    with rebuilt_table(bind, "statements"), op.batch_alter_table("statements") as batch:
        batch.drop_constraint(op.f("ck_statements_position"), type_="check")
        batch.drop_column("position")
