"""search: normalized documents with speakers and source titles, queued by triggers

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 01:10:00

Replaces revision 0002's index. A statement is indexed as ``body`` (quote, hedge, note),
``speaker`` (the speaker's names and aliases, or the anonymous description, and the
affiliation's names) and ``source`` (title and outlet), a claim as its text and note, all in
the NFKC form with Han, kana and Hangul characters split (see :mod:`factdb.search_index`,
which builds the documents: neither SQLite nor a trigger can normalize text, so the triggers
here only queue the ids of changed rows in ``search_fts_queue``).

SQLite: FTS5 tables ``search_fts_statements`` and ``search_fts_claims``. PostgreSQL: tables of
the same names with a generated ``tsvector`` and a GIN index; the queue triggers of statements
and claims are skipped in a transaction that sets ``factdb.bulk_search`` (a bulk import, which
indexes its rows itself), so an import needs no DDL. The upgrade queues every existing
statement and claim; ``factdb init`` indexes the queue right after migrating.

A revision is a frozen snapshot: the trigger SQL is written out here; factdb.search_index
recreates the same SQLite triggers after a bulk load (tests/test_search.py compares them).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TOKENIZE = "porter unicode61 remove_diacritics 2"
STATEMENT_COLUMNS = "quote, hedge, note, speaker_id, speaker_description, speaker_affiliation_id, source_id"
QUEUE = "INSERT OR IGNORE INTO search_fts_queue (kind, row_id)"
GUARD = "WHEN (current_setting('factdb.bulk_search', true) IS DISTINCT FROM 'on')"


def _speakers(row: str) -> str:
    return (f"{QUEUE} SELECT 's', id FROM statements WHERE speaker_id = {row}.entity_id "
            f"OR speaker_affiliation_id = {row}.entity_id;")


SQLITE = [
    f"CREATE VIRTUAL TABLE search_fts_statements USING fts5(body, speaker, source, tokenize='{TOKENIZE}')",
    f"CREATE VIRTUAL TABLE search_fts_claims USING fts5(body, tokenize='{TOKENIZE}')",
    "CREATE TABLE search_fts_queue (kind TEXT NOT NULL, row_id INTEGER NOT NULL, PRIMARY KEY (kind, row_id))",
    f"CREATE TRIGGER search_fts_statements_insert AFTER INSERT ON statements BEGIN {QUEUE} VALUES ('s', new.id); END",
    f"CREATE TRIGGER search_fts_statements_update AFTER UPDATE OF {STATEMENT_COLUMNS} ON statements "
    f"BEGIN {QUEUE} VALUES ('s', new.id); END",
    f"CREATE TRIGGER search_fts_statements_delete AFTER DELETE ON statements BEGIN {QUEUE} VALUES ('s', old.id); END",
    f"CREATE TRIGGER search_fts_claims_insert AFTER INSERT ON claims BEGIN {QUEUE} VALUES ('c', new.id); END",
    f"CREATE TRIGGER search_fts_claims_update AFTER UPDATE OF text, note ON claims "
    f"BEGIN {QUEUE} VALUES ('c', new.id); END",
    f"CREATE TRIGGER search_fts_claims_delete AFTER DELETE ON claims BEGIN {QUEUE} VALUES ('c', old.id); END",
    f"CREATE TRIGGER search_fts_names_insert AFTER INSERT ON entity_names BEGIN {_speakers('new')} END",
    f"CREATE TRIGGER search_fts_names_update AFTER UPDATE ON entity_names BEGIN {_speakers('old')} "
    f"{_speakers('new')} END",
    f"CREATE TRIGGER search_fts_names_delete AFTER DELETE ON entity_names BEGIN {_speakers('old')} END",
    "CREATE TRIGGER search_fts_sources_update AFTER UPDATE OF title, outlet_id ON sources "
    f"BEGIN {QUEUE} SELECT 's', id FROM statements WHERE source_id = new.id; END",
]

PG_FUNCTION = """CREATE OR REPLACE FUNCTION search_fts_enqueue() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  IF TG_TABLE_NAME IN ('statements', 'claims') THEN
    INSERT INTO search_fts_queue (kind, row_id)
    VALUES (CASE WHEN TG_TABLE_NAME = 'statements' THEN 's' ELSE 'c' END,
            CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END)
    ON CONFLICT DO NOTHING;
  ELSIF TG_TABLE_NAME = 'entity_names' THEN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      INSERT INTO search_fts_queue (kind, row_id) SELECT 's', id FROM statements
      WHERE speaker_id = OLD.entity_id OR speaker_affiliation_id = OLD.entity_id ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
      INSERT INTO search_fts_queue (kind, row_id) SELECT 's', id FROM statements
      WHERE speaker_id = NEW.entity_id OR speaker_affiliation_id = NEW.entity_id ON CONFLICT DO NOTHING;
    END IF;
  ELSIF TG_TABLE_NAME = 'sources' THEN
    INSERT INTO search_fts_queue (kind, row_id) SELECT 's', id FROM statements WHERE source_id = NEW.id
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$body$"""

POSTGRES = [
    "CREATE TABLE search_fts_statements (statement_id integer PRIMARY KEY, body text NOT NULL, "
    "speaker text NOT NULL, source text NOT NULL, document tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english', body), 'A') || setweight(to_tsvector('english', speaker), 'A') || "
    "setweight(to_tsvector('english', source), 'B')) STORED)",
    "CREATE INDEX ix_fts_search_statements ON search_fts_statements USING gin (document)",
    "CREATE TABLE search_fts_claims (claim_id integer PRIMARY KEY, body text NOT NULL, "
    "document tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED)",
    "CREATE INDEX ix_fts_search_claims ON search_fts_claims USING gin (document)",
    "CREATE TABLE search_fts_queue (kind text NOT NULL, row_id integer NOT NULL, PRIMARY KEY (kind, row_id))",
    PG_FUNCTION,
    "CREATE TRIGGER search_fts_statements_insert_delete AFTER INSERT OR DELETE ON statements "
    f"FOR EACH ROW {GUARD} EXECUTE FUNCTION search_fts_enqueue()",
    f"CREATE TRIGGER search_fts_statements_update AFTER UPDATE OF {STATEMENT_COLUMNS} ON statements "
    f"FOR EACH ROW {GUARD} EXECUTE FUNCTION search_fts_enqueue()",
    "CREATE TRIGGER search_fts_claims_insert_delete AFTER INSERT OR DELETE ON claims "
    f"FOR EACH ROW {GUARD} EXECUTE FUNCTION search_fts_enqueue()",
    "CREATE TRIGGER search_fts_claims_update AFTER UPDATE OF text, note ON claims "
    f"FOR EACH ROW {GUARD} EXECUTE FUNCTION search_fts_enqueue()",
    "CREATE TRIGGER search_fts_names AFTER INSERT OR UPDATE OR DELETE ON entity_names "
    "FOR EACH ROW EXECUTE FUNCTION search_fts_enqueue()",
    "CREATE TRIGGER search_fts_sources_update AFTER UPDATE OF title, outlet_id ON sources "
    "FOR EACH ROW EXECUTE FUNCTION search_fts_enqueue()",
]

# revision 0002's objects, dropped by the upgrade and recreated by the downgrade
OLD_FTS = (("statements_fts", "statements", ("quote", "hedge", "note")), ("claims_fts", "claims", ("text", "note")))
OLD_TOKENIZE = "porter unicode61 remove_diacritics 2"
OLD_STATEMENT_DOCUMENT = "coalesce(quote, '') || ' ' || coalesce(hedge, '') || ' ' || coalesce(note, '')"
OLD_CLAIM_DOCUMENT = "coalesce(text, '') || ' ' || coalesce(note, '')"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for fts, _table, _columns in OLD_FTS:
            for suffix in ("after_insert", "after_delete", "after_update"):
                bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
            bind.exec_driver_sql(f"DROP TABLE IF EXISTS {fts}")
        statements = SQLITE
    else:
        bind.exec_driver_sql("DROP INDEX IF EXISTS ix_fts_statements")
        bind.exec_driver_sql("DROP INDEX IF EXISTS ix_fts_claims")
        statements = POSTGRES
    for sql in statements:
        bind.exec_driver_sql(sql)
    conflict = "OR IGNORE" if bind.dialect.name == "sqlite" else ""
    bind.exec_driver_sql(f"INSERT {conflict} INTO search_fts_queue (kind, row_id) SELECT 's', id FROM statements")
    bind.exec_driver_sql(f"INSERT {conflict} INTO search_fts_queue (kind, row_id) SELECT 'c', id FROM claims")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for row in bind.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search_fts_%'"
        ).all():
            bind.exec_driver_sql(f"DROP TRIGGER {row[0]}")
        for table in ("search_fts_statements", "search_fts_claims", "search_fts_queue"):
            bind.exec_driver_sql(f"DROP TABLE {table}")
        for fts, table, columns in OLD_FTS:
            cols = ", ".join(columns)
            new = ", ".join(f"new.{c}" for c in columns)
            old = ", ".join(f"old.{c}" for c in columns)
            delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old});"
            insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new});"
            for sql in (
                f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}', content_rowid='id', "
                f"tokenize='{OLD_TOKENIZE}')",
                f"CREATE TRIGGER {fts}_after_insert AFTER INSERT ON {table} BEGIN {insert} END",
                f"CREATE TRIGGER {fts}_after_delete AFTER DELETE ON {table} BEGIN {delete} END",
                f"CREATE TRIGGER {fts}_after_update AFTER UPDATE OF {cols} ON {table} BEGIN {delete} {insert} END",
                f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
            ):
                bind.exec_driver_sql(sql)
    else:
        for trigger, table in (("search_fts_statements_insert_delete", "statements"),
                               ("search_fts_statements_update", "statements"),
                               ("search_fts_claims_insert_delete", "claims"), ("search_fts_claims_update", "claims"),
                               ("search_fts_names", "entity_names"), ("search_fts_sources_update", "sources")):
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        bind.exec_driver_sql("DROP FUNCTION IF EXISTS search_fts_enqueue()")
        for table in ("search_fts_statements", "search_fts_claims", "search_fts_queue"):
            bind.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")
        bind.exec_driver_sql(
            f"CREATE INDEX ix_fts_statements ON statements USING gin (to_tsvector('english', {OLD_STATEMENT_DOCUMENT}))")
        bind.exec_driver_sql(
            f"CREATE INDEX ix_fts_claims ON claims USING gin (to_tsvector('english', {OLD_CLAIM_DOCUMENT}))")
