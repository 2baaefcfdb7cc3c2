"""The references an import wrote, checked set-based when SQLite did not check them row by row.

A bulk import on SQLite runs with ``PRAGMA foreign_keys=OFF`` (:func:`factdb.sessions.transaction`
with ``bulk``): every reference it writes is an id it resolved itself, through the maps of
:mod:`.context` (an unknown name or key is refused with its file and line long before), and
the per-row lookups of the parents were most of the statements' insert at 1M statements. What
the foreign keys would have caught is checked here instead, once, before the import commits:
every reference column of every row the import created (ids above those before it, sub-rows
of such rows) must name a row that exists. A violation is a bug of the importer, not of the
file: :class:`factdb.errors.FactdbError` rolls the whole import back.

PostgreSQL always checks its foreign keys (COPY included); so does SQLite when the pragma is on.
"""

from __future__ import annotations

from typing import Any

from factdb.errors import FactdbError
from factdb.models import Base

__all__ = ["checked_here", "check_references", "highest", "ID_TABLES"]

# tables with an id whose new rows are told by it, and the sub-tables told by their parent's id
ID_TABLES = ("entities", "entity_names", "entity_roles", "sources", "claims", "claim_links", "statements",
             "verdicts")
SUB_TABLES = {"claim_tags": ("claim_id", "claims"), "statement_via": ("statement_id", "statements"),
              "statement_speakers": ("statement_id", "statements"), "source_texts": ("source_id", "sources"),
              "quote_anchors": ("statement_id", "statements")}  # fmt: skip
# parents small enough to read into one temporary list per query ("+ 0": not a lookup per row)
_LISTED = frozenset({"entities", "sources", "claims"})


def checked_here(conn: Any) -> bool:
    """Whether this import's rows must be checked here: SQLite with its foreign keys off."""
    if conn.dialect.name != "sqlite":
        return False
    return int(conn.exec_driver_sql("PRAGMA foreign_keys").scalar()) == 0


def highest(conn: Any) -> dict[str, int]:
    """The highest id of each table of :data:`ID_TABLES` (before the import)."""
    return {t: int(conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {t}").scalar()) for t in ID_TABLES}


def _references(table: str) -> list[tuple[str, str]]:
    """``(column, parent table)`` of each foreign key of ``table``, by column name."""
    return [(fk.parent.name, fk.column.table.name)
            for fk in sorted(Base.metadata.tables[table].foreign_keys, key=lambda f: f.parent.name)]


def _missing(column: str, parent: str) -> str:
    """SQL true for a row whose ``column`` names no row of ``parent``."""
    listed = f"SELECT id + 0 FROM {parent}" if parent in _LISTED else f"SELECT id FROM {parent}"
    return f"(t.{column} IS NOT NULL AND t.{column} NOT IN ({listed}))"


def _dangling(conn: Any, table: str, where: str) -> int:
    """How many rows of ``table`` (``where``) name a row that does not exist, in one pass:
    a column to a table of :data:`_LISTED` by its range (when the parent holds every id from
    the lowest to the highest value the rows give, as many rows as integers in between, no
    value can be missing; ids are unique integers), the others (self-references) row by row.
    A probe of the parent's ids per row and column was half of the check at 1M statements;
    a column whose range has a gap is checked again row by row."""
    references = _references(table)
    ranged = [(column, parent) for column, parent in references if parent in _LISTED]
    probed = [_missing(column, parent) for column, parent in references if parent not in _LISTED]
    if not references:
        return 0
    terms = [f"min(t.{c}), max(t.{c})" for c, _ in ranged]
    terms.append(f"sum(CASE WHEN {' OR '.join(probed)} THEN 1 ELSE 0 END)" if probed else "0")
    found = conn.exec_driver_sql(f"SELECT {', '.join(terms)} FROM {table} t WHERE {where}").one()
    count = int(found[-1] or 0)
    gaps = []
    for index, (column, parent) in enumerate(ranged):
        low, high = found[2 * index], found[2 * index + 1]
        if low is None:  # no value to check
            continue
        if type(low) is int and type(high) is int:  # else a stray value of another type: row by row
            held = conn.exec_driver_sql(f"SELECT count(*) FROM {parent} WHERE id BETWEEN ? AND ?", (low, high))
            if int(held.scalar()) == high - low + 1:
                continue
        gaps.append(_missing(column, parent))
    if gaps:  # every row naming nothing, by either test
        sql = f"SELECT count(*) FROM {table} t WHERE {where} AND ({' OR '.join(gaps + probed)})"
        count = int(conn.exec_driver_sql(sql).scalar())
    return count


def check_references(conn: Any, before: dict[str, int]) -> None:
    """Raise :class:`~factdb.errors.FactdbError` if a row created since ``before`` (from :func:`highest`)
    names a row that does not exist."""
    wheres = [(table, f"t.id > {int(before[table])}") for table in ID_TABLES]
    wheres += [(table, f"t.{column} > {int(before[parent])}") for table, (column, parent) in SUB_TABLES.items()]
    for table, where in wheres:
        count = _dangling(conn, table, where)
        if count:
            raise FactdbError(f"internal error: the import wrote {count} {table} rows naming rows that do not "
                                 "exist; nothing was written")
