"""Per-claim counts kept by the database: statements and distinct speakers on each side.

``claims.support_statements``/``oppose_statements`` count a claim's unretracted statements
per side (:data:`factdb.vocab.SUPPORTING_STANCES` / :data:`~factdb.vocab.OPPOSING_STANCES`;
a ``no-comment`` is on neither side and is not counted);
``support_speakers``/``oppose_speakers`` count its distinct speakers per side, and the table
``claim_speakers`` holds one row per (claim, side, speaker) with that speaker's number of
statements, present only while the number is above zero. ``report contested`` ranks claims by
these instead of aggregating every statement.

Triggers on ``statements`` keep them (revision 0003, replaced by 0020 for no-comment, which
holds its own frozen copy of the SQL below: tests/test_counts.py checks that the two stay the
same), so every write path stays right: the ORM, the bulk importer's raw
``executemany``/``COPY``, hand-written SQL. For a large load,
:func:`drop_claim_count_triggers` / :func:`restore_claim_count_triggers` (the same shape as
:mod:`factdb.search`'s FTS helpers) or :func:`suspended_claim_count_triggers` switch them off
and recompute the counts once afterwards, set-based.

A speaker is ``e:<entity id>`` when named and ``a:<description>|<affiliation id>`` when
anonymous: the description trimmed of spaces and its ASCII letters lower-cased ("A US
official" and "a US official" are one speaker), done the same way in Python
(:func:`speaker_ref`), SQLite (``lower``, which folds ASCII only) and PostgreSQL
(``translate``), so both backends count alike.

The helpers take a SQLAlchemy ``Connection`` or a DBAPI connection (sqlite3, psycopg), and run
inside the caller's transaction.
"""

from __future__ import annotations

import contextlib
import string
from collections.abc import Iterable, Iterator
from typing import Any

from factdb.vocab import SIDELESS_STANCES, SUPPORTING_STANCES

__all__ = [
    "TRIGGER_PREFIX",
    "BULK_SETTING",
    "speaker_ref",
    "side_sql",
    "speaker_ref_sql",
    "is_speaker_sql",
    "create_claim_count_triggers",
    "create_co_speaker_triggers",
    "drop_claim_count_triggers",
    "restore_claim_count_triggers",
    "suspended_claim_count_triggers",
    "rebuild_claim_counts",
    "claim_counts_sql",
    "counts_drift",
]

TRIGGER_PREFIX = "claim_counts_"
# The statement columns the counts depend on: an update of any other column changes nothing.
WATCHED = (
    "claim_id", "stance", "speaker_id", "speaker_description", "speaker_affiliation_id", "retracted_at",
    "copy_of_id",  # revision 0060
    "anonymous_kind", "anonymous_id", "source_id",  # revision 0027
)  # fmt: skip
_SUPPORTING = ", ".join(f"'{stance}'" for stance in SUPPORTING_STANCES)
_SIDELESS = ", ".join(f"'{stance}'" for stance in SIDELESS_STANCES)
_SQLITE_TRIGGERS = ("after_insert", "after_delete", "after_update_old", "after_update_new")
_PG_TRIGGERS = ("after_insert_delete", "after_update")
_PG_FUNCTION = f"{TRIGGER_PREFIX}sync"
# PostgreSQL: a bulk load's transaction sets this (SET LOCAL) and its triggers do nothing
# (revision 0013): no DROP TRIGGER, so no ACCESS EXCLUSIVE lock that would stop readers
BULK_SETTING = "factdb.bulk_counts"
_PG_GUARD = f"current_setting('{BULK_SETTING}', true) IS DISTINCT FROM 'on'"


def speaker_ref(speaker_id: int | None, description: str | None, affiliation_id: int | None,
                anonymous_id: str | None = None, source_id: int | None = None) -> str:
    """The ``claim_speakers.speaker_ref`` of a statement's speaker; an anonymous speaker with
    an ``anonymous_id`` (revision 0027) is that id within its source, whatever its description.

    >>> speaker_ref(12, None, None)
    'e:12'
    >>> speaker_ref(None, " A US official ", 7)
    'a:a us official|7'
    >>> speaker_ref(None, "the official", None, "A1", 5)
    'a#5#A1'
    """
    if speaker_id is not None:
        return f"e:{speaker_id}"
    if anonymous_id is not None:
        return f"a#{source_id}#{anonymous_id}"
    folded = (description or "").strip(" ").translate(_ASCII_LOWER)
    return f"a:{folded}|{'' if affiliation_id is None else affiliation_id}"


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


# --- SQL ------------------------------------------------------------------------------------


def counted_sql(row: str) -> str:
    """SQL: the statement row aliased ``row`` counts (unretracted, and on a side: a
    no-comment is on none, revision 0020; not a copy of another statement of its story,
    revision 0060: :mod:`factdb.copies`)."""
    return f"{row}.retracted_at IS NULL AND {row}.stance NOT IN ({_SIDELESS}) AND {row}.copy_of_id IS NULL"


def side_sql(row: str) -> str:
    """SQL: ``'support'`` or ``'oppose'`` for a counted statement row aliased ``row`` (the
    count triggers' form: :func:`counted_sql` has left out the stances on no side)."""
    return f"CASE WHEN {row}.stance IN ({_SUPPORTING}) THEN 'support' ELSE 'oppose' END"


def any_side_sql(row: str) -> str:
    """SQL: :func:`side_sql` for any statement row, NULL for a stance on no side (no-comment),
    as :func:`factdb.vocab.side_of`."""
    return (
        f"CASE WHEN {row}.stance IN ({_SUPPORTING}) THEN 'support' "
        f"WHEN {row}.stance IN ({_SIDELESS}) THEN NULL ELSE 'oppose' END"
    )


def speaker_ref_sql(row: str, dialect: str, *, source: str | None = None) -> str:
    """SQL: the :func:`speaker_ref` of the statement row aliased ``row``, on ``dialect``;
    ``source`` is the SQL of the row's source id (a joint speaker's row, revision 0063, has
    its statement's: ``s.source_id``)."""
    source = source or f"{row}.source_id"
    description = f"{row}.speaker_description"
    if dialect == "postgresql":
        folded = f"translate(btrim({description}), '{string.ascii_uppercase}', '{string.ascii_lowercase}')"
    else:
        folded = f"lower(trim({description}, ' '))"  # SQLite's lower() folds ASCII letters only
    by_id = f"WHEN {row}.anonymous_id IS NOT NULL THEN 'a#' || CAST({source} AS TEXT) || '#' || {row}.anonymous_id "
    return (
        f"CASE WHEN {row}.speaker_id IS NOT NULL THEN 'e:' || CAST({row}.speaker_id AS TEXT) {by_id}"
        f"ELSE 'a:' || {folded} || '|' || coalesce(CAST({row}.speaker_affiliation_id AS TEXT), '') END"
    )


def is_speaker_sql(row: str) -> str:
    """SQL: the statement row aliased ``row`` has a speaker to count: not unspecified reports
    ("media reports said", ``anonymous_kind`` reports, revision 0027), which count as a
    statement but as nobody's."""
    return f"({row}.anonymous_kind IS NULL OR {row}.anonymous_kind <> 'reports')"


def _changed(dialect: str) -> str:
    distinct = "IS DISTINCT FROM" if dialect == "postgresql" else "IS NOT"
    return " OR ".join(f"old.{column} {distinct} new.{column}" for column in WATCHED)


def _sqlite_add(row: str) -> str:
    side, ref = side_sql(row), speaker_ref_sql(row, "sqlite")
    mine = f"claim_id = {row}.claim_id AND side = {side} AND speaker_ref = {ref}"
    # (unspecified reports add no speaker: the row of the same ref is another statement's)
    first = f"{is_speaker_sql(row)} AND (SELECT statements FROM claim_speakers WHERE {mine}) = 1"
    return (
        "INSERT INTO claim_speakers (claim_id, side, speaker_ref, statements) "
        f"SELECT {row}.claim_id, {side}, {ref}, 1 WHERE {is_speaker_sql(row)} "
        "ON CONFLICT (claim_id, side, speaker_ref) DO UPDATE SET statements = statements + 1; "
        f"UPDATE claims SET "
        f"support_statements = support_statements + CASE WHEN {side} = 'support' THEN 1 ELSE 0 END, "
        f"oppose_statements = oppose_statements + CASE WHEN {side} = 'oppose' THEN 1 ELSE 0 END, "
        f"support_speakers = support_speakers + CASE WHEN {side} = 'support' AND {first} THEN 1 ELSE 0 END, "
        f"oppose_speakers = oppose_speakers + CASE WHEN {side} = 'oppose' AND {first} THEN 1 ELSE 0 END "
        f"WHERE id = {row}.claim_id;"
    )


def _sqlite_remove(row: str) -> str:
    side, ref = side_sql(row), speaker_ref_sql(row, "sqlite")
    mine = f"claim_id = {row}.claim_id AND side = {side} AND speaker_ref = {ref}"
    last = f"{is_speaker_sql(row)} AND (SELECT statements FROM claim_speakers WHERE {mine}) = 0"
    return (
        f"UPDATE claim_speakers SET statements = statements - 1 WHERE {mine} AND {is_speaker_sql(row)}; "
        f"UPDATE claims SET "
        f"support_statements = support_statements - CASE WHEN {side} = 'support' THEN 1 ELSE 0 END, "
        f"oppose_statements = oppose_statements - CASE WHEN {side} = 'oppose' THEN 1 ELSE 0 END, "
        f"support_speakers = support_speakers - CASE WHEN {side} = 'support' AND {last} THEN 1 ELSE 0 END, "
        f"oppose_speakers = oppose_speakers - CASE WHEN {side} = 'oppose' AND {last} THEN 1 ELSE 0 END "
        f"WHERE id = {row}.claim_id; "
        f"DELETE FROM claim_speakers WHERE {mine} AND statements = 0;"
    )


def sqlite_trigger_sql() -> list[str]:
    """CREATE TRIGGER statements for SQLite, as revision 0020 creates them (restored after a bulk load)."""
    watched = ", ".join(WATCHED)
    p = TRIGGER_PREFIX
    return [
        f"CREATE TRIGGER {p}after_insert AFTER INSERT ON statements WHEN {counted_sql('new')} "
        f"BEGIN {_sqlite_add('new')} END",
        f"CREATE TRIGGER {p}after_delete AFTER DELETE ON statements WHEN {counted_sql('old')} "
        f"BEGIN {_sqlite_remove('old')} END",
        # An update is a removal of the old row's count and an addition of the new one's, in
        # either order (both orders give the same result); one trigger each so that each can
        # say when it applies.
        f"CREATE TRIGGER {p}after_update_old AFTER UPDATE OF {watched} ON statements "
        f"WHEN {counted_sql('old')} AND ({_changed('sqlite')}) BEGIN {_sqlite_remove('old')} END",
        f"CREATE TRIGGER {p}after_update_new AFTER UPDATE OF {watched} ON statements "
        f"WHEN {counted_sql('new')} AND ({_changed('sqlite')}) BEGIN {_sqlite_add('new')} END",
    ]


def postgres_trigger_sql() -> list[str]:
    """The plpgsql function and its triggers for PostgreSQL."""
    watched = ", ".join(WATCHED)
    p = TRIGGER_PREFIX

    def block(row: str, delta: int) -> str:
        # delta +1 adds the row's statement, -1 removes it; n is the speaker's count after.
        if delta > 0:
            count = (
                "INSERT INTO claim_speakers (claim_id, side, speaker_ref, statements) "
                f"SELECT {row}.claim_id, side_, ref_, 1 WHERE {is_speaker_sql(row)} "
                "ON CONFLICT (claim_id, side, speaker_ref) "
                "DO UPDATE SET statements = claim_speakers.statements + 1 RETURNING statements INTO n; "
                "new_speaker := (n = 1);"
            )
        else:
            count = (
                "UPDATE claim_speakers SET statements = statements - 1 "
                f"WHERE claim_id = {row}.claim_id AND side = side_ AND speaker_ref = ref_ AND {is_speaker_sql(row)} "
                "RETURNING statements INTO n; "
                "new_speaker := (n = 0); "
                "IF new_speaker THEN DELETE FROM claim_speakers "
                f"WHERE claim_id = {row}.claim_id AND side = side_ AND speaker_ref = ref_; END IF;"
            )
        sign = "+" if delta > 0 else "-"
        return (
            f"side_ := {side_sql(row)}; ref_ := {speaker_ref_sql(row, 'postgresql')}; {count} "
            f"UPDATE claims SET "
            f"support_statements = support_statements {sign} CASE WHEN side_ = 'support' THEN 1 ELSE 0 END, "
            f"oppose_statements = oppose_statements {sign} CASE WHEN side_ = 'oppose' THEN 1 ELSE 0 END, "
            f"support_speakers = support_speakers {sign} "
            "CASE WHEN side_ = 'support' AND new_speaker THEN 1 ELSE 0 END, "
            f"oppose_speakers = oppose_speakers {sign} CASE WHEN side_ = 'oppose' AND new_speaker THEN 1 ELSE 0 END "
            f"WHERE id = {row}.claim_id;"
        )

    function = (
        f"CREATE OR REPLACE FUNCTION {_PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $body$\n"
        "DECLARE side_ text; ref_ text; n integer; new_speaker boolean;\n"
        "BEGIN\n"
        f"  IF TG_OP IN ('UPDATE', 'DELETE') AND {counted_sql('OLD')} THEN {block('OLD', -1)} END IF;\n"
        f"  IF TG_OP IN ('UPDATE', 'INSERT') AND {counted_sql('NEW')} THEN {block('NEW', 1)} END IF;\n"
        "  RETURN NULL;\n"
        "END\n$body$"
    )
    # revision 0013: skipped in a bulk load's transaction (SET LOCAL factdb.bulk_counts)
    return [
        function,
        f"CREATE TRIGGER {p}after_insert_delete AFTER INSERT OR DELETE ON statements "
        f"FOR EACH ROW WHEN ({_PG_GUARD}) EXECUTE FUNCTION {_PG_FUNCTION}()",
        f"CREATE TRIGGER {p}after_update AFTER UPDATE OF {watched} ON statements "
        f"FOR EACH ROW WHEN ({_PG_GUARD} AND ({_changed('postgresql')})) EXECUTE FUNCTION {_PG_FUNCTION}()",
    ]


# --- joint speakers (revision 0025) -------------------------------------------------------
# A statement's joint speakers after the first (table statement_speakers) are each a speaker of
# its claim: they add to claim_speakers and support_speakers/oppose_speakers, never to the
# statement counts. Triggers of their own, beside the ones above:
# - on statement_speakers, a joint speaker added, removed or changed on a counted statement;
# - on statements, a change of what makes it counted or its side (CO_WATCHED) moves its joint
#   speakers with it, and a deleted statement first deletes its joint speakers (BEFORE DELETE),
#   so that their own trigger takes them off while the statement is still there.
# A joint anonymous speaker is counted as the first one is (revision 0063): its anonymous_id
# is one speaker within the statement's source (so a change of source_id moves it too), and
# unspecified reports (anonymous_kind reports) are nobody: no claim_speakers row.
# The SQL is written once for both backends (set-based statements that SQLite trigger bodies
# and plpgsql both accept).

CO_WATCHED = (
    "claim_id", "stance", "retracted_at", "copy_of_id",
    "source_id",  # revision 0063: a joint speaker's anonymous id is one speaker within the source
)  # fmt: skip
_SQLITE_CO_TRIGGERS = ("co_insert", "co_delete", "co_update", "co_statement_update", "co_statement_delete")
_PG_CO_TRIGGERS = (("co_sync", "statement_speakers"), ("co_statement_update", "statements"),
                   ("co_statement_delete", "statements"))
_PG_CO_FUNCTIONS = (f"{TRIGGER_PREFIX}co_sync", f"{TRIGGER_PREFIX}co_statement_sync", f"{TRIGGER_PREFIX}co_cleanup")


def _co_of_statement(row: str, dialect: str) -> str:
    """(claim_id, side, ref) of the joint speakers of the statement record ``row``, if counted
    (unspecified reports left out, and an anonymous id within the statement's source, as for
    the first speaker: revision 0063)."""
    return (
        f"SELECT {row}.claim_id AS claim_id, {side_sql(row)} AS side, "
        f"{speaker_ref_sql('ss', dialect, source=f'{row}.source_id')} AS ref "
        f"FROM statement_speakers ss WHERE ss.statement_id = {row}.id AND {counted_sql(row)} AND {is_speaker_sql('ss')}"
    )


def _co_row(row: str, dialect: str) -> str:
    """(claim_id, side, ref) of the joint-speaker record ``row``, if its statement is counted
    and it is a speaker (not unspecified reports)."""
    return (
        f"SELECT s.claim_id AS claim_id, {side_sql('s')} AS side, "
        f"{speaker_ref_sql(row, dialect, source='s.source_id')} AS ref "
        f"FROM statements s WHERE s.id = {row}.statement_id AND {counted_sql('s')} AND {is_speaker_sql(row)}"
    )


def _co_speakers_changed(pairs: str, *, zero: int) -> tuple[str, str]:
    """SQL: add to each claim's speakers the pairs whose claim_speakers count is now ``zero``
    (1 after an addition: a new speaker; 0 after a removal, with the sign flipped by the caller)."""
    def count(side: str) -> str:
        return (
            f"(SELECT count(*) FROM ({pairs}) AS p JOIN claim_speakers cs ON cs.claim_id = p.claim_id "
            f"AND cs.side = p.side AND cs.speaker_ref = p.ref WHERE p.side = '{side}' AND cs.statements = {zero})"
        )
    return count("support"), count("oppose")


def _co_add(pairs: str) -> str:
    support, oppose = _co_speakers_changed(pairs, zero=1)
    return (
        "INSERT INTO claim_speakers (claim_id, side, speaker_ref, statements) "
        f"SELECT p.claim_id, p.side, p.ref, 1 FROM ({pairs}) AS p WHERE 1 = 1 "
        "ON CONFLICT (claim_id, side, speaker_ref) DO UPDATE SET statements = claim_speakers.statements + 1; "
        f"UPDATE claims SET support_speakers = support_speakers + {support}, "
        f"oppose_speakers = oppose_speakers + {oppose} "
        f"WHERE id IN (SELECT p.claim_id FROM ({pairs}) AS p);"
    )


def _co_remove(pairs: str) -> str:
    support, oppose = _co_speakers_changed(pairs, zero=0)
    mine = (
        f"EXISTS (SELECT 1 FROM ({pairs}) AS p WHERE p.claim_id = claim_speakers.claim_id "
        "AND p.side = claim_speakers.side AND p.ref = claim_speakers.speaker_ref)"
    )
    return (
        f"UPDATE claim_speakers SET statements = statements - 1 WHERE {mine}; "
        f"UPDATE claims SET support_speakers = support_speakers - {support}, "
        f"oppose_speakers = oppose_speakers - {oppose} "
        f"WHERE id IN (SELECT p.claim_id FROM ({pairs}) AS p); "
        f"DELETE FROM claim_speakers WHERE statements = 0 AND {mine};"
    )


def _co_changed(dialect: str) -> str:
    distinct = "IS DISTINCT FROM" if dialect == "postgresql" else "IS NOT"
    return " OR ".join(f"old.{column} {distinct} new.{column}" for column in CO_WATCHED)


def sqlite_co_speaker_trigger_sql() -> list[str]:
    """CREATE TRIGGER statements for joint speakers on SQLite (revision 0025)."""
    p, d = TRIGGER_PREFIX, "sqlite"
    watched = ", ".join(CO_WATCHED)
    return [
        f"CREATE TRIGGER {p}co_insert AFTER INSERT ON statement_speakers BEGIN {_co_add(_co_row('new', d))} END",
        f"CREATE TRIGGER {p}co_delete AFTER DELETE ON statement_speakers BEGIN {_co_remove(_co_row('old', d))} END",
        f"CREATE TRIGGER {p}co_update AFTER UPDATE ON statement_speakers "
        f"BEGIN {_co_remove(_co_row('old', d))} {_co_add(_co_row('new', d))} END",
        f"CREATE TRIGGER {p}co_statement_update AFTER UPDATE OF {watched} ON statements WHEN {_co_changed(d)} "
        f"BEGIN {_co_remove(_co_of_statement('old', d))} {_co_add(_co_of_statement('new', d))} END",
        f"CREATE TRIGGER {p}co_statement_delete BEFORE DELETE ON statements "
        "BEGIN DELETE FROM statement_speakers WHERE statement_id = old.id; END",
    ]


def postgres_co_speaker_trigger_sql() -> list[str]:
    """The plpgsql functions and triggers for joint speakers on PostgreSQL (revision 0025)."""
    p, d = TRIGGER_PREFIX, "postgresql"
    sync, statement_sync, cleanup = _PG_CO_FUNCTIONS
    watched = ", ".join(CO_WATCHED)

    def function(name: str, body: str, returns: str = "NULL") -> str:
        return (
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$\n"
            f"BEGIN\n{body}\n  RETURN {returns};\nEND\n$body$"
        )

    return [
        function(sync, f"  IF TG_OP IN ('UPDATE', 'DELETE') THEN {_co_remove(_co_row('OLD', d))} END IF;\n"
                       f"  IF TG_OP IN ('UPDATE', 'INSERT') THEN {_co_add(_co_row('NEW', d))} END IF;"),
        function(statement_sync,
                 f"  {_co_remove(_co_of_statement('OLD', d))}\n  {_co_add(_co_of_statement('NEW', d))}"),
        function(cleanup, "  DELETE FROM statement_speakers WHERE statement_id = OLD.id;", "OLD"),
        f"CREATE TRIGGER {p}co_sync AFTER INSERT OR UPDATE OR DELETE ON statement_speakers "
        f"FOR EACH ROW WHEN ({_PG_GUARD}) EXECUTE FUNCTION {sync}()",
        f"CREATE TRIGGER {p}co_statement_update AFTER UPDATE OF {watched} ON statements "
        f"FOR EACH ROW WHEN ({_PG_GUARD} AND ({_co_changed(d)})) EXECUTE FUNCTION {statement_sync}()",
        f"CREATE TRIGGER {p}co_statement_delete BEFORE DELETE ON statements "
        f"FOR EACH ROW EXECUTE FUNCTION {cleanup}()",
    ]


# --- connections ----------------------------------------------------------------------------


def _dialect(connection: Any) -> str:
    dialect = getattr(connection, "dialect", None)
    if dialect is not None:
        return dialect.name
    return "sqlite" if type(connection).__module__.startswith("sqlite3") else "postgresql"


def _run(connection: Any, sql: str) -> Any:
    # a SQLAlchemy Connection or a DBAPI connection (sqlite3's has execute(), psycopg's too)
    runner = getattr(connection, "exec_driver_sql", None) or connection.execute
    return runner(sql)


def _rows(connection: Any, sql: str) -> list[tuple]:
    return [tuple(row) for row in _run(connection, sql).fetchall()]


def create_claim_count_triggers(connection: Any) -> None:
    """Create the count triggers (they must not exist)."""
    sqls = postgres_trigger_sql() if _dialect(connection) == "postgresql" else sqlite_trigger_sql()
    for sql in sqls:
        _run(connection, sql)


def create_co_speaker_triggers(connection: Any) -> None:
    """Create the joint speakers' count triggers (revision 0025; they must not exist)."""
    postgres = _dialect(connection) == "postgresql"
    sqls = postgres_co_speaker_trigger_sql() if postgres else sqlite_co_speaker_trigger_sql()
    for sql in sqls:
        _run(connection, sql)


def _drop_triggers(connection: Any, *, function: bool = False) -> None:
    if _dialect(connection) == "postgresql":
        for name in _PG_TRIGGERS:
            _run(connection, f"DROP TRIGGER IF EXISTS {TRIGGER_PREFIX}{name} ON statements")
        if function:
            _run(connection, f"DROP FUNCTION IF EXISTS {_PG_FUNCTION}()")
    else:
        for name in _SQLITE_TRIGGERS + _SQLITE_CO_TRIGGERS:
            _run(connection, f"DROP TRIGGER IF EXISTS {TRIGGER_PREFIX}{name}")


def drop_claim_count_triggers(connection: Any) -> int:
    """Bulk load: stop counting row by row. Returns the highest statement id before the load,
    for :func:`restore_claim_count_triggers`; run both in the load's transaction so that no
    other writer sees the counts while the triggers are off.

    SQLite drops the triggers (the load holds the only write lock anyway); PostgreSQL sets
    :data:`BULK_SETTING` for this transaction only, and every other writer keeps counting."""
    if _dialect(connection) == "postgresql":
        _run(connection, f"SET LOCAL {BULK_SETTING} = 'on'")
    else:
        _drop_triggers(connection)
    return int(_rows(connection, "SELECT coalesce(max(id), 0) FROM statements")[0][0])


def restore_claim_count_triggers(connection: Any, marker: int | None = None, created_at: str | None = None) -> None:
    """Recreate the count triggers and count what was loaded without them.

    With the ``marker`` of :func:`drop_claim_count_triggers`, recount only the claims of the
    statements added since, which is right when the load only inserted; without it, recount
    every claim (needed when the load also updated or deleted statements). ``created_at``
    (the load's own, as SQL text) narrows that to the load's statements: on PostgreSQL other
    writers add statements meanwhile, count them themselves, and should not wait for the load
    on the claims it never touched.
    """
    if marker is None:
        rebuild_claim_counts(connection)
    else:
        own = f" AND created_at = '{created_at}'" if created_at else ""
        _rebuild(connection, f"IN (SELECT claim_id FROM statements WHERE id > {int(marker)}{own})")
    if _dialect(connection) == "postgresql":
        _run(connection, f"SET LOCAL {BULK_SETTING} = 'off'")
    else:
        create_claim_count_triggers(connection)
        create_co_speaker_triggers(connection)


@contextlib.contextmanager
def suspended_claim_count_triggers(connection: Any) -> Iterator[None]:
    """Run a bulk load with the count triggers dropped, then recreate them and recount every
    claim (inside the caller's transaction)::

        with engine.begin() as conn, suspended_claim_count_triggers(conn):
            conn.exec_driver_sql("INSERT INTO statements ...")

    On an error the triggers are not recreated here: the caller's transaction rolls back, and
    with it the drop.
    """
    drop_claim_count_triggers(connection)
    yield
    restore_claim_count_triggers(connection)


# --- recounting -----------------------------------------------------------------------------


def rebuild_claim_counts(connection: Any, claim_ids: Iterable[int] | None = None) -> None:
    """Recompute the counts from the statements, for every claim or for ``claim_ids`` (a few
    set-based statements either way)."""
    if claim_ids is None:
        _rebuild(connection, None)
        return
    ids = sorted({int(claim_id) for claim_id in claim_ids})
    for start in range(0, len(ids), 500):  # SQLite limits the length of a statement's IN list
        _rebuild(connection, "IN (" + ", ".join(str(i) for i in ids[start : start + 500]) + ")")


def _fresh_speakers(dialect: str, where: str) -> str:
    """(claim_id, side, speaker_ref, statements) aggregated from the statements: each counted
    statement once for its first speaker and once for each joint speaker (revision 0025), but
    not for unspecified reports, first or joint (revisions 0027, 0063)."""
    # every claim on SQLite: a plain scan of the table (the planner would walk the claim index
    # and fetch each row from the table at random, 3x slower at 1M statements)
    scan = " NOT INDEXED" if dialect == "sqlite" and not where else ""
    return (
        "SELECT claim_id, side, speaker_ref, count(*) AS statements FROM ("
        f"SELECT s.claim_id, {side_sql('s')} AS side, {speaker_ref_sql('s', dialect)} AS speaker_ref "
        f"FROM statements s{scan} WHERE {counted_sql('s')} AND {is_speaker_sql('s')}{where} UNION ALL "
        f"SELECT s.claim_id, {side_sql('s')}, {speaker_ref_sql('ss', dialect, source='s.source_id')} "
        f"FROM statements s JOIN statement_speakers ss ON ss.statement_id = s.id "
        f"WHERE {counted_sql('s')} AND {is_speaker_sql('ss')}{where}"
        ") AS u GROUP BY claim_id, side, speaker_ref"
    )


def _per_claim(source: str, where: str) -> str:
    """Per claim: statements per side, counted from the statements (one each, however many
    speakers), and speakers per side, from ``source`` (claim_speakers' shape)."""
    return (
        "SELECT claim_id, sum(ss) AS support_statements, sum(os) AS oppose_statements, "
        "sum(sp) AS support_speakers, sum(op) AS oppose_speakers FROM ("
        "SELECT claim_id, 0 AS ss, 0 AS os, "
        "CASE WHEN side = 'support' THEN 1 ELSE 0 END AS sp, CASE WHEN side = 'oppose' THEN 1 ELSE 0 END AS op "
        f"FROM {source} UNION ALL "
        f"SELECT s.claim_id, CASE WHEN {side_sql('s')} = 'support' THEN 1 ELSE 0 END, "
        f"CASE WHEN {side_sql('s')} = 'oppose' THEN 1 ELSE 0 END, 0, 0 "
        f"FROM statements s WHERE {counted_sql('s')}{where}"
        ") AS p GROUP BY claim_id"
    )


def claim_counts_sql(dialect: str, statement_conditions: str = "") -> str:
    """SQL: ``(claim_id, support_statements, oppose_statements, support_speakers,
    oppose_speakers)`` per claim, counted from the statements as the stored counts are (each
    joint speaker, one anonymous id once per source, copies and unspecified reports left out),
    of the statements (alias ``s``) meeting ``statement_conditions`` (`` AND ...``, e.g. a
    period: ``report contested --since``)."""
    return _per_claim(f"({_fresh_speakers(dialect, statement_conditions)}) AS f", statement_conditions)


def _rebuild(connection: Any, claims: str | None) -> None:
    """Recount the claims whose id is ``claims`` (an SQL ``IN (...)`` test), or all."""
    dialect = _dialect(connection)
    in_claims = f" AND claim_id {claims}" if claims else ""
    in_statements = f" AND s.claim_id {claims}" if claims else ""
    if dialect == "postgresql":
        # Other writers keep counting meanwhile: lock the claims first (in id order), so that a
        # writer's statement on one of them is either committed, and counted here, or waits for
        # this transaction and counts itself on top (no lost count, no deadlock)
        _run(connection, f"SELECT id FROM claims WHERE 1 = 1{' AND id ' + claims if claims else ''} "
                         "ORDER BY id FOR UPDATE")
    _run(connection, f"DELETE FROM claim_speakers WHERE 1 = 1{in_claims}")
    _run(
        connection,
        "INSERT INTO claim_speakers (claim_id, side, speaker_ref, statements) "
        + _fresh_speakers(dialect, in_statements),
    )
    _run(
        connection,
        "UPDATE claims SET support_statements = 0, oppose_statements = 0, support_speakers = 0, oppose_speakers = 0 "
        "WHERE (support_statements <> 0 OR oppose_statements <> 0 OR support_speakers <> 0 OR oppose_speakers <> 0)"
        + (f" AND id {claims}" if claims else ""),
    )
    _run(
        connection,
        "UPDATE claims SET support_statements = t.support_statements, oppose_statements = t.oppose_statements, "
        "support_speakers = t.support_speakers, oppose_speakers = t.oppose_speakers "
        f"FROM ({_per_claim('claim_speakers WHERE 1 = 1' + in_claims, in_statements)}) AS t "
        "WHERE claims.id = t.claim_id",
    )


def counts_drift(connection: Any) -> list[int]:
    """Ids of the claims whose maintained counts differ from a fresh count of their
    statements (empty when all is well): for tests and ``factdb check``."""
    dialect = _dialect(connection)
    fresh = _fresh_speakers(dialect, "")
    per_claim = _per_claim(f"({fresh}) AS f", "")
    sql = (
        f"SELECT c.id FROM claims c LEFT JOIN ({per_claim}) AS t ON t.claim_id = c.id "
        "WHERE c.support_statements <> coalesce(t.support_statements, 0) "
        "OR c.oppose_statements <> coalesce(t.oppose_statements, 0) "
        "OR c.support_speakers <> coalesce(t.support_speakers, 0) "
        "OR c.oppose_speakers <> coalesce(t.oppose_speakers, 0) "
        "UNION SELECT claim_id FROM ("
        f"SELECT * FROM ({fresh}) AS a EXCEPT SELECT claim_id, side, speaker_ref, statements FROM claim_speakers"
        ") AS missing "
        "UNION SELECT claim_id FROM ("
        f"SELECT claim_id, side, speaker_ref, statements FROM claim_speakers EXCEPT SELECT * FROM ({fresh}) AS b"
        ") AS extra ORDER BY 1"
    )
    return [int(row[0]) for row in _rows(connection, sql)]
