"""Engine and session setup: URL resolution, SQLite pragmas, schema checks, migrations.

Database selection (DESIGN.md): an explicit URL or file path, else ``FACTDB_DATABASE_URL``,
else an SQLite file in the user data directory (the CLI supplies that default path).
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from factdb.errors import DatabaseNotReady
from factdb.resources import resource_dir

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

__all__ = [
    "ENV_VAR",
    "resolve_url",
    "display_url",
    "create_engine",
    "connect",
    "schema_head",
    "current_revision",
    "require_current_schema",
    "migrate",
    "transaction",
    "read_session",
    "row_counts",
    "Actor",
]

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
        return chosen
    return "sqlite:///" + str(Path(chosen).expanduser().resolve())


def display_url(url: str) -> str:
    """The URL with any password masked, for ``factdb info`` and error messages."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


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
        engine = sqlalchemy.create_engine(url, connect_args={"timeout": busy_ms / 1000})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):  # noqa: ANN001
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
            if sqlite_path(url) is not None:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection):  # noqa: ANN001
            immediate = connection.get_execution_options().get("factdb_write", False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return sqlalchemy.create_engine(url)


def connect(url: str, *, must_exist: bool = True) -> Engine:
    """An engine for ``url``; with ``must_exist``, refuse (without creating anything) when an
    SQLite file is missing."""
    path = sqlite_path(url)
    if must_exist and path is not None and not path.exists():
        raise DatabaseNotReady(f"No factdb database at {path}. Run `factdb init` to create it.")
    if path is not None and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    return create_engine(url)


# --- schema revision ------------------------------------------------------------------------

_REVISION = re.compile(r"^revision\s*(?::\s*str\s*)?=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]+)?=\s*(?:['\"]([^'\"]+)['\"]|None)", re.M)


@functools.cache
def schema_head() -> str:
    """The newest revision in ``migrations/versions``, read from the files without importing
    Alembic (it keeps ``factdb info`` quick); read once per process (the files ship with the
    code, every command and test would read them again)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (resource_dir("migrations") / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        rev, down = _REVISION.search(text), _DOWN.search(text)
        if rev:
            revisions.add(rev.group(1))
        if down and down.group(1):
            parents.add(down.group(1))
    heads = sorted(revisions - parents)
    if len(heads) != 1:
        raise RuntimeError(f"migrations/versions must have exactly one head, found {heads}")
    return heads[0]


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
    if revision != head:
        raise DatabaseNotReady(
            f"{where} is at schema revision {revision}; this factdb needs {head}. Run `factdb init` to upgrade."
        )


def _not_a_database(engine: Engine, error: Exception) -> DatabaseNotReady:
    where = display_url(engine.url.render_as_string(hide_password=False))
    detail = str(getattr(error, "orig", error)).strip().splitlines()[0]
    return DatabaseNotReady(f"Cannot open {where} as a factdb database: {detail}")


def _alembic_config(connection):  # noqa: ANN001, ANN202
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resource_dir("migrations")))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Upgrade (or downgrade, for a revision older than the current one) in-process.

    Returns (revision before, revision after). No alembic.ini is needed.
    """
    from alembic import command

    before = current_revision(engine)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations rebuild a table (copy, drop, rename) and downgrades drop tables:
            # with foreign keys enforced the drop cascades into, or is refused by, the rows
            # that refer to it. Off for the migration (the pragma is ignored inside a
            # transaction, so it goes to the driver before BEGIN), checked before COMMIT.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                config = _alembic_config(connection)
                if revision == "base" or (before is not None and _is_older(revision, before)):
                    command.downgrade(config, revision)
                else:
                    command.upgrade(config, revision)
                if sqlite:
                    dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if dangling:
                        raise DatabaseNotReady(
                            f"Migration to {revision} would leave {len(dangling)} row(s) referring to missing rows "
                            f"(first: table {dangling[0][0]}, row {dangling[0][1]}); nothing was changed."
                        )
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
    return before, current_revision(engine) or "base"


def _is_older(target: str, current: str) -> bool:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(resource_dir("migrations")))
    return any(rev.revision == target for rev in script.iterate_revisions(current, "base")) and target != current


# --- sessions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """Who makes a change and with which command; recorded in history."""

    name: str
    command: str | None = None

    @classmethod
    def default(cls, command: str | None = None) -> Actor:
        import getpass

        try:
            name = getpass.getuser()
        except Exception:  # no user name in a container: still record something honest
            name = "unknown"
        return cls(name, command)


@contextlib.contextmanager
def transaction(engine: Engine, actor: Actor | None = None) -> Iterator[Session]:
    """One write transaction: everything inside commits together or not at all.

    The session records history for every ORM change (see :mod:`factdb.history`).
    """
    from sqlalchemy.orm import Session

    from factdb import history

    bind = engine.execution_options(factdb_write=True)
    session = Session(bind=bind, autoflush=True, expire_on_commit=False)
    session.info["actor"] = actor or Actor.default()
    history.track(session)
    try:
        with session.begin():
            yield session
    finally:
        session.close()


@contextlib.contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A read-only session (rolled back at the end)."""
    from sqlalchemy.orm import Session

    session = Session(bind=engine, autoflush=False)
    try:
        yield session
    finally:
        session.rollback()
        session.close()


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


def environ_url() -> str | None:
    return os.environ.get(ENV_VAR)
