"""search: a name indexed once per entity, not once per statement

Revision ID: 0064
Revises: 0063
Create Date: 2026-12-04 20:05:00

Revision 0011 indexed every statement with its speaker's names: a name was indexed once per
statement its entity made, so the posting lists of a name's words grew with the database and
so did a search of an organisation's name (2.1 -> 42 ms from 100k to 3M statements). Now:

- ``search_fts_statements``: ``body`` (quote, hedge, note: as before), ``speaker`` (the
  anonymous description only), ``source`` (title and outlet: as before) and ``speakers`` (the
  tokens ``@e<id>`` of the speaker and the affiliation);
- ``search_fts_entities``: an entity's names and aliases, once.

The queue triggers of ``entity_names`` queue the entity (kind ``e``), not its statements. The
statement, claim and source triggers are unchanged.

The upgrade copies each statement's indexed body and source from the old table (already
normalized) and queues the statements with an anonymous description (normalized by
factdb.search_index) and every entity: ``factdb init``/``migrate`` indexes the queue right
after. The downgrade puts back revision 0011's table and triggers and queues every statement.

A revision is a frozen snapshot: the trigger SQL is written out here; factdb.search_index
recreates the same SQLite triggers after a bulk load (tests/test_search.py compares them).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0064'
down_revision: str | None = '0063'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TOKENIZE = "porter unicode61 remove_diacritics 2"
QUEUE = "INSERT OR IGNORE INTO search_fts_queue (kind, row_id)"
SPEAKERS = ("trim(coalesce('@e' || s.speaker_id, '') || ' ' || coalesce('@e' || s.speaker_affiliation_id, ''))")


SQLITE_TRIGGERS = [
    f"CREATE TRIGGER search_fts_names_insert AFTER INSERT ON entity_names BEGIN {QUEUE} VALUES ('e', new.entity_id); END",
    f"CREATE TRIGGER search_fts_names_update AFTER UPDATE ON entity_names BEGIN {QUEUE} VALUES ('e', old.entity_id); "
    f"{QUEUE} VALUES ('e', new.entity_id); END",
    f"CREATE TRIGGER search_fts_names_delete AFTER DELETE ON entity_names BEGIN {QUEUE} VALUES ('e', old.entity_id); END",
]


def _old_speakers(row: str) -> str:
    return (f"{QUEUE} SELECT 's', id FROM statements WHERE speaker_id = {row}.entity_id "
            f"OR speaker_affiliation_id = {row}.entity_id;")


# revision 0011's, for the downgrade
SQLITE_0011_TRIGGERS = [
    f"CREATE TRIGGER search_fts_names_insert AFTER INSERT ON entity_names BEGIN {_old_speakers('new')} END",
    f"CREATE TRIGGER search_fts_names_update AFTER UPDATE ON entity_names BEGIN {_old_speakers('old')} "
    f"{_old_speakers('new')} END",
    f"CREATE TRIGGER search_fts_names_delete AFTER DELETE ON entity_names BEGIN {_old_speakers('old')} END",
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
      INSERT INTO search_fts_queue (kind, row_id) VALUES ('e', OLD.entity_id) ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
      INSERT INTO search_fts_queue (kind, row_id) VALUES ('e', NEW.entity_id) ON CONFLICT DO NOTHING;
    END IF;
  ELSIF TG_TABLE_NAME = 'sources' THEN
    INSERT INTO search_fts_queue (kind, row_id) SELECT 's', id FROM statements WHERE source_id = NEW.id
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$body$"""

PG_0011_FUNCTION = """CREATE OR REPLACE FUNCTION search_fts_enqueue() RETURNS trigger LANGUAGE plpgsql AS $body$
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

PG_STATEMENTS = (
    "CREATE TABLE search_fts_statements_new (statement_id integer PRIMARY KEY, body text NOT NULL, "
    "speaker text NOT NULL, source text NOT NULL, speakers text NOT NULL, document tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english', body), 'A') || setweight(to_tsvector('english', speaker), 'A') || "
    "setweight(to_tsvector('english', source), 'B') || "
    "setweight(array_to_tsvector(string_to_array(speakers, ' ')), 'A')) STORED)"
)
PG_0011_STATEMENTS = (
    "CREATE TABLE search_fts_statements_new (statement_id integer PRIMARY KEY, body text NOT NULL, "
    "speaker text NOT NULL, source text NOT NULL, document tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english', body), 'A') || setweight(to_tsvector('english', speaker), 'A') || "
    "setweight(to_tsvector('english', source), 'B')) STORED)"
)
PG_NAMES = [
    "CREATE TABLE search_fts_entities (entity_id integer PRIMARY KEY, names text NOT NULL, "
    "document tsvector GENERATED ALWAYS AS (to_tsvector('english', names)) STORED)",
    "CREATE INDEX ix_fts_search_entities ON search_fts_entities USING gin (document)",
]


def upgrade() -> None:
    bind = op.get_bind()
    run = bind.exec_driver_sql
    sqlite = bind.dialect.name == "sqlite"
    copy = ("SELECT s.id, f.body, '', f.source, {speakers} FROM statements s JOIN search_fts_statements_0011 f "
            "ON f.{id} = s.id WHERE s.speaker_description IS NULL").format(
                speakers=SPEAKERS, id="rowid" if sqlite else "statement_id")
    if sqlite:
        for sql in SQLITE_0011_TRIGGERS:
            run(f"DROP TRIGGER {sql.split()[2]}")
        run("ALTER TABLE search_fts_statements RENAME TO search_fts_statements_0011")
        run(f"CREATE VIRTUAL TABLE search_fts_statements USING fts5(body, speaker, source, speakers, "
            f"tokenize='{TOKENIZE}')")
        run(f"INSERT INTO search_fts_statements (rowid, body, speaker, source, speakers) {copy}")
        run("DROP TABLE search_fts_statements_0011")
        run(f"CREATE VIRTUAL TABLE search_fts_entities USING fts5(names, tokenize='{TOKENIZE}')")
        for sql in SQLITE_TRIGGERS:
            run(sql)
        run(f"{QUEUE} SELECT 's', id FROM statements WHERE speaker_description IS NOT NULL")
        run(f"{QUEUE} SELECT 'e', id FROM entities")
    else:
        run(PG_FUNCTION)
        run("ALTER TABLE search_fts_statements RENAME TO search_fts_statements_0011")
        run(PG_STATEMENTS)
        run(f"INSERT INTO search_fts_statements_new (statement_id, body, speaker, source, speakers) {copy}")
        run("DROP TABLE search_fts_statements_0011")
        run("ALTER TABLE search_fts_statements_new RENAME TO search_fts_statements")
        run("ALTER INDEX search_fts_statements_new_pkey RENAME TO search_fts_statements_pkey")
        run("CREATE INDEX ix_fts_search_statements ON search_fts_statements USING gin (document)")
        for sql in PG_NAMES:
            run(sql)
        run("INSERT INTO search_fts_queue (kind, row_id) SELECT 's', id FROM statements "
            "WHERE speaker_description IS NOT NULL ON CONFLICT DO NOTHING")
        run("INSERT INTO search_fts_queue (kind, row_id) SELECT 'e', id FROM entities ON CONFLICT DO NOTHING")
    # statements the old index did not hold yet (still queued) stay queued


def downgrade() -> None:
    bind = op.get_bind()
    run = bind.exec_driver_sql
    run("DELETE FROM search_fts_queue WHERE kind = 'e'")
    if bind.dialect.name == "sqlite":
        for sql in SQLITE_TRIGGERS:
            run(f"DROP TRIGGER {sql.split()[2]}")
        for table in ("search_fts_entities", "search_fts_statements"):
            run(f"DROP TABLE {table}")
        run(f"CREATE VIRTUAL TABLE search_fts_statements USING fts5(body, speaker, source, tokenize='{TOKENIZE}')")
        for sql in SQLITE_0011_TRIGGERS:
            run(sql)
        run(f"{QUEUE} SELECT 's', id FROM statements")
    else:
        for table in ("search_fts_entities", "search_fts_statements"):
            run(f"DROP TABLE {table}")
        run(PG_0011_FUNCTION)
        run(PG_0011_STATEMENTS)
        run("ALTER TABLE search_fts_statements_new RENAME TO search_fts_statements")
        run("ALTER INDEX search_fts_statements_new_pkey RENAME TO search_fts_statements_pkey")
        run("CREATE INDEX ix_fts_search_statements ON search_fts_statements USING gin (document)")
        run("INSERT INTO search_fts_queue (kind, row_id) SELECT 's', id FROM statements ON CONFLICT DO NOTHING")
