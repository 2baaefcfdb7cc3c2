"""claim counts maintained by the database

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 22:10:00

Per claim: unretracted statements and distinct speakers on each side (four columns on
``claims``), and ``claim_speakers`` (one row per claim, side and speaker while that speaker has
statements there). Triggers on ``statements`` keep both in sync on every write path (SQLite
triggers; a plpgsql function on PostgreSQL). The upgrade counts the existing statements.

A revision is a frozen snapshot: the SQL is written out here, not imported from
:mod:`factdb.counts` (which recreates the same triggers after a bulk load, and must keep
creating exactly these until a later revision replaces them; tests/test_counts.py checks it).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("support_statements", "oppose_statements", "support_speakers", "oppose_speakers")
SUPPORTING = "'asserts', 'acknowledges'"
# The statement columns the counts depend on: an update of any other column changes nothing.
WATCHED = ("claim_id", "stance", "speaker_id", "speaker_description", "speaker_affiliation_id", "retracted_at")
PREFIX = "claim_counts_"
PG_FUNCTION = "claim_counts_sync"
SQLITE_TRIGGERS = ("after_insert", "after_delete", "after_update_old", "after_update_new")
PG_TRIGGERS = ("after_insert_delete", "after_update")
UPPER, LOWER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"


def _side(row: str) -> str:
    return f"CASE WHEN {row}.stance IN ({SUPPORTING}) THEN 'support' ELSE 'oppose' END"


def _speaker_ref(row: str, dialect: str) -> str:
    """``e:<entity id>`` for a named speaker, ``a:<description, ASCII-lowered>|<affiliation id>``."""
    description = f"{row}.speaker_description"
    if dialect == "postgresql":
        folded = f"translate(btrim({description}), '{UPPER}', '{LOWER}')"
    else:
        folded = f"lower(trim({description}, ' '))"  # SQLite's lower() folds ASCII letters only
    return (
        f"CASE WHEN {row}.speaker_id IS NOT NULL THEN 'e:' || CAST({row}.speaker_id AS TEXT) "
        f"ELSE 'a:' || {folded} || '|' || coalesce(CAST({row}.speaker_affiliation_id AS TEXT), '') END"
    )


def _changed(dialect: str) -> str:
    distinct = "IS DISTINCT FROM" if dialect == "postgresql" else "IS NOT"
    return " OR ".join(f"old.{column} {distinct} new.{column}" for column in WATCHED)


def _claims_update(sign: str, side: str, speaker_test: str, row: str) -> str:
    return (
        f"UPDATE claims SET "
        f"support_statements = support_statements {sign} CASE WHEN {side} = 'support' THEN 1 ELSE 0 END, "
        f"oppose_statements = oppose_statements {sign} CASE WHEN {side} = 'oppose' THEN 1 ELSE 0 END, "
        f"support_speakers = support_speakers {sign} CASE WHEN {side} = 'support' AND {speaker_test} THEN 1 ELSE 0 END, "
        f"oppose_speakers = oppose_speakers {sign} CASE WHEN {side} = 'oppose' AND {speaker_test} THEN 1 ELSE 0 END "
        f"WHERE id = {row}.claim_id;"
    )


def _sqlite_add(row: str) -> str:
    side, ref = _side(row), _speaker_ref(row, "sqlite")
    mine = f"claim_id = {row}.claim_id AND side = {side} AND speaker_ref = {ref}"
    return (
        f"INSERT INTO claim_speakers (claim_id, side, speaker_ref, statements) VALUES ({row}.claim_id, {side}, {ref}, 1) "
        "ON CONFLICT (claim_id, side, speaker_ref) DO UPDATE SET statements = statements + 1; "
        + _claims_update("+", side, f"(SELECT statements FROM claim_speakers WHERE {mine}) = 1", row)
    )


def _sqlite_remove(row: str) -> str:
    side, ref = _side(row), _speaker_ref(row, "sqlite")
    mine = f"claim_id = {row}.claim_id AND side = {side} AND speaker_ref = {ref}"
    return (
        f"UPDATE claim_speakers SET statements = statements - 1 WHERE {mine}; "
        + _claims_update("-", side, f"(SELECT statements FROM claim_speakers WHERE {mine}) = 0", row)
        + f" DELETE FROM claim_speakers WHERE {mine} AND statements = 0;"
    )


def _sqlite_triggers() -> list[str]:
    watched = ", ".join(WATCHED)
    return [
        f"CREATE TRIGGER {PREFIX}after_insert AFTER INSERT ON statements WHEN new.retracted_at IS NULL "
        f"BEGIN {_sqlite_add('new')} END",
        f"CREATE TRIGGER {PREFIX}after_delete AFTER DELETE ON statements WHEN old.retracted_at IS NULL "
        f"BEGIN {_sqlite_remove('old')} END",
        # An update removes the old row's count and adds the new one's (either order gives the
        # same result); one trigger each, so that each can say when it applies.
        f"CREATE TRIGGER {PREFIX}after_update_old AFTER UPDATE OF {watched} ON statements "
        f"WHEN old.retracted_at IS NULL AND ({_changed('sqlite')}) BEGIN {_sqlite_remove('old')} END",
        f"CREATE TRIGGER {PREFIX}after_update_new AFTER UPDATE OF {watched} ON statements "
        f"WHEN new.retracted_at IS NULL AND ({_changed('sqlite')}) BEGIN {_sqlite_add('new')} END",
    ]


def _postgres_block(row: str, delta: int) -> str:
    # delta +1 adds the row's statement, -1 removes it; n is the speaker's count after.
    if delta > 0:
        count = (
            "INSERT INTO claim_speakers (claim_id, side, speaker_ref, statements) "
            f"VALUES ({row}.claim_id, side_, ref_, 1) ON CONFLICT (claim_id, side, speaker_ref) "
            "DO UPDATE SET statements = claim_speakers.statements + 1 RETURNING statements INTO n; "
            "new_speaker := (n = 1);"
        )
    else:
        count = (
            "UPDATE claim_speakers SET statements = statements - 1 "
            f"WHERE claim_id = {row}.claim_id AND side = side_ AND speaker_ref = ref_ RETURNING statements INTO n; "
            "new_speaker := (n = 0); "
            "IF new_speaker THEN DELETE FROM claim_speakers "
            f"WHERE claim_id = {row}.claim_id AND side = side_ AND speaker_ref = ref_; END IF;"
        )
    sign = "+" if delta > 0 else "-"
    return (
        f"side_ := {_side(row)}; ref_ := {_speaker_ref(row, 'postgresql')}; {count} "
        + _claims_update(sign, "side_", "new_speaker", row)
    )


def _postgres_triggers() -> list[str]:
    watched = ", ".join(WATCHED)
    function = (
        f"CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $body$\n"
        "DECLARE side_ text; ref_ text; n integer; new_speaker boolean;\n"
        "BEGIN\n"
        f"  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.retracted_at IS NULL THEN {_postgres_block('OLD', -1)} END IF;\n"
        f"  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.retracted_at IS NULL THEN {_postgres_block('NEW', 1)} END IF;\n"
        "  RETURN NULL;\n"
        "END\n$body$"
    )
    return [
        function,
        f"CREATE TRIGGER {PREFIX}after_insert_delete AFTER INSERT OR DELETE ON statements "
        f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()",
        f"CREATE TRIGGER {PREFIX}after_update AFTER UPDATE OF {watched} ON statements "
        f"FOR EACH ROW WHEN ({_changed('postgresql')}) EXECUTE FUNCTION {PG_FUNCTION}()",
    ]


def _count_existing(dialect: str) -> list[str]:
    """Count the statements already there (the new columns start at 0, the table empty)."""
    return [
        "INSERT INTO claim_speakers (claim_id, side, speaker_ref, statements) "
        f"SELECT s.claim_id, {_side('s')} AS side, {_speaker_ref('s', dialect)} AS speaker_ref, count(*) AS statements "
        "FROM statements s WHERE s.retracted_at IS NULL GROUP BY 1, 2, 3",
        "UPDATE claims SET support_statements = t.support_statements, oppose_statements = t.oppose_statements, "
        "support_speakers = t.support_speakers, oppose_speakers = t.oppose_speakers "
        "FROM (SELECT claim_id, "
        "sum(CASE WHEN side = 'support' THEN statements ELSE 0 END) AS support_statements, "
        "sum(CASE WHEN side = 'oppose' THEN statements ELSE 0 END) AS oppose_statements, "
        "sum(CASE WHEN side = 'support' THEN 1 ELSE 0 END) AS support_speakers, "
        "sum(CASE WHEN side = 'oppose' THEN 1 ELSE 0 END) AS oppose_speakers "
        "FROM claim_speakers GROUP BY claim_id) AS t WHERE claims.id = t.claim_id",
    ]


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN on both backends: a batch rebuild of claims on SQLite would
    # drop the FTS triggers of revision 0002 along with the old table.
    for column in COLUMNS:
        op.add_column("claims", sa.Column(column, sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "claim_speakers",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=10), nullable=False),
        sa.Column("speaker_ref", sa.Text(), nullable=False),
        sa.Column("statements", sa.Integer(), nullable=False),
        sa.CheckConstraint("side IN ('support', 'oppose')", name=op.f("ck_claim_speakers_side")),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_claim_speakers_claim_id_claims"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("claim_id", "side", "speaker_ref", name=op.f("pk_claim_speakers")),
    )
    bind = op.get_bind()
    dialect = bind.dialect.name
    for sql in _count_existing(dialect) + (_postgres_triggers() if dialect == "postgresql" else _sqlite_triggers()):
        bind.exec_driver_sql(sql)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for name in PG_TRIGGERS:
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {PREFIX}{name} ON statements")
        bind.exec_driver_sql(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")
    else:
        for name in SQLITE_TRIGGERS:
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {PREFIX}{name}")
    op.drop_table("claim_speakers")
    for column in COLUMNS:
        # SQLite >= 3.35 drops a column in place (no table rebuild, so 0002's triggers stay).
        op.drop_column("claims", column)
