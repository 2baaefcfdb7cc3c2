"""Shared fixtures: an empty, migrated database per test, on SQLite and on PostgreSQL.

How a test gets its database:

- ``db_url`` (or ``engine``, ``invoke``, ``counts`` on top of it): an empty database at the
  newest schema, the test's alone, once per backend. SQLite: a copy of one migrated file.
  PostgreSQL: a migrated schema from a pool, emptied after the test; a test that changes the
  schema itself (downgrade, drop a table) just does so: the schema is then dropped, not reused.
- ``dataset(build)``: fill this test's database with what ``build(url)`` writes, built once
  per backend and session and restored for every later test (returns ``build``'s value).
  For read-mostly fixtures that cost more than a few milliseconds: seeds, stories, sessions.
  ``replayed_session`` is that for the seed-000 CLI session (tests/daily_session.py).
- ``make_database(backend, folder, sqlite_template)``: another empty database on the same
  backend (``yield from`` it in a fixture).

PostgreSQL is found through ``FACTDB_TEST_POSTGRES_URL`` (e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/test``). Unset, those cases are skipped with a
visible reason, unless ``FACTDB_REQUIRE_POSTGRES=1`` (``.ci/run`` sets it): then a missing
server, or a run in which no PostgreSQL test ran, is a failure.

Tests marked ``slow`` (SIGKILL, concurrency, long property runs) are skipped, with that reason,
unless ``FACTDB_TEST_SLOW=1`` (``.ci/run`` sets it).
"""

from __future__ import annotations

import copy
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from databases import PostgresSchemas, SqliteDatabases

from factdb.cli import cli
from factdb.db import create_engine, row_counts

PG_ENV = "FACTDB_TEST_POSTGRES_URL"
REQUIRE_PG = os.environ.get("FACTDB_REQUIRE_POSTGRES") == "1"
RUN_SLOW = os.environ.get("FACTDB_TEST_SLOW") == "1"
# Text output is as wide as COLUMNS says (factdb.render.output_width): the caller's terminal
# must not decide what the tests see, so it is unset here and a test that wants a width passes
# env={"COLUMNS": "80"} (the CI's shell once had a wide COLUMNS and two tests failed).
os.environ.pop("COLUMNS", None)
BACKENDS = ["sqlite", "postgresql"]
# ../shared beside the repository (DEVELOPERS.md layout), or wherever FACTDB_SHARED_DIR points.
SHARED = Path(os.environ.get("FACTDB_SHARED_DIR") or Path(__file__).resolve().parent.parent.parent / "shared")
ON_POSTGRES = ("factdb_backend", "postgresql")  # in a report's user_properties: the test ran on PostgreSQL

_ran_on_postgres = 0
_sqlite: SqliteDatabases | None = None
_postgres: PostgresSchemas | None = None


def postgres_base_url() -> str | None:
    url = os.environ.get(PG_ENV)
    if not url:
        if REQUIRE_PG:
            pytest.fail(f"{PG_ENV} is not set but FACTDB_REQUIRE_POSTGRES=1", pytrace=False)
        pytest.skip(f"PostgreSQL half skipped: set {PG_ENV} to run it")
    return url


def postgres() -> PostgresSchemas:
    """This session's pool of migrated PostgreSQL schemas (skips or fails when there is no server)."""
    global _postgres
    if _postgres is None:
        import sqlalchemy

        base = postgres_base_url()
        pool = PostgresSchemas(base)
        try:
            pool.check_reachable()
        except sqlalchemy.exc.OperationalError as error:
            pool.admin.dispose()
            if REQUIRE_PG:
                pytest.fail(f"PostgreSQL at {base} is not reachable: {error.orig}", pytrace=False)
            pytest.skip(f"PostgreSQL half skipped: {base} is not reachable")
        _postgres = pool
    return _postgres


@pytest.fixture(scope="session")
def sqlite_databases(tmp_path_factory: pytest.TempPathFactory) -> SqliteDatabases:
    """One migrated SQLite file per test session, copied for each test (migrating is slow)."""
    global _sqlite
    _sqlite = SqliteDatabases(tmp_path_factory.mktemp("template"))
    return _sqlite


@pytest.fixture(scope="session")
def sqlite_template(sqlite_databases: SqliteDatabases) -> Path:
    """The migrated SQLite file itself: copy it, never write to it."""
    return sqlite_databases.template


def make_database(backend: str, folder: Path, template: Path) -> Iterator[str]:
    """An empty database at the newest schema; ``folder`` holds it on SQLite (``template`` is
    the ``sqlite_template`` fixture)."""
    if backend == "sqlite":
        path = folder / "factdb.sqlite3"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    pool = postgres()
    url = pool.acquire()
    try:
        yield url
    finally:
        pool.release(url)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """The URL of an empty database at the newest schema, on each backend."""
    if request.param == "postgresql":
        request.node.user_properties.append(ON_POSTGRES)
    yield from make_database(request.param, tmp_path, sqlite_template)


def _store(url: str) -> SqliteDatabases | PostgresSchemas:
    store = _sqlite if url.startswith("sqlite") else _postgres
    assert store is not None, url
    return store


@pytest.fixture
def dataset(db_url: str) -> Callable[..., Any]:
    """``dataset(build)``: this test's database filled with what ``build(db_url)`` writes.

    The first test (per backend) that asks runs ``build`` on its own database, which is then
    kept; every later one gets a copy of it (SQLite: the file; PostgreSQL: the rows, sequences
    included, so ids come out the same). Returns (a copy of) what ``build`` returned. Call it
    before the test writes anything. ``build`` is known by its module and name: a lambda or a
    nested function needs ``key=``, a name for what it builds.
    """

    def load(build: Callable[[str], Any], key: str | None = None) -> Any:
        if key is None:
            if "<" in build.__qualname__:
                raise TypeError(f"dataset({build.__qualname__}) needs key=: a lambda has no name to cache it by")
            key = f"{build.__module__}.{build.__qualname__}"
        store = _store(db_url)
        if key in store.datasets:
            return store.restore(key, db_url)
        value = build(db_url)
        store.keep(key, db_url, value)
        return copy.deepcopy(value)

    return load


def cli_invoker(url: str) -> Callable[..., Result]:
    """``invoke("entity", "list")`` against ``url`` (what the ``invoke`` fixture gives)."""
    runner = CliRunner()

    def _invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(cli, ["--db", url, *args], input=input, env=env, catch_exceptions=False)

    return _invoke


def _replay_session(url: str) -> None:
    from daily_session import replay

    replay(cli_invoker(url))


@pytest.fixture
def replayed_session(db_url: str, dataset: Callable[..., Any]) -> str:
    """``db_url`` holding the seed-000 session of tests/daily_session.py, as if replayed by this
    test through the CLI (built once per backend)."""
    dataset(_replay_session)
    return db_url


def seed(url: str) -> None:
    """``factdb seed`` into the database at ``url``."""
    result = cli_invoker(url)("seed")
    assert result.exit_code == 0, result.output


@pytest.fixture
def seeded_db(db_url: str, dataset: Callable[..., Any]) -> str:
    """``db_url`` holding the seed dataset, as ``factdb seed`` writes it (built once per backend)."""
    dataset(seed)
    return db_url


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
    return cli_invoker(db_url)


@pytest.fixture
def shared_dir() -> Path:
    """``../shared`` beside the repository, when present (a user's clone has none)."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is not present (real third-party data is not shipped)")
    return SHARED


def pytest_collection_modifyitems(config, items):
    if RUN_SLOW:
        return
    skip = pytest.mark.skip(reason="slow fault test: set FACTDB_TEST_SLOW=1 to run it (.ci/run does)")
    for item in items:
        if item.get_closest_marker("slow"):
            item.add_marker(skip)


def pytest_runtest_logreport(report):
    """Count the tests that ran on PostgreSQL (with pytest-xdist: reported by the workers)."""
    global _ran_on_postgres
    if report.when == "call" and ON_POSTGRES in report.user_properties:
        _ran_on_postgres += 1


def _is_xdist_worker(config) -> bool:
    return hasattr(config, "workerinput")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if REQUIRE_PG and _ran_on_postgres == 0 and config.option.collectonly is False:
        terminalreporter.write_line("FACTDB_REQUIRE_POSTGRES=1 but no test ran on PostgreSQL", red=True)


def pytest_sessionfinish(session, exitstatus):
    global _postgres
    if _postgres is not None:
        _postgres.close()
        _postgres = None
    if _is_xdist_worker(session.config):
        return
    if REQUIRE_PG and _ran_on_postgres == 0 and exitstatus == 0 and session.testscollected:
        session.exitstatus = 1
