"""Shared fixtures: an empty, migrated database per test, on SQLite and on PostgreSQL.

PostgreSQL is found through ``FACTDB_TEST_POSTGRES_URL`` (e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/test``). Each PostgreSQL test gets a schema
of its own, dropped afterwards. Unset, those cases are skipped with a visible reason, unless
``FACTDB_REQUIRE_POSTGRES=1`` (``.ci/run`` sets it), where a missing server is a failure.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from factdb.cli import cli
from factdb.db import create_engine, row_counts
from factdb.migrate import migrate

PG_ENV = "FACTDB_TEST_POSTGRES_URL"
REQUIRE_PG = os.environ.get("FACTDB_REQUIRE_POSTGRES") == "1"
BACKENDS = ["sqlite", "postgresql"]
# ../shared beside the repository (DEVELOPERS.md layout), or wherever FACTDB_SHARED_DIR points.
SHARED = Path(os.environ.get("FACTDB_SHARED_DIR") or Path(__file__).resolve().parent.parent.parent / "shared")

_ran_on_postgres = 0


def postgres_base_url() -> str | None:
    url = os.environ.get(PG_ENV)
    if not url:
        if REQUIRE_PG:
            pytest.fail(f"{PG_ENV} is not set but FACTDB_REQUIRE_POSTGRES=1", pytrace=False)
        pytest.skip(f"PostgreSQL half skipped: set {PG_ENV} to run it")
    return url


def _with_search_path(url: str, schema: str) -> str:
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file per test session, copied for each test (migrating is slow)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    migrate(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def make_database(backend: str, tmp_path: Path, template: Path) -> Iterator[str]:
    global _ran_on_postgres
    if backend == "sqlite":
        path = tmp_path / "factdb.sqlite3"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    base = postgres_base_url()
    import sqlalchemy

    schema = "t_" + uuid.uuid4().hex[:12]
    admin = sqlalchemy.create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    except sqlalchemy.exc.OperationalError as error:
        admin.dispose()
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL at {base} is not reachable: {error.orig}", pytrace=False)
        pytest.skip(f"PostgreSQL half skipped: {base} is not reachable")
    url = _with_search_path(base, schema)
    engine = create_engine(url)
    migrate(engine)
    engine.dispose()
    _ran_on_postgres += 1
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """The URL of an empty database at the newest schema, on each backend."""
    yield from make_database(request.param, tmp_path, sqlite_template)


@pytest.fixture
def engine(db_url: str):
    eng = create_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def counts(db_url: str) -> Callable[[], dict[str, int]]:
    """Row counts of every table, to compare before and after a refused write."""

    def _counts() -> dict[str, int]:
        eng = create_engine(db_url)
        try:
            return row_counts(eng)
        finally:
            eng.dispose()

    return _counts


@pytest.fixture
def invoke(db_url: str) -> Callable[..., Result]:
    """Run the CLI against the test database: ``invoke("entity", "list", "--format", "json")``."""
    runner = CliRunner()

    def _invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(cli, ["--db", db_url, *args], input=input, env=env, catch_exceptions=False)

    return _invoke


@pytest.fixture
def shared_dir() -> Path:
    """``../shared`` beside the repository, when present (a user's clone has none)."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is not present (real third-party data is not shipped)")
    return SHARED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if REQUIRE_PG and _ran_on_postgres == 0 and config.option.collectonly is False:
        terminalreporter.write_line("FACTDB_REQUIRE_POSTGRES=1 but no test ran on PostgreSQL", red=True)


def pytest_sessionfinish(session, exitstatus):
    if REQUIRE_PG and _ran_on_postgres == 0 and exitstatus == 0 and session.testscollected:
        session.exitstatus = 1
