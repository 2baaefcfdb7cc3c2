"""History of the rows an import creates, written set-based at the end of the import.

The bulk writer bypasses the ORM, so factdb.history's flush hook never sees the new rows.
Instead, one ``INSERT INTO history ... SELECT`` per table records an ``insert`` entry for
every row with an id above the table's highest id before the import and the import's own
``created_at`` (so a row another writer added meanwhile is not claimed). ``after`` holds the
columns :func:`factdb.history.snapshot` records for an ORM insert, built by the database
(``json_object`` / ``json_build_object``); sub-rows are folded into their parent: an entity's
``aliases``, a claim's ``tags``, a statement's ``via`` (entity ids, in order).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, DateTime, text

from factdb.history import _UNRECORDED
from factdb.models import Base

__all__ = ["TABLES", "highest_ids", "record_inserts"]

# table -> (natural key column, claim id expression, folded sub-rows: (name, table, column, parent column, order))
TABLES: dict[str, tuple[str, str | None, tuple[str, str, str, str, str] | None]] = {
    "entities": ("name", None, ("aliases", "entity_names", "name", "entity_id", "id")),
    "sources": ("key", None, None),
    "claims": ("key", "t.id", ("tags", "claim_tags", "tag", "claim_id", "tag")),
    "statements": ("key", "t.claim_id", ("via", "statement_via", "entity_id", "statement_id", "position")),
    "verdicts": ("key", "t.claim_id", None),
}


def highest_ids(conn: Any) -> dict[str, int]:
    """The highest id of each table whose new rows get history (taken before the import)."""
    return {table: int(conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {table}").scalar()) for table in TABLES}


def _value(column: Any, postgres: bool) -> str:
    name = f"t.{column.name}"
    if isinstance(column.type, JSON) and not postgres:
        return f"json({name})"
    if isinstance(column.type, DateTime) and not postgres:
        # stored as 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC; snapshot() writes isoformat()
        return f"replace(replace({name}, ' ', 'T'), '.000000', '') || '+00:00'"
    return name


def _after(table: str, postgres: bool) -> tuple[str, str]:
    """The ``after`` expression of ``table``'s new rows (alias ``t``) and the join it needs.

    A folded sub-row list is read by a subquery only for the rows that have sub-rows (``f``:
    their parents' ids, found in one pass over the sub-table), the rest get ``[]``: at 1M
    statements (a tenth with a via chain), a million index probes into ``statement_via``,
    through the import's long uncommitted WAL, were a third of the pass."""
    pairs = [
        f"'{column.name}', {_value(column, postgres)}"
        for column in Base.metadata.tables[table].c
        if column.name not in _UNRECORDED
    ]
    join = ""
    folded = TABLES[table][2]
    if folded is not None:
        name, sub, column, parent, order = folded
        aliases_only = " AND NOT x.is_primary" if sub == "entity_names" else ""
        where = f"FROM {sub} x WHERE x.{parent} = t.id{aliases_only}"
        if postgres:
            listing = f"(SELECT coalesce(json_agg(x.{column} ORDER BY x.{order}), '[]'::json) {where})"
            empty = "'[]'::json"
        else:
            listing = f"(SELECT json_group_array({column}) FROM (SELECT x.{column} {where} ORDER BY x.{order}))"
            empty = "json_array()"
        having = f"SELECT DISTINCT x.{parent} AS parent FROM {sub} x WHERE x.{parent} > :since{aliases_only}"
        pairs.append(f"'{name}', CASE WHEN f.parent IS NULL THEN {empty} ELSE {listing} END")
        join = f" LEFT JOIN ({having}) f ON f.parent = t.id"
    function = "json_build_object" if postgres else "json_object"
    return f"{function}({', '.join(pairs)})", join


def record_inserts(
    conn: Any, before: dict[str, int], *, created_at: Any, occurred_at: Any, actor: str, command: str | None
) -> int:
    """Add an ``insert`` history entry for each row created by the import; return how many.

    ``before`` comes from :func:`highest_ids`; ``created_at`` is the value the importer wrote
    into the rows' ``created_at`` (as the driver took it).
    """
    postgres = conn.dialect.name == "postgresql"
    total = 0
    rebuilt = None if postgres else _claim_index_deferred(conn, before)
    for table, (key, claim, _folded) in TABLES.items():
        after, join = _after(table, postgres)
        sql = (
            "INSERT INTO history (occurred_at, actor, command, action, table_name, row_id, row_key, claim_id, "
            'entity_id, "before", "after") '
            f"SELECT :occurred_at, :actor, :command, 'insert', '{table}', t.id, t.{key}, {claim or 'NULL'}, "
            f"{'t.id' if table == 'entities' else 'NULL'}, NULL, "
            f"{after} FROM {table} t{join} WHERE t.id > :since AND t.created_at = :created_at ORDER BY t.id"
        )
        params = {"occurred_at": occurred_at, "actor": actor, "command": command, "since": before[table],
                  "created_at": created_at}
        total += conn.execute(text(sql), params).rowcount or 0
    if rebuilt is not None:
        rebuilt.create(conn)
    return total


# From this many new statements on (and more than history holds already), SQLite builds the
# history's claim index once after the insert instead of row by row: the statements' claims
# come in random order, and at 1M statements that index outgrew the import's page cache,
# each entry a page read and a page spilled (see bench/interchange.py)
DEFER_CLAIM_INDEX_FROM = 50_000


def _claim_index_deferred(conn: Any, before: dict[str, int]) -> Any:
    """SQLite: drop ``ix_history_claim_id`` (in the import's transaction) and return it, to be
    built again after the insert, when the import adds many statements to a small history;
    else None. (PostgreSQL keeps its indexes: DROP INDEX would lock every reader out.)"""
    # the ids drawn for the import's statements (a bound on how many it made; a count read
    # the whole new range: 1.3 s at 3M)
    new = int(conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM statements").scalar()) - before["statements"]
    if new < DEFER_CLAIM_INDEX_FROM:
        return None
    held = int(conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM history").scalar())
    if held > new:
        return None
    index = next(i for i in Base.metadata.tables["history"].indexes if i.name == "ix_history_claim_id")
    index.drop(conn)
    return index
