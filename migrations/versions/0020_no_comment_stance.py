"""stance no-comment: asked, declined to comment; on no side, never counted

Revision ID: 0020
Revises: 0080
Create Date: 2026-12-02 03:00:00

"Declined to comment", "did not respond to a request for comment": the accused was asked and
took no side. ``statements.stance`` accepts ``no-comment``; the count triggers (revisions
0003 and 0013) are replaced by ones that leave such a statement out of both sides, as they
leave out a retracted one (before this revision every stance other than asserts/acknowledges
counted as opposition). SQLite rebuilds ``statements`` for the CHECK (batch mode), keeping its
other triggers (:func:`factdb.migrate.rebuilt_table`).

A frozen copy of the SQL :mod:`factdb.counts` writes (tests/test_counts.py checks the two).
A downgrade is refused while a no-comment statement exists (the old CHECK would reject it).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from factdb.errors import DatabaseNotReady
from factdb.migrate import rebuilt_table

revision: str = '0020'
down_revision: str | None = '0080'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_STANCES = ("asserts", "acknowledges", "denies", "disputes", "retracts")
NEW_STANCES = OLD_STANCES + ("no-comment",)
SUPPORTING = "'asserts', 'acknowledges'"
WATCHED = ("claim_id", "stance", "speaker_id", "speaker_description", "speaker_affiliation_id", "retracted_at")
PREFIX = "claim_counts_"
GUARD = "current_setting('factdb.bulk_counts', true) IS DISTINCT FROM 'on'"
UPPER, LOWER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"


def _counted(row: str, new: bool) -> str:
    return f"{row}.retracted_at IS NULL" + (f" AND {row}.stance NOT IN ('no-comment')" if new else "")


def _side(row: str) -> str:
    return f"CASE WHEN {row}.stance IN ({SUPPORTING}) THEN 'support' ELSE 'oppose' END"


def _ref(row: str, dialect: str) -> str:
    description = f"{row}.speaker_description"
    if dialect == "postgresql":
        folded = f"translate(btrim({description}), '{UPPER}', '{LOWER}')"
    else:
        folded = f"lower(trim({description}, ' '))"
    return (
        f"CASE WHEN {row}.speaker_id IS NOT NULL THEN 'e:' || CAST({row}.speaker_id AS TEXT) "
        f"ELSE 'a:' || {folded} || '|' || coalesce(CAST({row}.speaker_affiliation_id AS TEXT), '') END"
    )


def _changed(dialect: str) -> str:
    distinct = "IS DISTINCT FROM" if dialect == "postgresql" else "IS NOT"
    return " OR ".join(f"old.{column} {distinct} new.{column}" for column in WATCHED)


def _sqlite_add(row: str) -> str:
    side, ref = _side(row), _ref(row, "sqlite")
    mine = f"claim_id = {row}.claim_id AND side = {side} AND speaker_ref = {ref}"
    first = f"(SELECT statements FROM claim_speakers WHERE {mine}) = 1"
    return (
        "INSERT INTO claim_speakers (claim_id, side, speaker_ref, statements) "
        f"VALUES ({row}.claim_id, {side}, {ref}, 1) "
        "ON CONFLICT (claim_id, side, speaker_ref) DO UPDATE SET statements = statements + 1; "
        f"UPDATE claims SET "
        f"support_statements = support_statements + CASE WHEN {side} = 'support' THEN 1 ELSE 0 END, "
        f"oppose_statements = oppose_statements + CASE WHEN {side} = 'oppose' THEN 1 ELSE 0 END, "
        f"support_speakers = support_speakers + CASE WHEN {side} = 'support' AND {first} THEN 1 ELSE 0 END, "
        f"oppose_speakers = oppose_speakers + CASE WHEN {side} = 'oppose' AND {first} THEN 1 ELSE 0 END "
        f"WHERE id = {row}.claim_id;"
    )


def _sqlite_remove(row: str) -> str:
    side, ref = _side(row), _ref(row, "sqlite")
    mine = f"claim_id = {row}.claim_id AND side = {side} AND speaker_ref = {ref}"
    last = f"(SELECT statements FROM claim_speakers WHERE {mine}) = 0"
    return (
        f"UPDATE claim_speakers SET statements = statements - 1 WHERE {mine}; "
        f"UPDATE claims SET "
        f"support_statements = support_statements - CASE WHEN {side} = 'support' THEN 1 ELSE 0 END, "
        f"oppose_statements = oppose_statements - CASE WHEN {side} = 'oppose' THEN 1 ELSE 0 END, "
        f"support_speakers = support_speakers - CASE WHEN {side} = 'support' AND {last} THEN 1 ELSE 0 END, "
        f"oppose_speakers = oppose_speakers - CASE WHEN {side} = 'oppose' AND {last} THEN 1 ELSE 0 END "
        f"WHERE id = {row}.claim_id; "
        f"DELETE FROM claim_speakers WHERE {mine} AND statements = 0;"
    )


def _sqlite_triggers(new: bool) -> list[str]:
    watched = ", ".join(WATCHED)
    return [
        f"CREATE TRIGGER {PREFIX}after_insert AFTER INSERT ON statements WHEN {_counted('new', new)} "
        f"BEGIN {_sqlite_add('new')} END",
        f"CREATE TRIGGER {PREFIX}after_delete AFTER DELETE ON statements WHEN {_counted('old', new)} "
        f"BEGIN {_sqlite_remove('old')} END",
        f"CREATE TRIGGER {PREFIX}after_update_old AFTER UPDATE OF {watched} ON statements "
        f"WHEN {_counted('old', new)} AND ({_changed('sqlite')}) BEGIN {_sqlite_remove('old')} END",
        f"CREATE TRIGGER {PREFIX}after_update_new AFTER UPDATE OF {watched} ON statements "
        f"WHEN {_counted('new', new)} AND ({_changed('sqlite')}) BEGIN {_sqlite_add('new')} END",
    ]


def _postgres_function(new: bool) -> str:
    def block(row: str, delta: int) -> str:
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
            f"side_ := {_side(row)}; ref_ := {_ref(row, 'postgresql')}; {count} "
            f"UPDATE claims SET "
            f"support_statements = support_statements {sign} CASE WHEN side_ = 'support' THEN 1 ELSE 0 END, "
            f"oppose_statements = oppose_statements {sign} CASE WHEN side_ = 'oppose' THEN 1 ELSE 0 END, "
            f"support_speakers = support_speakers {sign} "
            "CASE WHEN side_ = 'support' AND new_speaker THEN 1 ELSE 0 END, "
            f"oppose_speakers = oppose_speakers {sign} CASE WHEN side_ = 'oppose' AND new_speaker THEN 1 ELSE 0 END "
            f"WHERE id = {row}.claim_id;"
        )

    return (
        f"CREATE OR REPLACE FUNCTION {PREFIX}sync() RETURNS trigger LANGUAGE plpgsql AS $body$\n"
        "DECLARE side_ text; ref_ text; n integer; new_speaker boolean;\n"
        "BEGIN\n"
        f"  IF TG_OP IN ('UPDATE', 'DELETE') AND {_counted('OLD', new)} THEN {block('OLD', -1)} END IF;\n"
        f"  IF TG_OP IN ('UPDATE', 'INSERT') AND {_counted('NEW', new)} THEN {block('NEW', 1)} END IF;\n"
        "  RETURN NULL;\n"
        "END\n$body$"
    )


def _stance_check(stances: tuple[str, ...]) -> str:
    return "stance IN (" + ", ".join(f"'{s}'" for s in stances) + ")"


def _switch(new: bool) -> None:
    bind = op.get_bind()
    stances = NEW_STANCES if new else OLD_STANCES
    with rebuilt_table(bind, "statements", drop=(PREFIX,)), op.batch_alter_table("statements") as batch:
        batch.drop_constraint(op.f("ck_statements_stance"), type_="check")
        batch.create_check_constraint(op.f("ck_statements_stance"), _stance_check(stances))
    if bind.dialect.name == "postgresql":
        # the function is replaced in place; the triggers of revision 0013 call it
        bind.exec_driver_sql(_postgres_function(new))
    else:
        for sql in _sqlite_triggers(new):
            bind.exec_driver_sql(sql)


def upgrade() -> None:
    _switch(new=True)


def downgrade() -> None:
    waiting = op.get_bind().exec_driver_sql("SELECT count(*) FROM statements WHERE stance = 'no-comment'").scalar()
    if waiting:
        raise DatabaseNotReady(
            f"Cannot downgrade below revision 0020: {waiting} statement(s) have the stance no-comment, "
            "which older revisions do not know; change or delete them first."
        )
    _switch(new=False)
