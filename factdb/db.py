"""Engine setup: URL resolution, SQLite pragmas, schema checks, row counts.

Database selection (DESIGN.md): an explicit URL or file path, else ``FACTDB_DATABASE_URL``,
else an SQLite file in the user data directory (the CLI supplies that default path).

This is the path ``factdb info`` takes, so SQLAlchemy is imported inside the functions that
need it and the ORM never is (bench/startup.py, tests/test_foundation.py). Sessions live in
:mod:`factdb.sessions`, migrations in :mod:`factdb.migrate`; both import at the top.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factdb.errors import DatabaseNotReady, InvalidInput
from factdb.resources import resource_dir

if TYPE_CHECKING:  # SQLAlchemy is imported where it is used: this is the path of `factdb info`
    from sqlalchemy.engine import Connection, Engine

__all__ = [
    "ENV_VAR",
    "resolve_url",
    "display_url",
    "mask_secrets",
    "create_engine",
    "connect",
    "schema_head",
    "current_revision",
    "require_current_schema",
    "row_counts",
    "MIGRATING",
]

# Connection.info key set while the revisions run (migrations/env.py): code a revision calls
# may then meet a table as an older revision left it (the joint speakers' columns of revision
# 0063, read by factdb.reports.common when revisions 0061 and 0062 store sourcing flags)
MIGRATING = "factdb.migrating"

ENV_VAR = "FACTDB_DATABASE_URL"
SQLITE_BUSY_TIMEOUT_MS = 30_000  # FACTDB_SQLITE_BUSY_TIMEOUT_MS overrides it (tests of a locked database)
_URL_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*://")


def resolve_url(explicit: str | None, environ: Mapping[str, str], default_path: Path) -> str:
    """The database URL to use: ``--db`` > ``FACTDB_DATABASE_URL`` > the default SQLite file.

    A plain file path becomes an ``sqlite:///`` URL with an absolute path.
    """
    chosen = explicit or environ.get(ENV_VAR) or str(default_path)
    if _URL_SCHEME.match(chosen):
        if chosen.startswith("postgresql://") or chosen.startswith("postgres://"):
            # psycopg 3 is the driver we ship an extra for; spare users the "+psycopg".
            chosen = "postgresql+psycopg://" + chosen.split("://", 1)[1]
        return _encoded_user_part(chosen)
    return "sqlite:///" + str(Path(chosen).expanduser().resolve())


def display_url(url: str) -> str:
    """The URL with any password masked, for ``factdb info``, error messages and history: the
    password of the user part (also with no user name, ``postgresql://:PW@host/db``, and with an
    unencoded ``@`` in it) and a ``password=`` query parameter. The one masking function
    (:func:`mask_secrets` applies it to every URL in a text)."""
    match = _URL_SCHEME.match(url)
    if match is None:
        return _QUERY_SECRET.sub(r"\1***", url)
    head, question, query = url[match.end() :].partition("?")
    at = head.rfind("@")  # the last @ ends the user part: an unencoded @ belongs to the password
    if at >= 0:
        user, colon, _password = head[:at].partition(":")
        head = (user + ":***" if colon else user) + head[at:]
    return match.group() + head + question + _QUERY_SECRET.sub(r"\1***", query)


_QUERY_SECRET = re.compile(r"(?i)((?:^|[&;\s])(?:password|sslpassword|passwd|pwd)\s*=\s*)('[^']*'|[^&;\s]*)")
_URL_IN_TEXT = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s'\"<>()]+")


def mask_secrets(text: str) -> str:
    """``text`` with every URL's password masked (:func:`display_url`), and libpq's
    ``password=...`` outside URLs too: for messages and the command recorded in history."""
    return _QUERY_SECRET.sub(r"\1***", _URL_IN_TEXT.sub(lambda m: display_url(m.group()), text))


def _encoded_user_part(url: str) -> str:
    """An unencoded ``@`` in the password percent-encoded, so that the driver connects with
    the whole password (SQLAlchemy would read the rest of it as the host name, and show it)."""
    match = _URL_SCHEME.match(url)
    assert match is not None
    head, question, query = url[match.end() :].partition("?")
    at = head.rfind("@")
    if at < 0 or "@" not in head[:at]:
        return url
    return match.group() + head[:at].replace("@", "%40") + head[at:] + question + query


def sqlite_path(url: str) -> Path | None:
    """The file of an ``sqlite:///`` URL, or None for other backends and in-memory databases."""
    if not url.startswith("sqlite"):
        return None
    path = url.split(":///", 1)[1] if ":///" in url else ""
    path = path.split("?", 1)[0]
    if not path or path == ":memory:":
        return None
    return Path(path)


def create_engine(url: str) -> Engine:
    """An engine with factdb's connection settings.

    SQLite: foreign keys enforced, WAL journal, a busy timeout, and transactions begun by us
    (``BEGIN``, or ``BEGIN IMMEDIATE`` for writes, so that concurrent writers queue on the
    busy timeout instead of failing with "database is locked" when a read turns into a write).
    """
    import sqlalchemy
    from sqlalchemy import event

    if url.startswith("sqlite"):
        busy_ms = int(os.environ.get("FACTDB_SQLITE_BUSY_TIMEOUT_MS") or SQLITE_BUSY_TIMEOUT_MS)
        path = sqlite_path(url)
        read_only = path is not None and read_only_mode(path)
        connect_args: dict[str, Any] = {"timeout": busy_ms / 1000}
        if read_only and path is not None:
            # a file (or directory) we cannot write: open it read-only, and immutable when
            # SQLite could not even make the -shm file WAL readers need; writes then fail
            # with "readonly database", which the CLI explains
            from urllib.parse import quote

            mode = "ro" if read_only == "ro" else "ro&immutable=1"
            connect_args["uri"] = True
            url = f"sqlite:///file:{quote(str(path))}?mode={mode}&uri=true"
        engine = sqlalchemy.create_engine(url, connect_args=connect_args)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
            if path is not None and not read_only:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Connection) -> None:
            if connection.get_execution_options().get("factdb_write", False):
                _begin_writing(connection, busy_ms)
            else:
                connection.exec_driver_sql("BEGIN")

        return engine
    try:
        return sqlalchemy.create_engine(url)
    except ModuleNotFoundError as error:  # the URL's driver is not installed
        if error.name == "psycopg":
            raise DatabaseNotReady(
                "PostgreSQL needs the psycopg driver: install the PostgreSQL extra: pip install 'factdb[postgres]'"
            ) from None
        raise DatabaseNotReady(
            f"The database driver {error.name} is not installed; for PostgreSQL use a postgresql:// URL "
            "with the PostgreSQL extra: pip install 'factdb[postgres]'"
        ) from None


def _begin_writing(connection: Connection, busy_ms: int) -> None:
    """``BEGIN IMMEDIATE`` on an SQLite file, waiting up to ``busy_ms`` for the write lock in
    turns that stay short. SQLite's own busy handler backs off to one try every 100 ms, so a
    writer that has waited long loses the lock, again and again, to writers that just arrived
    (eight busy writers starved one for more than 30 s): here every waiter tries every few
    milliseconds, with jitter, so each has the same chance whenever the lock is let go."""
    import random
    import sqlite3
    import time

    raw: Any = connection.connection.driver_connection
    deadline = time.monotonic() + busy_ms / 1000
    raw.execute("PRAGMA busy_timeout=0")
    try:
        while time.monotonic() < deadline:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
            time.sleep(random.uniform(0.001, 0.006))
        raw.execute("PRAGMA busy_timeout=1")
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # the lock is still held: the error the CLI explains
    finally:
        raw.execute(f"PRAGMA busy_timeout={busy_ms}")


def read_only_mode(path: Path) -> str | None:
    """None for a database file factdb may write; ``"ro"`` when the file cannot be written
    but SQLite can keep its -shm beside it; ``"immutable"`` when not even that."""
    if not path.exists() or os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        return None
    shm = Path(f"{path}-shm")
    can_share = os.access(shm, os.W_OK) if shm.exists() else os.access(path.parent, os.W_OK)
    return "ro" if can_share else "immutable"


def connect(url: str, *, must_exist: bool = True) -> Engine:
    """An engine for ``url``; with ``must_exist``, refuse (without creating anything) when an
    SQLite file is missing."""
    path = sqlite_path(url)
    if url.startswith("postgres") and not _database_name(url):
        raise InvalidInput(
            f"{display_url(url)} names no database; add its name (postgresql://user@host/NAME), "
            "so that factdb never writes into the server's default database."
        )
    if must_exist and path is not None and not path.exists():
        raise DatabaseNotReady(f"No factdb database at {path}. Run `factdb init` to create it.")
    if path is not None and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    return create_engine(url)


def _database_name(url: str) -> str | None:
    from sqlalchemy.engine import make_url

    return make_url(url).database


# --- schema revision ------------------------------------------------------------------------

_REVISION = re.compile(r"^revision\s*(?::\s*str\s*)?=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]+)?=\s*(?:['\"]([^'\"]+)['\"]|None)", re.M)


@functools.cache
def _revision_graph() -> tuple[frozenset[str], frozenset[str]]:
    """(every revision, every revision some other one revises), read from the files of
    ``migrations/versions`` without importing Alembic (it keeps ``factdb info`` quick); read
    once per process (the files ship with the code)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (resource_dir("migrations") / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        rev, down = _REVISION.search(text), _DOWN.search(text)
        if rev:
            revisions.add(rev.group(1))
        if down and down.group(1):
            parents.add(down.group(1))
    return frozenset(revisions), frozenset(parents)


def schema_head() -> str:
    """The newest revision in ``migrations/versions``."""
    revisions, parents = _revision_graph()
    heads = sorted(revisions - parents)
    if len(heads) != 1:
        raise RuntimeError(f"migrations/versions must have exactly one head, found {heads}")
    return heads[0]


def newer_schema_message(where: str, revision: str) -> str:
    """What to say about a database stamped with a revision this code does not know."""
    return (
        f"{where} is at schema revision {revision}, newer than this factdb knows (its newest is {schema_head()}); "
        "upgrade factdb (pip install -U factdb) to use it. Nothing was changed."
    )


def current_revision(engine: Engine) -> str | None:
    """The revision stamped in the database, or None when it has no factdb schema."""
    from sqlalchemy import exc, inspect, text

    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except exc.DatabaseError as error:
        raise _not_a_database(engine, error) from None


def require_current_schema(engine: Engine) -> None:
    """Refuse to work on a database without the newest schema: never create tables silently."""
    revision = current_revision(engine)
    where = display_url(engine.url.render_as_string(hide_password=False))
    if revision is None:
        raise DatabaseNotReady(f"{where} has no factdb schema. Run `factdb init` to create it.")
    head = schema_head()
    if revision not in _revision_graph()[0]:
        raise DatabaseNotReady(newer_schema_message(where, revision))
    if revision != head:
        raise DatabaseNotReady(
            f"{where} is at schema revision {revision}; this factdb needs {head}. Run `factdb init` to upgrade."
        )


def _not_a_database(engine: Engine, error: Exception) -> DatabaseNotReady:
    where = display_url(engine.url.render_as_string(hide_password=False))
    detail = str(getattr(error, "orig", error)).strip().splitlines()[0]
    return DatabaseNotReady(f"Cannot open {where} as a factdb database: {detail}")


# Tables that are not factdb's own data: Alembic's bookkeeping and full-text index internals.
_NOT_DATA_PREFIXES = ("alembic_", "statements_fts", "claims_fts", "search_fts", "sqlite_")


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows per factdb table, by table name.

    Uses SQLAlchemy Core and reflection only, not the ORM models: ``factdb info`` stays within
    its start-up budget (bench/startup.py).
    """
    from sqlalchemy import inspect, text

    with engine.connect() as conn:
        names = sorted(n for n in inspect(conn).get_table_names() if not n.startswith(_NOT_DATA_PREFIXES))
        preparer = conn.dialect.identifier_preparer
        return {
            name: conn.execute(text(f"SELECT count(*) FROM {preparer.quote(name)}")).scalar_one() for name in names
        }

