"""statements.copy_of_id: copies of one statement counted once in the stored counts

Revision ID: 0060
Revises: 0024
Create Date: 2026-12-02 06:40:00

One statement carried by 8 republished copies of one story counted 8 in ``claims``'
counts and ``claim_speakers`` (``report contested``, ``claim list``). ``statements.copy_of_id``
(a foreign key to ``statements``, ON DELETE SET NULL, indexed) marks a copy: the statement
of the same story with the same identity it copies (:mod:`factdb.copies`, by the rule of
:func:`factdb.sourcing.statement_identity`). The count triggers of revision 0020 are replaced
by ones that leave a copy out and watch the new column (a frozen copy of the SQL
:mod:`factdb.counts` writes: tests/test_counts.py checks the two), then the markers are
filled (:func:`factdb.copies.mark_copies`): each marking UPDATE moves the counts through the
new triggers, so no recount is needed. Downgrade clears the markers first (the copies count
again), then puts back the triggers of revision 0020 and drops the column. SQLite rebuilds
``statements`` for the foreign key (batch mode, through :func:`factdb.migrate.rebuilt_table`).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from factdb.copies import mark_copies
from factdb.migrate import rebuilt_table

revision: str = '0060'
down_revision: str | None = '0024'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SUPPORTING = "'asserts', 'acknowledges'"
OLD_WATCHED = ("claim_id", "stance", "speaker_id", "speaker_description", "speaker_affiliation_id", "retracted_at")
NEW_WATCHED = OLD_WATCHED + ("copy_of_id",)
PREFIX = "claim_counts_"
GUARD = "current_setting('factdb.bulk_counts', true) IS DISTINCT FROM 'on'"
UPPER, LOWER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"


def _counted(row: str, new: bool) -> str:
    return f"{row}.retracted_at IS NULL AND {row}.stance NOT IN ('no-comment')" + (
        f" AND {row}.copy_of_id IS NULL" if new else ""
    )


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


def _watched(new: bool) -> tuple[str, ...]:
    return NEW_WATCHED if new else OLD_WATCHED


def _changed(dialect: str, new: bool) -> str:
    distinct = "IS DISTINCT FROM" if dialect == "postgresql" else "IS NOT"
    return " OR ".join(f"old.{column} {distinct} new.{column}" for column in _watched(new))


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
    watched = ", ".join(_watched(new))
    return [
        f"CREATE TRIGGER {PREFIX}after_insert AFTER INSERT ON statements WHEN {_counted('new', new)} "
        f"BEGIN {_sqlite_add('new')} END",
        f"CREATE TRIGGER {PREFIX}after_delete AFTER DELETE ON statements WHEN {_counted('old', new)} "
        f"BEGIN {_sqlite_remove('old')} END",
        f"CREATE TRIGGER {PREFIX}after_update_old AFTER UPDATE OF {watched} ON statements "
        f"WHEN {_counted('old', new)} AND ({_changed('sqlite', new)}) BEGIN {_sqlite_remove('old')} END",
        f"CREATE TRIGGER {PREFIX}after_update_new AFTER UPDATE OF {watched} ON statements "
        f"WHEN {_counted('new', new)} AND ({_changed('sqlite', new)}) BEGIN {_sqlite_add('new')} END",
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


def _pg_triggers(new: bool) -> list[str]:
    watched = ", ".join(_watched(new))
    return [
        f"DROP TRIGGER IF EXISTS {PREFIX}after_update ON statements",
        f"CREATE TRIGGER {PREFIX}after_update AFTER UPDATE OF {watched} ON statements "
        f"FOR EACH ROW WHEN ({GUARD} AND ({_changed('postgresql', new)})) EXECUTE FUNCTION {PREFIX}sync()",
    ]


def _install(new: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        bind.exec_driver_sql(_postgres_function(new))
        for sql in _pg_triggers(new):
            bind.exec_driver_sql(sql)
    else:
        for name in ("after_insert", "after_delete", "after_update_old", "after_update_new"):
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {PREFIX}{name}")
        for sql in _sqlite_triggers(new):
            bind.exec_driver_sql(sql)


def upgrade() -> None:
    bind = op.get_bind()
    with rebuilt_table(bind, "statements"), op.batch_alter_table("statements") as batch:
        batch.add_column(sa.Column("copy_of_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_statements_copy_of_id_statements"), "statements", ["copy_of_id"], ["id"], ondelete="SET NULL"
        )
    op.create_index(op.f("ix_statements_copy_of_id"), "statements", ["copy_of_id"], unique=False)
    _install(new=True)
    mark_copies(bind, None)  # the count triggers take each copy out of the counts


def downgrade() -> None:
    bind = op.get_bind()
    bind.exec_driver_sql("UPDATE statements SET copy_of_id = NULL WHERE copy_of_id IS NOT NULL")  # copies count again
    _install(new=False)  # before the column goes: PostgreSQL's trigger watches it
    op.drop_index(op.f("ix_statements_copy_of_id"), table_name="statements")
    with rebuilt_table(bind, "statements"), op.batch_alter_table("statements") as batch:
        batch.drop_constraint(op.f("fk_statements_copy_of_id_statements"), type_="foreignkey")
        batch.drop_column("copy_of_id")
