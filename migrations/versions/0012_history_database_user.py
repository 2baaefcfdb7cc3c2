"""history: the database user who made each change (PostgreSQL)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 01:40:00

``history.actor`` is the ``--as`` name, which anyone can type. On PostgreSQL the new
``db_user`` column defaults to ``session_user``: the role that authenticated the
connection. factdb never writes the column, and ``factdb roles setup`` grants the editor role
INSERT on every history column but this one, so an editor cannot put another name there: the
database fills it in. On SQLite (no roles) it stays NULL.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    default = sa.text("session_user") if bind.dialect.name == "postgresql" else None
    op.add_column("history", sa.Column("db_user", sa.String(length=200), server_default=default, nullable=True))


def downgrade() -> None:
    op.drop_column("history", "db_user")
