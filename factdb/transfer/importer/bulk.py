"""The importer's bulk writer: plain DBAPI ``executemany`` on SQLite, ``COPY`` on PostgreSQL.

SQLAlchemy Core processes every parameter of every row in Python; for a million statements
that costs more than the database work. Here values are converted once, by column type, to
what SQLAlchemy itself would have stored (dates as ``YYYY-MM-DD`` text, SQLite datetimes as
``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC, JSON as text), and handed to the driver as tuples.

On SQLite, into an empty ``statements`` table the secondary indexes are dropped first and
built again at the end of the import, in the same transaction: building an index once from
sorted data is several times cheaper than maintaining it row by row. PostgreSQL keeps them:
dropping an index locks the table against every reader until the import commits.

PostgreSQL, instead: the import's transaction gets more memory for its sorts and hashes
(``SET LOCAL work_mem``: the set-based steps at the end group and sort a million rows, which
spilled to disk at the default 4 MB), and once the rows are in, the tables they went into are
analyzed (:meth:`BulkWriter.analyze`), in the same transaction, so that the steps at the end
are planned for the rows there are (autovacuum has not seen them, and the planner took a
million-row table for ten thousand rows).
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import orjson
from sqlalchemy import JSON, Boolean, Date, DateTime
from sqlalchemy.engine import Connection

from factdb.models import Base

__all__ = ["BulkWriter", "IdPool"]

INDEXED_LATER = ("statements", "statement_via")
# 16 MB of page cache while loading and building the deferred indexes: peak memory matters
# (the index builds' sorter takes about as much again). At 1M statements: 64 MB peaked at
# 373 MB, 32 MB at 316 MB, 16 MB at 278 MB (target < 300 MB), for 119 s, 112 s and 137 s (one
# run each, a benchmark beside them). The end passes after the index builds run with the
# connection's own cache again (:meth:`BulkWriter.restore_cache`): with 16 MB the sourcing
# flags' grouped query alone rose 63 MB at 1M statements, with SQLite's default 2 MB 22 MB,
# in the same time (14.6 s against 15.6 s)
SQLITE_IMPORT_CACHE_KIB = 16_384
# PostgreSQL: the import's sort and hash memory (per sort or hash of a query, on the server)
POSTGRES_IMPORT_WORK_MEM = "64MB"
# the tables a large import fills, analyzed before the set-based steps at the end
ANALYZED = ("entities", "entity_names", "sources", "claims", "claim_tags", "statements", "statement_via",
            "statement_speakers", "verdicts")


# PostgreSQL: ids drawn from a table's sequence per round trip, in blocks growing from the first
# to the largest (a block of 2,000 cost 26 ms, 2.6 s of a 200k import; the unused ids of the
# last block are a gap, as a rolled-back insert leaves one, so a small import draws few)
ID_BLOCKS = (500, 20_000)


class IdPool:
    """Row ids drawn before the insert, so parents and children go in with plain executemany.

    SQLite: the write transaction (BEGIN IMMEDIATE) holds the only write lock, so counting on
    from MAX(id) is safe. PostgreSQL: ids come from the table's own sequence, in blocks.
    """

    def __init__(self, conn: Connection, table: str):
        self.conn = conn
        self.table = table
        self.postgres = conn.dialect.name == "postgresql"
        self.free: list[int] = []
        self.counted: Iterator[int] | None = None  # SQLite: the ids from MAX(id) + 1 on
        self.block = ID_BLOCKS[0]

    def next(self) -> int:
        return self.drawer()()

    def drawer(self) -> Callable[[], int]:
        """:meth:`next` for a loop: on SQLite the counter's own ``__next__`` (no Python call per id)."""
        if self.postgres:
            return self._next_of_sequence
        if self.counted is None:
            last = int(self.conn.exec_driver_sql(f"SELECT COALESCE(MAX(id), 0) FROM {self.table}").scalar_one())
            self.counted = itertools.count(last + 1)
        return self.counted.__next__

    def _next_of_sequence(self) -> int:
        if not self.free:
            block = self.conn.exec_driver_sql(
                f"SELECT nextval(pg_get_serial_sequence('{self.table}', 'id')) FROM generate_series(1, {self.block})"
            ).scalars()
            self.block = min(self.block * 2, ID_BLOCKS[1])
            self.free = sorted(block, reverse=True)
        return self.free.pop()


class BulkWriter:
    """Inserts rows of factdb tables through the raw driver, on the session's connection."""

    def __init__(self, conn: Any):
        self.conn = conn
        self.postgres = conn.dialect.name == "postgresql"
        self.tables = Base.metadata.tables
        self._converters: dict[tuple[str, tuple[str, ...]], list[Callable | None]] = {}
        self.dropped: list[Any] = []
        self._cache_before: int | None = None
        self._last_time: tuple[dt.datetime | None, Any] = (None, None)
        if self.postgres:
            conn.exec_driver_sql(f"SET LOCAL work_mem = '{POSTGRES_IMPORT_WORK_MEM}'")
        else:
            self._cache_before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
            conn.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_IMPORT_CACHE_KIB}")

    # --- values -----------------------------------------------------------------------------

    def timestamp(self, value: dt.datetime) -> Any:
        """A timezone-aware UTC datetime as the driver should receive it."""
        if self.postgres:
            return value
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    def _stored_time(self, value: dt.datetime) -> Any:
        """:meth:`timestamp`, the last answer kept: most rows carry the import's own time in
        ``created_at`` and ``updated_at`` (320k conversions of one value at 1M statements)."""
        if value != self._last_time[0]:
            self._last_time = (value, self.timestamp(value))
        return self._last_time[1]

    def _converter(self, column: Any) -> Callable | None:
        kind = column.type
        if isinstance(kind, DateTime):
            return self._stored_time
        if isinstance(kind, Date):
            return lambda value: value if isinstance(value, str) else value.isoformat()
        if isinstance(kind, JSON):
            return lambda value: orjson.dumps(value).decode()
        if isinstance(kind, Boolean) and not self.postgres:
            return int
        return None

    def insert(self, table: str, rows: Sequence[dict[str, Any]]) -> None:
        """Insert dict rows (all with the same keys), converting values by column type."""
        if not rows:
            return
        columns = tuple(rows[0])
        key = (table, columns)
        converters = self._converters.get(key)
        if converters is None:
            converters = [self._converter(self.tables[table].c[name]) for name in columns]
            self._converters[key] = converters
        # the values in column order by one itemgetter per row, then only the columns with a
        # converter converted (a generator per row over every column cost more than the insert)
        get = operator.itemgetter(*columns)
        tuples: list[tuple] = [get(row) for row in rows] if len(columns) > 1 else [(row[columns[0]],) for row in rows]
        converted = [(index, convert) for index, convert in enumerate(converters) if convert is not None]
        if converted:
            for number, values in enumerate(tuples):
                row_values = list(values)
                for index, convert in converted:
                    value = row_values[index]
                    if value is not None:
                        row_values[index] = convert(value)
                tuples[number] = tuple(row_values)
        self.insert_tuples(table, columns, tuples)

    def insert_tuples(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        """Insert rows whose values are already what the driver takes."""
        if not rows:
            return
        names = ", ".join(f'"{c}"' if c == "key" else c for c in columns)
        if self.postgres:
            raw = self.conn.connection.dbapi_connection
            with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns))
            self.conn.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)

    def set_column(self, table: str, column: str, values: Sequence[tuple[int, int | None]], updated_at: Any) -> None:
        """``UPDATE table SET column = value, updated_at = updated_at WHERE id = row id`` for
        ``(row id, value)`` pairs: one statement on PostgreSQL (arrays unnested; a round trip per
        row cost more than the update), one executemany on SQLite."""
        if not values:
            return
        if self.postgres:
            sql = (f"UPDATE {table} t SET {column} = v.value, updated_at = %s FROM (SELECT unnest(%s::bigint[]) AS id, "
                   f"unnest(%s::bigint[]) AS value) v WHERE t.id = v.id")
            self.conn.exec_driver_sql(sql, (updated_at, [rid for rid, _ in values], [value for _, value in values]))
        else:
            self.conn.exec_driver_sql(f"UPDATE {table} SET {column} = ?, updated_at = ? WHERE id = ?",
                                      [(value, updated_at, rid) for rid, value in values])

    def ids_by_key(self, table: str, keys: Sequence[str]) -> dict[str, int]:
        """``{key: id}`` of the rows of ``table`` with these keys (SQL written out: compiling an
        expanding ``IN`` of 5,000 parameters per batch cost more than running it)."""
        if not keys:
            return {}
        if self.postgres:
            result = self.conn.exec_driver_sql(f'SELECT "key", id FROM {table} WHERE "key" = ANY(%s)', (list(keys),))
        else:
            marks = ",".join("?" * len(keys))
            result = self.conn.exec_driver_sql(f'SELECT "key", id FROM {table} WHERE "key" IN ({marks})', tuple(keys))
        return dict(result.all())

    def statement_claims(self, keys: Sequence[str]) -> dict[str, tuple[int, int]]:
        """``{key: (id, claim id)}`` of the statements with these keys."""
        return {key: (rid, claim) for key, rid, claim in self._by_key("statements", "id, claim_id", keys)}

    def verdicts_by_key(self, keys: Sequence[str]) -> dict[str, tuple[int, int, int | None]]:
        """``{key: (id, claim id, statement id)}`` of the verdicts with these keys."""
        return {key: tuple(rest) for key, *rest in self._by_key("verdicts", "id, claim_id, statement_id", keys)}

    def _by_key(self, table: str, columns: str, keys: Sequence[str]) -> list[Any]:
        rows: list[Any] = []
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 5000):
            chunk = unique[start : start + 5000]
            if self.postgres:
                sql = f'SELECT "key", {columns} FROM {table} WHERE "key" = ANY(%s)'
                rows.extend(self.conn.exec_driver_sql(sql, (chunk,)).all())
            else:
                marks = ",".join("?" * len(chunk))
                sql = f'SELECT "key", {columns} FROM {table} WHERE "key" IN ({marks})'
                rows.extend(self.conn.exec_driver_sql(sql, tuple(chunk)).all())
        return rows

    def analyze(self) -> None:
        """PostgreSQL: ``ANALYZE`` the tables of :data:`ANALYZED` the role may analyze (their
        owner's members; another role's ANALYZE would only warn), in the import's transaction:
        its own new rows are counted, and the queries at the end are planned for them. Takes
        no lock that readers or writers wait for (SHARE UPDATE EXCLUSIVE). SQLite: nothing."""
        if not self.postgres:
            return
        owned = self.conn.exec_driver_sql(
            "SELECT c.relname FROM pg_class c WHERE c.oid = ANY(%s::regclass[]) "
            "AND (pg_has_role(c.relowner, 'USAGE') OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user))",
            (list(ANALYZED),),
        ).scalars().all()
        for table in ANALYZED:
            if table in owned:
                self.conn.exec_driver_sql(f"ANALYZE {table}")

    # --- indexes ----------------------------------------------------------------------------

    def defer_indexes(self) -> bool:
        """Drop the secondary indexes of empty bulk tables (built again by :meth:`build_indexes`);
        return whether ``statements`` was empty."""
        empty = {}
        for table in INDEXED_LATER:
            empty[table] = self.conn.exec_driver_sql(f"SELECT 1 FROM {table} LIMIT 1").first() is None
            # PostgreSQL: DROP INDEX takes an ACCESS EXCLUSIVE lock that would stop every reader
            # of the team database until the import commits; its indexes stay (MVCC readers
            # never wait for the import, writers only for rows it locked)
            if not empty[table] or self.postgres:
                continue
            for index in sorted(self.tables[table].indexes, key=lambda i: str(i.name)):
                if not index.unique:
                    index.drop(self.conn)
                    self.dropped.append(index)
        return empty["statements"]

    def build_indexes(self) -> None:
        """Build the dropped indexes again."""
        for index in self.dropped:
            index.create(self.conn)
        self.dropped.clear()

    def close(self) -> None:
        """Build the dropped indexes again; restore the page cache size."""
        self.build_indexes()
        self.restore_cache()

    def restore_cache(self) -> None:
        """The connection's own page cache size again: the end passes (recounts, copies,
        sourcing flags) read rather than write, and each of their sorts takes about as much
        memory as the cache is large (see :data:`SQLITE_IMPORT_CACHE_KIB`)."""
        if self._cache_before is not None:
            self.conn.exec_driver_sql(f"PRAGMA cache_size={self._cache_before}")
            self._cache_before = None
