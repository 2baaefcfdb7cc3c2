"""Test databases, fast: one migration per backend and test session, then per test a copy
(SQLite) or an emptied, reused schema (PostgreSQL); datasets built once and restored.

Migrating takes 0.4-1.3 s on PostgreSQL, far more than most tests. So:

- SQLite: one migrated file per session (``template``), copied for every test.
- PostgreSQL: migrated schemas are kept in a pool. A test takes a free one (a new one is
  migrated only when none is free: a test that wants two databases holds two). When it ends,
  the schema's catalog (tables, columns, constraints, indexes, triggers, functions, sequences)
  and its Alembic revision are compared with how they were right after the migration: the
  same, the schema is emptied (``DELETE`` of every table, sequences restarted) and goes back to
  the pool; changed (a downgrade, a dropped table), it is dropped. A test that migrates needs
  nothing special; it costs a fresh migration for the next test.
- Datasets (``keep`` and ``restore``; the ``dataset`` fixture in conftest.py): built by the
  first test that asks, in its own database, then kept (SQLite: a copy of the file;
  PostgreSQL: a schema ``d_...`` of plain copies of its tables, and the sequence values) and
  restored into the database of every later test that asks.

Limits: foreign keys between data tables must not form a cycle (they are emptied and filled
in their order), and a restore copies every column (a generated column would need leaving out).
"""

from __future__ import annotations

import copy
import graphlib
import shutil
import sqlite3
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy

from factdb.db import create_engine, sqlite_path
from factdb.migrate import migrate

__all__ = ["PostgresSchemas", "SqliteDatabases", "schema_of", "with_search_path"]

# How long resetting a schema waits for a lock a test left behind before calling it a failure.
LOCK_TIMEOUT = "10s"


def with_search_path(url: str, schema: str) -> str:
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema}"


def schema_of(url: str) -> str:
    return url.rsplit("search_path%3D", 1)[1].split("%20", 1)[0].split("&", 1)[0]


# --- SQLite -----------------------------------------------------------------------------------


class SqliteDatabases:
    """One migrated file per session; every test database is a copy of it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.template = folder / "template.sqlite3"
        engine = create_engine(f"sqlite:///{self.template}")
        try:
            migrate(engine)
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            engine.dispose()
        self.datasets: dict[str, tuple[Path, Any]] = {}

    def new(self, folder: Path) -> str:
        path = folder / "factdb.sqlite3"
        shutil.copyfile(self.template, path)
        return f"sqlite:///{path}"

    def keep(self, key: str, url: str, value: Any) -> None:
        """Remember the database at ``url`` as dataset ``key`` (its builder's ``value`` too)."""
        kept = self.folder / f"dataset-{len(self.datasets)}.sqlite3"
        _sqlite_copy(_path(url), kept)
        self.datasets[key] = (kept, value)

    def restore(self, key: str, url: str) -> Any:
        kept, value = self.datasets[key]
        target = _path(url)
        if any(target.with_name(target.name + suffix).exists() for suffix in ("-wal", "-shm")):
            _sqlite_copy(kept, target)  # someone has it open: through SQLite
        else:
            shutil.copyfile(kept, target)  # nobody has: a plain copy, several times faster
        return copy.deepcopy(value)


def _path(url: str) -> Path:
    path = sqlite_path(url)
    assert path is not None, url
    return path


def _sqlite_copy(source: Path, target: Path) -> None:
    """The whole database, WAL included, through SQLite's backup API (safe while either has
    open connections); once the last connection closes, ``target`` is one file again."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


# --- PostgreSQL -------------------------------------------------------------------------------

# Everything a test could change in a schema besides its rows, as one digest: its tables and
# sequences as they were after the migration, by OID (a table dropped and created again has
# a new one), their columns and defaults; the definitions of their indexes, triggers
# (enabled or not) and constraints, and of the functions in the schema; the names of all the
# schema's objects (a new table). By definition, not OID, for what a large import drops and
# restores (triggers, indexes). Index lookups only: the catalogs of a server that has seen
# thousands of test schemas come and go are large, and a scan of pg_class can take 20 ms.
_CATALOG = """
SELECT md5(coalesce(string_agg(item, ',' ORDER BY item), '')) FROM (
  SELECT format('r %s %s %s %s %s', oid, relname, relkind, relnatts, relfilenode) FROM pg_class
    WHERE oid = ANY(CAST(:rels AS oid[]))
  UNION ALL
  SELECT format('a %s %s %s %s %s %s', attrelid, attnum, attname, atttypid, atttypmod, attnotnull) FROM pg_attribute
    WHERE attrelid = ANY(CAST(:rels AS oid[])) AND attnum > 0 AND NOT attisdropped
  UNION ALL
  SELECT format('d %s %s %s', adrelid, adnum, md5(adbin::text)) FROM pg_attrdef
    WHERE adrelid = ANY(CAST(:rels AS oid[]))
  UNION ALL
  SELECT format('i %s', pg_get_indexdef(indexrelid)) FROM pg_index WHERE indrelid = ANY(CAST(:rels AS oid[]))
  UNION ALL
  SELECT format('t %s %s', tgenabled, pg_get_triggerdef(oid)) FROM pg_trigger WHERE tgrelid = ANY(CAST(:rels AS oid[]))
  UNION ALL
  SELECT format('c %s %s %s', conrelid, conname, pg_get_constraintdef(oid)) FROM pg_constraint
    WHERE conrelid = ANY(CAST(:rels AS oid[]))
  UNION ALL
  SELECT format('n %s %s %s', d.classid, coalesce(c.relname, p.proname, d.objid::text), md5(p.prosrc))
    FROM pg_depend d
    LEFT JOIN pg_class c ON d.classid = CAST('pg_class' AS regclass) AND c.oid = d.objid
    LEFT JOIN pg_proc p ON d.classid = CAST('pg_proc' AS regclass) AND p.oid = d.objid
    WHERE d.refclassid = CAST('pg_namespace' AS regclass) AND d.refobjid = :ns
) AS parts(item)
"""
_NAMESPACE = sqlalchemy.text("SELECT oid FROM pg_namespace WHERE nspname = :s")
_RELATIONS = "SELECT relname, oid, relkind FROM pg_class WHERE relnamespace = :ns"
_COLUMNS = """
SELECT table_name, column_name FROM information_schema.columns
WHERE table_schema = :s AND is_generated = 'NEVER' ORDER BY table_name, ordinal_position
"""
_SEQUENCES = """
SELECT c.relname, s.seqstart FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
WHERE c.relnamespace = :ns ORDER BY 1
"""
_FOREIGN_KEYS = """
SELECT c.relname, r.relname FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid
WHERE k.contype = 'f' AND k.connamespace = :ns
"""
_TRIGGERS = """
SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE c.relnamespace = :ns AND NOT t.tgisinternal AND t.tgenabled = 'O'
"""


@dataclass
class _Layout:
    """A migrated schema as it was right after its migration: its data tables in foreign-key
    order (parents first), its sequences, its enabled user triggers, the objects
    :data:`_CATALOG` looks at, and that digest and the Alembic revision."""

    tables: list[str]
    sequences: dict[str, int]  # name -> start value
    triggers: list[tuple[str, str]]
    objects: dict[str, Any]
    # table -> its columns that take a value (generated columns, e.g. a tsvector, compute theirs)
    columns: dict[str, str] = field(default_factory=dict)
    catalog: str = ""
    revision: str = ""


@dataclass
class _Dataset:
    schema: str  # plain copies of the data tables
    sequences: dict[str, int | None]  # last values (None: never used)
    value: Any


class PostgresSchemas:
    """Migrated schemas on the test server, reused from test to test (see the module doc)."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url
        self.admin = sqlalchemy.create_engine(base_url, pool_size=1)
        self.free: list[str] = []
        self.layouts: dict[str, _Layout] = {}
        self.datasets: dict[str, _Dataset] = {}
        self.abandoned: list[str] = []  # could not be emptied: dropped at the end of the session
        self.migrations = 0

    def check_reachable(self) -> None:
        with self.admin.begin() as conn:
            conn.exec_driver_sql("SELECT 1")

    def acquire(self) -> str:
        """The URL of an empty schema at the newest revision, the test's alone until released."""
        schema = self.free.pop() if self.free else self._create()
        return with_search_path(self.base, schema)

    def release(self, url: str) -> None:
        """Empty the schema and keep it, or drop it when the test changed more than rows."""
        schema = schema_of(url)
        layout = self.layouts.pop(schema)
        try:
            with self.admin.begin() as conn:
                conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
                if self._fingerprint(conn, schema, layout) != (layout.catalog, layout.revision):
                    conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
                    return
                self._empty(conn, schema, layout)
        except sqlalchemy.exc.OperationalError as error:
            self.abandoned.append(schema)
            raise RuntimeError(
                f"could not empty or drop test schema {schema} after the test: {error.orig} "
                "(did the test leave a transaction open?)"
            ) from None
        self.layouts[schema] = layout
        self.free.append(schema)

    def keep(self, key: str, url: str, value: Any) -> None:
        """Copy every data table of the schema at ``url`` into a schema of plain tables, and
        its sequences' values: dataset ``key``."""
        schema, kept = schema_of(url), "d_" + uuid.uuid4().hex[:12]
        layout = self.layouts[schema]
        with self.admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{kept}"')
            for table in layout.tables:
                conn.exec_driver_sql(f'CREATE TABLE "{kept}"."{table}" AS SELECT * FROM "{schema}"."{table}"')
            sequences = {
                name: conn.exec_driver_sql(
                    f'SELECT CASE WHEN is_called THEN last_value END FROM "{schema}"."{name}"'
                ).scalar_one()
                for name in layout.sequences
            }
        self.datasets[key] = _Dataset(kept, sequences, value)

    def restore(self, key: str, url: str) -> Any:
        """Replace the rows of the schema at ``url`` with dataset ``key``; its sequences go on
        from where the dataset's were. User triggers (claim counts) are off while the rows go
        in: the copied rows already hold what they computed."""
        dataset, schema = self.datasets[key], schema_of(url)
        layout = self.layouts[schema]
        triggers = layout.triggers
        statements = [f'ALTER TABLE "{schema}"."{table}" DISABLE TRIGGER "{trigger}"' for table, trigger in triggers]
        statements += [
            f'INSERT INTO "{schema}"."{table}" ({columns}) OVERRIDING SYSTEM VALUE '
            f'SELECT {columns} FROM "{dataset.schema}"."{table}"'
            for table in layout.tables
            for columns in [layout.columns[table]]
        ]
        statements += [f'ALTER TABLE "{schema}"."{table}" ENABLE TRIGGER "{trigger}"' for table, trigger in triggers]
        statements += [
            f"SELECT setval('\"{schema}\".\"{name}\"', {start if value is None else value}, {value is not None})"
            for name, start in layout.sequences.items()
            for value in [dataset.sequences[name]]
        ]
        with self.admin.begin() as conn:
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            self._empty(conn, schema, layout)
            _run_script(conn, statements)
        return copy.deepcopy(dataset.value)

    def close(self) -> None:
        for schema in [*self.layouts, *self.abandoned, *(d.schema for d in self.datasets.values())]:
            try:
                with self.admin.begin() as conn:
                    conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
                    conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            except sqlalchemy.exc.OperationalError:
                pass  # still locked by a stray connection: left behind, named t_/d_ + 12 hex digits
        self.admin.dispose()

    # --- inside -------------------------------------------------------------------------------

    def _create(self) -> str:
        schema = "t_" + uuid.uuid4().hex[:12]
        with self.admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        engine = create_engine(with_search_path(self.base, schema))
        try:
            migrate(engine)
        finally:
            engine.dispose()
        self.migrations += 1
        with self.admin.begin() as conn:
            where = {"ns": conn.execute(_NAMESPACE, {"s": schema}).scalar_one()}
            relations = conn.execute(sqlalchemy.text(_RELATIONS), where).all()
            tables = {name: oid for name, oid, kind in relations if kind in ("r", "p")}
            graph: dict[str, set[str]] = {name: set() for name in tables if name != "alembic_version"}
            for child, parent in conn.execute(sqlalchemy.text(_FOREIGN_KEYS), where):
                if child != parent and child in graph and parent in graph:
                    graph[child].add(parent)
            layout = _Layout(
                tables=list(graphlib.TopologicalSorter(graph).static_order()),
                sequences=dict(conn.execute(sqlalchemy.text(_SEQUENCES), where).all()),
                triggers=[(table, trigger) for table, trigger in conn.execute(sqlalchemy.text(_TRIGGERS), where)],
                objects={**where, "rels": [oid for _name, oid, kind in relations if kind in ("r", "p", "S")]},
            )
            columns: dict[str, list[str]] = {}
            for table, column in conn.execute(sqlalchemy.text(_COLUMNS), {"s": schema}):
                columns.setdefault(table, []).append(f'"{column}"')
            layout.columns = {table: ", ".join(names) for table, names in columns.items()}
            layout.catalog, layout.revision = self._fingerprint(conn, schema, layout)
        self.layouts[schema] = layout
        return schema

    @staticmethod
    def _fingerprint(conn: sqlalchemy.Connection, schema: str, layout: _Layout) -> tuple[str, str]:
        """The catalog digest and the Alembic revision of the schema (none once the digest differs)."""
        catalog = conn.execute(sqlalchemy.text(_CATALOG), layout.objects).scalar_one()
        if layout.catalog and catalog != layout.catalog:
            return catalog, ""  # changed; alembic_version may be gone with the rest
        versions = conn.exec_driver_sql(f'SELECT version_num FROM "{schema}".alembic_version').scalars().all()
        return catalog, ",".join(sorted(versions))

    @staticmethod
    def _empty(conn: sqlalchemy.Connection, schema: str, layout: _Layout) -> None:
        """Every row deleted, children first, with the user triggers off (a claim-count
        update per deleted statement would make emptying a big import take seconds);
        sequences back to their start (``RESTART IDENTITY``). ``DELETE`` rather than
        ``TRUNCATE``: ten times faster on tables this small."""
        triggers = layout.triggers
        # the application's search path: trigger functions name the tables unqualified
        statements = [f'SET LOCAL search_path TO "{schema}"']
        statements += [f'ALTER TABLE "{schema}"."{table}" DISABLE TRIGGER "{trigger}"' for table, trigger in triggers]
        statements += [f'DELETE FROM "{schema}"."{table}"' for table in reversed(layout.tables)]
        statements += [f'ALTER TABLE "{schema}"."{table}" ENABLE TRIGGER "{trigger}"' for table, trigger in triggers]
        statements += [
            f"SELECT setval('\"{schema}\".\"{name}\"', {start}, false)" for name, start in layout.sequences.items()
        ]
        _run_script(conn, statements)


def _run_script(conn: sqlalchemy.Connection, statements: list[str]) -> None:
    """Statements without parameters, in one round trip (the driver's simple query protocol)."""
    with conn.connection.driver_connection.cursor() as cursor:
        cursor.execute(";\n".join(statements))


