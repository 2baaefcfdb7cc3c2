"""full-text search

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 21:20:00

SQLite: two FTS5 external-content tables, ``statements_fts`` (quote, hedge, note) and
``claims_fts`` (text, note), kept in sync with their tables by triggers. PostgreSQL: GIN
expression indexes over the same text, which :mod:`factdb.search` queries with the very same
expressions. The models do not describe these objects; ``migrations/env.py`` ignores the
``statements_fts*``/``claims_fts*`` tables and the ``ix_fts_*`` indexes.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Kept identical to factdb.search (the PostgreSQL planner only uses an expression index for
# the expression written exactly the same way).
STATEMENT_DOCUMENT = "coalesce(quote, '') || ' ' || coalesce(hedge, '') || ' ' || coalesce(note, '')"
CLAIM_DOCUMENT = "coalesce(text, '') || ' ' || coalesce(note, '')"
# porter: "complicity" finds "complicit"; remove_diacritics 2: "Hezbollāh" finds "Hezbollah".
TOKENIZE = "porter unicode61 remove_diacritics 2"

# (FTS table, content table, indexed columns)
FTS_TABLES = (
    ("statements_fts", "statements", ("quote", "hedge", "note")),
    ("claims_fts", "claims", ("text", "note")),
)


def _sqlite_statements(fts: str, table: str, columns: tuple[str, ...]) -> list[str]:
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new});"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}', content_rowid='id', "
        f"tokenize='{TOKENIZE}')",
        f"CREATE TRIGGER {fts}_after_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {fts}_after_delete AFTER DELETE ON {table} BEGIN {delete} END",
        # Only a change of the indexed text touches the index (a retraction does not).
        f"CREATE TRIGGER {fts}_after_update AFTER UPDATE OF {cols} ON {table} BEGIN {delete} {insert} END",
        # Rows already present (an upgrade of a filled database).
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for fts, table, columns in FTS_TABLES:
            for sql in _sqlite_statements(fts, table, columns):
                op.execute(sql)
    elif bind.dialect.name == "postgresql":
        op.execute(f"CREATE INDEX ix_fts_statements ON statements USING gin (to_tsvector('english', {STATEMENT_DOCUMENT}))")
        op.execute(f"CREATE INDEX ix_fts_claims ON claims USING gin (to_tsvector('english', {CLAIM_DOCUMENT}))")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for fts, _table, _columns in FTS_TABLES:
            for suffix in ("after_insert", "after_delete", "after_update"):
                op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {fts}")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_fts_statements")
        op.execute("DROP INDEX IF EXISTS ix_fts_claims")
