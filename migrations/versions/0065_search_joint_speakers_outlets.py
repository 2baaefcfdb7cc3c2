"""search: joint speakers and renamed outlets

Revision ID: 0065
Revises: 0064
Create Date: 2026-12-04 21:00:00

Revision 0064 gave each statement's index row the tokens ``@e<id>`` of its speaker and
affiliation; a joint speaker (``statement_speakers``, revision 0025) was not in it, so a
search of a joint speaker's name missed the statement. factdb.search_index now writes the
joint speakers' tokens (and their anonymous descriptions) too; here:

- triggers on ``statement_speakers`` queue the statement (skipped by a bulk load, as the
  statements' own triggers: it indexes its statements itself);
- a trigger on ``entities`` queues the statements of an outlet's sources when the outlet's
  name changes (a source's index field holds its outlet's name; before, a renamed outlet kept
  its old name in the index until each statement was written again);
- every statement with a joint speaker is queued, for ``factdb migrate`` to index again.

A revision is a frozen snapshot: the trigger SQL is written out here; factdb.search_index
recreates the same SQLite triggers after a bulk load (tests/test_search.py compares them).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0065'
down_revision: str | None = '0064'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUEUE = "INSERT OR IGNORE INTO search_fts_queue (kind, row_id)"
OUTLET = "SELECT 's', s.id FROM statements s JOIN sources src ON src.id = s.source_id WHERE src.outlet_id = new.id"

SQLITE_TRIGGERS = [
    f"CREATE TRIGGER search_fts_joint_insert AFTER INSERT ON statement_speakers BEGIN {QUEUE} "
    "VALUES ('s', new.statement_id); END",
    f"CREATE TRIGGER search_fts_joint_update AFTER UPDATE ON statement_speakers BEGIN {QUEUE} "
    f"VALUES ('s', old.statement_id); {QUEUE} VALUES ('s', new.statement_id); END",
    f"CREATE TRIGGER search_fts_joint_delete AFTER DELETE ON statement_speakers BEGIN {QUEUE} "
    "VALUES ('s', old.statement_id); END",
    "CREATE TRIGGER search_fts_outlets_update AFTER UPDATE OF name ON entities WHEN old.name IS NOT new.name "
    f"BEGIN {QUEUE} {OUTLET}; END",
]

GUARD = "WHEN (current_setting('factdb.bulk_search', true) IS DISTINCT FROM 'on')"

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
  ELSIF TG_TABLE_NAME = 'statement_speakers' THEN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      INSERT INTO search_fts_queue (kind, row_id) VALUES ('s', OLD.statement_id) ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
      INSERT INTO search_fts_queue (kind, row_id) VALUES ('s', NEW.statement_id) ON CONFLICT DO NOTHING;
    END IF;
  ELSIF TG_TABLE_NAME = 'entities' THEN
    INSERT INTO search_fts_queue (kind, row_id)
    SELECT 's', s.id FROM statements s JOIN sources src ON src.id = s.source_id WHERE src.outlet_id = NEW.id
    ON CONFLICT DO NOTHING;
  ELSIF TG_TABLE_NAME = 'sources' THEN
    INSERT INTO search_fts_queue (kind, row_id) SELECT 's', id FROM statements WHERE source_id = NEW.id
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$body$"""

# revision 0064's, for the downgrade
PG_0064_FUNCTION = """CREATE OR REPLACE FUNCTION search_fts_enqueue() RETURNS trigger LANGUAGE plpgsql AS $body$
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

PG_TRIGGERS = [
    "CREATE TRIGGER search_fts_joint AFTER INSERT OR UPDATE OR DELETE ON statement_speakers "
    f"FOR EACH ROW {GUARD} EXECUTE FUNCTION search_fts_enqueue()",
    "CREATE TRIGGER search_fts_outlets_update AFTER UPDATE OF name ON entities "
    "FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION search_fts_enqueue()",
]


def upgrade() -> None:
    bind = op.get_bind()
    run = bind.exec_driver_sql
    if bind.dialect.name == "sqlite":
        for sql in SQLITE_TRIGGERS:
            run(sql)
        run(f"{QUEUE} SELECT DISTINCT 's', statement_id FROM statement_speakers")
    else:
        run(PG_FUNCTION)
        for sql in PG_TRIGGERS:
            run(sql)
        run("INSERT INTO search_fts_queue (kind, row_id) SELECT DISTINCT 's', statement_id FROM statement_speakers "
            "ON CONFLICT DO NOTHING")


def downgrade() -> None:
    bind = op.get_bind()
    run = bind.exec_driver_sql
    if bind.dialect.name == "sqlite":
        for sql in SQLITE_TRIGGERS:
            run(f"DROP TRIGGER {sql.split()[2]}")
    else:
        run("DROP TRIGGER search_fts_joint ON statement_speakers")
        run("DROP TRIGGER search_fts_outlets_update ON entities")
        run(PG_0064_FUNCTION)
    # the index rows keep their joint speakers' tokens until written again (revision 0064's
    # search finds a joint speaker through them, as it should)
