"""plural and generic anonymous speakers; one anonymous speaker across descriptions in a source

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-02 07:00:00

``statements.anonymous_kind``: NULL for one unnamed person, ``group`` for a plural group
("officials", "U.S. authorities"), ``reports`` for unspecified reports ("media reports said"),
which are nobody's words: counted as a statement, never as a speaker. ``anonymous_id`` ("A1")
names one anonymous speaker within its source whatever the description ("a senior official",
"the official"): its ``claim_speakers.speaker_ref`` is ``a#<source id>#<id>``. Both only for
an anonymous speaker (CHECKs; SQLite rebuilds ``statements``).

The count triggers of revision 0020 are replaced (their watched columns and speaker ref
change, and a reports statement adds no speaker); this revision holds a frozen copy of the
SQL :mod:`factdb.counts` writes (tests/test_anonymous_kinds.py checks the two). The joint
speakers' triggers (0025) are kept. The claims are recounted. A downgrade is refused while a
statement has an anonymous kind or id.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import op

from factdb.migrate import rebuilt_table

revision: str = '0027'
down_revision: str | None = '0026'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PRIMARY = "claim_counts_after_"
# fmt: off
SQLITE_TRIGGERS = [
    "CREATE TRIGGER claim_counts_after_insert AFTER INSERT ON statements WHEN new.retracted_at IS NULL AND new.stance NOT IN ('no-comment') BEGIN INSERT INTO claim_speakers (claim_id, side, speaker_ref, statements) SELECT new.claim_id, CASE WHEN new.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END, CASE WHEN new.speaker_id IS NOT NULL THEN 'e:' || CAST(new.speaker_id AS TEXT) WHEN new.anonymous_id IS NOT NULL THEN 'a#' || CAST(new.source_id AS TEXT) || '#' || new.anonymous_id ELSE 'a:' || lower(trim(new.speaker_description, ' ')) || '|' || coalesce(CAST(new.speaker_affiliation_id AS TEXT), '') END, 1 WHERE (new.anonymous_kind IS NULL OR new.anonymous_kind <> 'reports') ON CONFLICT (claim_id, side, speaker_ref) DO UPDATE SET statements = statements + 1; UPDATE claims SET support_statements = support_statements + CASE WHEN CASE WHEN new.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END = 'support' THEN 1 ELSE 0 END, oppose_statements = oppose_statements + CASE WHEN CASE WHEN new.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END = 'oppose' THEN 1 ELSE 0 END, support_speakers = support_speakers + CASE WHEN CASE WHEN new.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END = 'support' AND (new.anonymous_kind IS NULL OR new.anonymous_kind <> 'reports') AND (SELECT statements FROM claim_speakers WHERE claim_id = new.claim_id AND side = CASE WHEN new.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END AND speaker_ref = CASE WHEN new.speaker_id IS NOT NULL THEN 'e:' || CAST(new.speaker_id AS TEXT) WHEN new.anonymous_id IS NOT NULL THEN 'a#' || CAST(new.source_id AS TEXT) || '#' || new.anonymous_id ELSE 'a:' || lower(trim(new.speaker_description, ' ')) || '|' || coalesce(CAST(new.speaker_affiliation_id AS TEXT), '') END) = 1 THEN 1 ELSE 0 END, oppose_speakers = oppose_speakers + CASE WHEN CASE WHEN new.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END = 'oppose' AND (new.anonymous_kind IS NULL OR new.anonymous_kind <> 'reports') AND (SELECT statements FROM claim_speakers WHERE claim_id = new.claim_id AND side = CASE WHEN new.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END AND speaker_ref = CASE WHEN new.speaker_id IS NOT NULL THEN 'e:' || CAST(new.speaker_id AS TEXT) WHEN new.anonymous_id IS NOT NULL THEN 'a#' || CAST(new.source_id AS TEXT) || '#' || new.anonymous_id ELSE 'a:' || lower(trim(new.speaker_description, ' ')) || '|' || coalesce(CAST(new.speaker_affiliation_id AS TEXT), '') END) = 1 THEN 1 ELSE 0 END WHERE id = new.claim_id; END",
    "CREATE TRIGGER claim_counts_after_delete AFTER DELETE ON statements WHEN old.retracted_at IS NULL AND old.stance NOT IN ('no-comment') BEGIN UPDATE claim_speakers SET statements = statements - 1 WHERE claim_id = old.claim_id AND side = CASE WHEN old.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END AND speaker_ref = CASE WHEN old.speaker_id IS NOT NULL THEN 'e:' || CAST(old.speaker_id AS TEXT) WHEN old.anonymous_id IS NOT NULL THEN 'a#' || CAST(old.source_id AS TEXT) || '#' || old.anonymous_id ELSE 'a:' || lower(trim(old.speaker_description, ' ')) || '|' || coalesce(CAST(old.speaker_affiliation_id AS TEXT), '') END AND (old.anonymous_kind IS NULL OR old.anonymous_kind <> 'reports'); UPDATE claims SET support_statements = support_statements - CASE WHEN CASE WHEN old.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END = 'support' THEN 1 ELSE 0 END, oppose_statements = oppose_statements - CASE WHEN CASE WHEN old.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END = 'oppose' THEN 1 ELSE 0 END, support_speakers = support_speakers - CASE WHEN CASE WHEN old.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END = 'support' AND (old.anonymous_kind IS NULL OR old.anonymous_kind <> 'reports') AND (SELECT statements FROM claim_speakers WHERE claim_id = old.claim_id AND side = CASE WHEN old.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END AND speaker_ref = CASE WHEN old.speaker_id IS NOT NULL THEN 'e:' || CAST(old.speaker_id AS TEXT) WHEN old.anonymous_id IS NOT NULL THEN 'a#' || CAST(old.source_id AS TEXT) || '#' || old.anonymous_id ELSE 'a:' || lower(trim(old.speaker_description, ' ')) || '|' || coalesce(CAST(old.speaker_affiliation_id AS TEXT), '') END) = 0 THEN 1 ELSE 0 END, oppose_speakers = oppose_speakers - CASE WHEN CASE WHEN old.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END = 'oppose' AND (old.anonymous_kind IS NULL OR old.anonymous_kind <> 'reports') AND (SELECT statements FROM claim_speakers WHERE claim_id = old.claim_id AND side = CASE WHEN old.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END AND speaker_ref = CASE WHEN old.speaker_id IS NOT NULL THEN 'e:' || CAST(old.speaker_id AS TEXT) WHEN old.anonymous_id IS NOT NULL THEN 'a#' || CAST(old.source_id AS TEXT) || '#' || old.anonymous_id ELSE 'a:' || lower(trim(old.speaker_description, ' ')) || '|' || coalesce(CAST(old.speaker_affiliation_id AS TEXT), '') END) = 0 THEN 1 ELSE 0 END WHERE id = old.claim_id; DELETE FROM claim_speakers WHERE claim_id = old.claim_id AND side = CASE WHEN old.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END AND speaker_ref = CASE WHEN old.speaker_id IS NOT NULL THEN 'e:' || CAST(old.speaker_id AS TEXT) WHEN old.anonymous_id IS NOT NULL THEN 'a#' || CAST(old.source_id AS TEXT) || '#' || old.anonymous_id ELSE 'a:' || lower(trim(old.speaker_description, ' ')) || '|' || coalesce(CAST(old.speaker_affiliation_id AS TEXT), '') END AND statements = 0; END",
    "CREATE TRIGGER claim_counts_after_update_old AFTER UPDATE OF claim_id, stance, speaker_id, speaker_description, speaker_affiliation_id, retracted_at, anonymous_kind, anonymous_id, source_id ON statements WHEN old.retracted_at IS NULL AND old.stance NOT IN ('no-comment') AND (old.claim_id IS NOT new.claim_id OR old.stance IS NOT new.stance OR old.speaker_id IS NOT new.speaker_id OR old.speaker_description IS NOT new.speaker_description OR old.speaker_affiliation_id IS NOT new.speaker_affiliation_id OR old.retracted_at IS NOT new.retracted_at OR old.anonymous_kind IS NOT new.anonymous_kind OR old.anonymous_id IS NOT new.anonymous_id OR old.source_id IS NOT new.source_id) BEGIN UPDATE claim_speakers SET statements = statements - 1 WHERE claim_id = old.claim_id AND side = CASE WHEN old.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END AND speaker_ref = CASE WHEN old.speaker_id IS NOT NULL THEN 'e:' || CAST(old.speaker_id AS TEXT) WHEN old.anonymous_id IS NOT NULL THEN 'a#' || CAST(old.source_id AS TEXT) || '#' || old.anonymous_id ELSE 'a:' || lower(trim(old.speaker_description, ' ')) || '|' || coalesce(CAST(old.speaker_affiliation_id AS TEXT), '') END AND (old.anonymous_kind IS NULL OR old.anonymous_kind <> 'reports'); UPDATE claims SET support_statements = support_statements - CASE WHEN CASE WHEN old.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END = 'support' THEN 1 ELSE 0 END, oppose_statements = oppose_statements - CASE WHEN CASE WHEN old.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END = 'oppose' THEN 1 ELSE 0 END, support_speakers = support_speakers - CASE WHEN CASE WHEN old.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END = 'support' AND (old.anonymous_kind IS NULL OR old.anonymous_kind <> 'reports') AND (SELECT statements FROM claim_speakers WHERE claim_id = old.claim_id AND side = CASE WHEN old.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END AND speaker_ref = CASE WHEN old.speaker_id IS NOT NULL THEN 'e:' || CAST(old.speaker_id AS TEXT) WHEN old.anonymous_id IS NOT NULL THEN 'a#' || CAST(old.source_id AS TEXT) || '#' || old.anonymous_id ELSE 'a:' || lower(trim(old.speaker_description, ' ')) || '|' || coalesce(CAST(old.speaker_affiliation_id AS TEXT), '') END) = 0 THEN 1 ELSE 0 END, oppose_speakers = oppose_speakers - CASE WHEN CASE WHEN old.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END = 'oppose' AND (old.anonymous_kind IS NULL OR old.anonymous_kind <> 'reports') AND (SELECT statements FROM claim_speakers WHERE claim_id = old.claim_id AND side = CASE WHEN old.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END AND speaker_ref = CASE WHEN old.speaker_id IS NOT NULL THEN 'e:' || CAST(old.speaker_id AS TEXT) WHEN old.anonymous_id IS NOT NULL THEN 'a#' || CAST(old.source_id AS TEXT) || '#' || old.anonymous_id ELSE 'a:' || lower(trim(old.speaker_description, ' ')) || '|' || coalesce(CAST(old.speaker_affiliation_id AS TEXT), '') END) = 0 THEN 1 ELSE 0 END WHERE id = old.claim_id; DELETE FROM claim_speakers WHERE claim_id = old.claim_id AND side = CASE WHEN old.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END AND speaker_ref = CASE WHEN old.speaker_id IS NOT NULL THEN 'e:' || CAST(old.speaker_id AS TEXT) WHEN old.anonymous_id IS NOT NULL THEN 'a#' || CAST(old.source_id AS TEXT) || '#' || old.anonymous_id ELSE 'a:' || lower(trim(old.speaker_description, ' ')) || '|' || coalesce(CAST(old.speaker_affiliation_id AS TEXT), '') END AND statements = 0; END",
    "CREATE TRIGGER claim_counts_after_update_new AFTER UPDATE OF claim_id, stance, speaker_id, speaker_description, speaker_affiliation_id, retracted_at, anonymous_kind, anonymous_id, source_id ON statements WHEN new.retracted_at IS NULL AND new.stance NOT IN ('no-comment') AND (old.claim_id IS NOT new.claim_id OR old.stance IS NOT new.stance OR old.speaker_id IS NOT new.speaker_id OR old.speaker_description IS NOT new.speaker_description OR old.speaker_affiliation_id IS NOT new.speaker_affiliation_id OR old.retracted_at IS NOT new.retracted_at OR old.anonymous_kind IS NOT new.anonymous_kind OR old.anonymous_id IS NOT new.anonymous_id OR old.source_id IS NOT new.source_id) BEGIN INSERT INTO claim_speakers (claim_id, side, speaker_ref, statements) SELECT new.claim_id, CASE WHEN new.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END, CASE WHEN new.speaker_id IS NOT NULL THEN 'e:' || CAST(new.speaker_id AS TEXT) WHEN new.anonymous_id IS NOT NULL THEN 'a#' || CAST(new.source_id AS TEXT) || '#' || new.anonymous_id ELSE 'a:' || lower(trim(new.speaker_description, ' ')) || '|' || coalesce(CAST(new.speaker_affiliation_id AS TEXT), '') END, 1 WHERE (new.anonymous_kind IS NULL OR new.anonymous_kind <> 'reports') ON CONFLICT (claim_id, side, speaker_ref) DO UPDATE SET statements = statements + 1; UPDATE claims SET support_statements = support_statements + CASE WHEN CASE WHEN new.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END = 'support' THEN 1 ELSE 0 END, oppose_statements = oppose_statements + CASE WHEN CASE WHEN new.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END = 'oppose' THEN 1 ELSE 0 END, support_speakers = support_speakers + CASE WHEN CASE WHEN new.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END = 'support' AND (new.anonymous_kind IS NULL OR new.anonymous_kind <> 'reports') AND (SELECT statements FROM claim_speakers WHERE claim_id = new.claim_id AND side = CASE WHEN new.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END AND speaker_ref = CASE WHEN new.speaker_id IS NOT NULL THEN 'e:' || CAST(new.speaker_id AS TEXT) WHEN new.anonymous_id IS NOT NULL THEN 'a#' || CAST(new.source_id AS TEXT) || '#' || new.anonymous_id ELSE 'a:' || lower(trim(new.speaker_description, ' ')) || '|' || coalesce(CAST(new.speaker_affiliation_id AS TEXT), '') END) = 1 THEN 1 ELSE 0 END, oppose_speakers = oppose_speakers + CASE WHEN CASE WHEN new.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END = 'oppose' AND (new.anonymous_kind IS NULL OR new.anonymous_kind <> 'reports') AND (SELECT statements FROM claim_speakers WHERE claim_id = new.claim_id AND side = CASE WHEN new.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END AND speaker_ref = CASE WHEN new.speaker_id IS NOT NULL THEN 'e:' || CAST(new.speaker_id AS TEXT) WHEN new.anonymous_id IS NOT NULL THEN 'a#' || CAST(new.source_id AS TEXT) || '#' || new.anonymous_id ELSE 'a:' || lower(trim(new.speaker_description, ' ')) || '|' || coalesce(CAST(new.speaker_affiliation_id AS TEXT), '') END) = 1 THEN 1 ELSE 0 END WHERE id = new.claim_id; END",
]
POSTGRES_TRIGGERS = [
    "CREATE OR REPLACE FUNCTION claim_counts_sync() RETURNS trigger LANGUAGE plpgsql AS $body$\nDECLARE side_ text; ref_ text; n integer; new_speaker boolean;\nBEGIN\n  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.retracted_at IS NULL AND OLD.stance NOT IN ('no-comment') THEN side_ := CASE WHEN OLD.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END; ref_ := CASE WHEN OLD.speaker_id IS NOT NULL THEN 'e:' || CAST(OLD.speaker_id AS TEXT) WHEN OLD.anonymous_id IS NOT NULL THEN 'a#' || CAST(OLD.source_id AS TEXT) || '#' || OLD.anonymous_id ELSE 'a:' || translate(btrim(OLD.speaker_description), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') || '|' || coalesce(CAST(OLD.speaker_affiliation_id AS TEXT), '') END; UPDATE claim_speakers SET statements = statements - 1 WHERE claim_id = OLD.claim_id AND side = side_ AND speaker_ref = ref_ AND (OLD.anonymous_kind IS NULL OR OLD.anonymous_kind <> 'reports') RETURNING statements INTO n; new_speaker := (n = 0); IF new_speaker THEN DELETE FROM claim_speakers WHERE claim_id = OLD.claim_id AND side = side_ AND speaker_ref = ref_; END IF; UPDATE claims SET support_statements = support_statements - CASE WHEN side_ = 'support' THEN 1 ELSE 0 END, oppose_statements = oppose_statements - CASE WHEN side_ = 'oppose' THEN 1 ELSE 0 END, support_speakers = support_speakers - CASE WHEN side_ = 'support' AND new_speaker THEN 1 ELSE 0 END, oppose_speakers = oppose_speakers - CASE WHEN side_ = 'oppose' AND new_speaker THEN 1 ELSE 0 END WHERE id = OLD.claim_id; END IF;\n  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.retracted_at IS NULL AND NEW.stance NOT IN ('no-comment') THEN side_ := CASE WHEN NEW.stance IN ('asserts', 'acknowledges') THEN 'support' ELSE 'oppose' END; ref_ := CASE WHEN NEW.speaker_id IS NOT NULL THEN 'e:' || CAST(NEW.speaker_id AS TEXT) WHEN NEW.anonymous_id IS NOT NULL THEN 'a#' || CAST(NEW.source_id AS TEXT) || '#' || NEW.anonymous_id ELSE 'a:' || translate(btrim(NEW.speaker_description), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') || '|' || coalesce(CAST(NEW.speaker_affiliation_id AS TEXT), '') END; INSERT INTO claim_speakers (claim_id, side, speaker_ref, statements) SELECT NEW.claim_id, side_, ref_, 1 WHERE (NEW.anonymous_kind IS NULL OR NEW.anonymous_kind <> 'reports') ON CONFLICT (claim_id, side, speaker_ref) DO UPDATE SET statements = claim_speakers.statements + 1 RETURNING statements INTO n; new_speaker := (n = 1); UPDATE claims SET support_statements = support_statements + CASE WHEN side_ = 'support' THEN 1 ELSE 0 END, oppose_statements = oppose_statements + CASE WHEN side_ = 'oppose' THEN 1 ELSE 0 END, support_speakers = support_speakers + CASE WHEN side_ = 'support' AND new_speaker THEN 1 ELSE 0 END, oppose_speakers = oppose_speakers + CASE WHEN side_ = 'oppose' AND new_speaker THEN 1 ELSE 0 END WHERE id = NEW.claim_id; END IF;\n  RETURN NULL;\nEND\n$body$",
    "CREATE TRIGGER claim_counts_after_insert_delete AFTER INSERT OR DELETE ON statements FOR EACH ROW WHEN (current_setting('factdb.bulk_counts', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION claim_counts_sync()",
    "CREATE TRIGGER claim_counts_after_update AFTER UPDATE OF claim_id, stance, speaker_id, speaker_description, speaker_affiliation_id, retracted_at, anonymous_kind, anonymous_id, source_id ON statements FOR EACH ROW WHEN (current_setting('factdb.bulk_counts', true) IS DISTINCT FROM 'on' AND (old.claim_id IS DISTINCT FROM new.claim_id OR old.stance IS DISTINCT FROM new.stance OR old.speaker_id IS DISTINCT FROM new.speaker_id OR old.speaker_description IS DISTINCT FROM new.speaker_description OR old.speaker_affiliation_id IS DISTINCT FROM new.speaker_affiliation_id OR old.retracted_at IS DISTINCT FROM new.retracted_at OR old.anonymous_kind IS DISTINCT FROM new.anonymous_kind OR old.anonymous_id IS DISTINCT FROM new.anonymous_id OR old.source_id IS DISTINCT FROM new.source_id)) EXECUTE FUNCTION claim_counts_sync()",
]
# fmt: on


def _replace_triggers(sqlite: list[str], postgres: list[str]) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for name in ("after_insert_delete", "after_update"):
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS claim_counts_{name} ON statements")
        for sql in postgres:
            bind.exec_driver_sql(sql)
    else:
        for sql in sqlite:
            bind.exec_driver_sql(sql)


def upgrade() -> None:
    with rebuilt_table(op.get_bind(), "statements", drop=(PRIMARY,)), op.batch_alter_table("statements") as batch:
        batch.add_column(sa.Column("anonymous_kind", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("anonymous_id", sa.String(length=40), nullable=True))
        batch.create_check_constraint(
            op.f("ck_statements_anonymous_kind"),
            "anonymous_kind IS NULL OR (anonymous_kind IN ('group', 'reports') AND speaker_id IS NULL)",
        )
        batch.create_check_constraint(op.f("ck_statements_anonymous_id"), "anonymous_id IS NULL OR speaker_id IS NULL")
    if op.get_bind().dialect.name == "sqlite":
        for name in ("after_insert", "after_delete", "after_update_old", "after_update_new"):
            op.get_bind().exec_driver_sql(f"DROP TRIGGER IF EXISTS claim_counts_{name}")
    _replace_triggers(SQLITE_TRIGGERS, POSTGRES_TRIGGERS)


def _revision_0020() -> Any:
    path = Path(__file__).with_name("0020_no_comment_stance.py")
    spec = importlib.util.spec_from_file_location("revision_0020", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def downgrade() -> None:
    bind = op.get_bind()
    # The older schema cannot say "a group", "unattributed reports" or "one speaker across
    # descriptions": the user confirmed the loss (`init --revision` asks for --yes when a
    # downgrade drops what later revisions added). Cleared while this revision's count triggers,
    # which watch both columns, are live: the counts follow (reports count as speakers again).
    bind.exec_driver_sql(
        "UPDATE statements SET anonymous_kind = NULL, anonymous_id = NULL "
        "WHERE anonymous_kind IS NOT NULL OR anonymous_id IS NOT NULL"
    )
    old = _revision_0020()
    if bind.dialect.name == "sqlite":
        for name in ("after_insert", "after_delete", "after_update_old", "after_update_new"):
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS claim_counts_{name}")
    else:  # they watch the columns dropped below
        bind.exec_driver_sql("DROP TRIGGER IF EXISTS claim_counts_after_insert_delete ON statements")
        bind.exec_driver_sql("DROP TRIGGER IF EXISTS claim_counts_after_update ON statements")
    with rebuilt_table(bind, "statements", drop=(PRIMARY,)), op.batch_alter_table("statements") as batch:
        batch.drop_constraint(op.f("ck_statements_anonymous_id"), type_="check")
        batch.drop_constraint(op.f("ck_statements_anonymous_kind"), type_="check")
        batch.drop_column("anonymous_id")
        batch.drop_column("anonymous_kind")
    if bind.dialect.name == "postgresql":
        # revision 0013's triggers (the watched columns of 0003) calling 0020's function
        bind.exec_driver_sql(old._postgres_function(True))
        guard = old.GUARD
        watched = ", ".join(old.WATCHED)
        changed = old._changed("postgresql")
        bind.exec_driver_sql(
            "CREATE TRIGGER claim_counts_after_insert_delete AFTER INSERT OR DELETE ON statements "
            f"FOR EACH ROW WHEN ({guard}) EXECUTE FUNCTION claim_counts_sync()"
        )
        bind.exec_driver_sql(
            f"CREATE TRIGGER claim_counts_after_update AFTER UPDATE OF {watched} ON statements "
            f"FOR EACH ROW WHEN ({guard} AND ({changed})) EXECUTE FUNCTION claim_counts_sync()"
        )
    else:
        for sql in old._sqlite_triggers(True):
            bind.exec_driver_sql(sql)
