"""A team on PostgreSQL: reader and editor roles, the database user in history, and imports
that take no lock a reader would wait for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy
from click.testing import CliRunner
from faults_bundles import write_big_bundle

import factdb
from factdb.cli import cli

ROOT = Path(factdb.__file__).resolve().parent.parent
NO_WRITE = "Error: your database role cannot write; ask for the editor role\n"


def _run(url: str, *args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, ["--db", url, *args], env=env, catch_exceptions=False)


def test_roles_setup_is_for_postgresql(db_url: str) -> None:
    if db_url.startswith("postgresql"):
        pytest.skip("the SQLite refusal; PostgreSQL is tested below")
    result = _run(db_url, "roles", "setup")
    assert result.exit_code == 1
    assert result.output == ("Error: roles setup: database roles are PostgreSQL's; an SQLite file has none "
                             "(use the file's permissions)\n")


@pytest.fixture
def team(db_url: str):
    """The seeded test schema, reader and editor group roles of its own, and one login role
    in each: ``{"owner", "reader", "editor"}`` URLs."""
    if not db_url.startswith("postgresql"):
        pytest.skip("database roles are PostgreSQL's")
    suffix = uuid.uuid4().hex[:8]
    reader_group, editor_group = f"t_reader_{suffix}", f"t_editor_{suffix}"
    alice, bob = f"t_alice_{suffix}", f"t_bob_{suffix}"
    assert _run(db_url, "seed").exit_code == 0
    setup = _run(db_url, "roles", "setup", "--reader", reader_group, "--editor", editor_group)
    assert setup.exit_code == 0, setup.output
    assert f"created: {reader_group}, {editor_group}." in setup.output
    admin = sqlalchemy.create_engine(db_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {alice} LOGIN IN ROLE {reader_group}")
        conn.exec_driver_sql(f"CREATE ROLE {bob} LOGIN IN ROLE {editor_group}")
    as_user = {name: db_url.replace("postgresql+psycopg://postgres@", f"postgresql+psycopg://{name}@")
               for name in (alice, bob)}
    yield {"owner": db_url, "reader": as_user[alice], "editor": as_user[bob], "alice": alice, "bob": bob,
           "groups": (reader_group, editor_group)}
    with admin.connect() as conn:
        for role in (alice, bob, reader_group, editor_group):
            conn.exec_driver_sql(f"DROP OWNED BY {role}")
            conn.exec_driver_sql(f"DROP ROLE {role}")
    admin.dispose()


READS = [
    ("report", "claim", "iran-arms-militias"),
    ("report", "entity", "Tehran"),
    ("report", "contested"),
    ("report", "sourcing", "--all"),
    ("report", "timeline", "--claim", "iran-arms-militias"),
    ("search", "weapons"),
    ("history", "iran-arms-militias"),
    ("history", "--entity", "Iran"),
    ("claim", "list"),
    ("claim", "show", "iran-arms-militias"),
    ("entity", "show", "Tehran"),
    ("statement", "list", "--claim", "iran-arms-militias"),
    ("source", "list"),
    ("check",),
    ("export", "--format", "jsonl"),
    ("info",),
]

WRITES = [
    ("entity", "add", "Ramona Quill", "--kind", "person"),
    ("entity", "alias", "add", "Iran", "the Iranian government"),
    ("claim", "add", "A new claim nobody made", "--key", "new-claim"),
    ("claim", "edit", "iran-arms-militias", "--tag", "new-tag"),
    ("attribute", "iran-arms-militias", "--speaker", "Tehran", "--stance", "denies", "--source",
     "afp-2011-07-10-us-forces-pursue"),
    ("seed",),
]


def _counts(url: str) -> dict:
    return json.loads(_run(url, "info", "--format", "json").stdout)["row_counts"]


def test_a_reader_runs_every_report_and_every_write_fails_in_one_line(team, tmp_path: Path) -> None:
    reader = team["reader"]
    for args in READS:
        result = _run(reader, *args)
        assert result.exit_code == 0 or (args == ("check",) and result.exit_code == 1), (args, result.output)
        assert "Error" not in result.stderr, (args, result.stderr)
    before = _counts(team["owner"])
    bundle = tmp_path / "more.jsonl"
    write_big_bundle(bundle, 30, prefix="r-")
    for args in [*WRITES, ("import", str(bundle))]:
        result = _run(reader, *args)
        assert (result.exit_code, result.stderr) == (1, NO_WRITE), args
    assert _counts(team["owner"]) == before


def test_the_editor_writes_and_history_names_the_database_user(team) -> None:
    editor = team["editor"]
    for args in WRITES:
        result = _run(editor, "--as", "desk editor", *args)
        assert result.exit_code == 0, (args, result.output)
    history = json.loads(_run(team["reader"], "history", "--entity", "Ramona Quill", "--format", "json").stdout)
    assert [(row["who"], row["db_user"], row["action"]) for row in history] == [
        ("desk editor", team["bob"], "insert"), ("desk editor", team["bob"], "insert")]
    table = _run(team["reader"], "history", "--entity", "Ramona Quill", "--format", "csv").stdout
    assert f"desk editor (database user {team['bob']})" in table
    # the owner's own changes: the database user, shown once when it is the --as name too
    assert _run(team["owner"], "--as", "postgres", "entity", "add", "Tomas Wren", "--kind", "person").exit_code == 0
    rows = json.loads(_run(team["owner"], "history", "--entity", "Tomas Wren", "--format", "json").stdout)
    assert {(row["who"], row["db_user"]) for row in rows} == {("postgres", "postgres")}
    assert "database user" not in _run(team["owner"], "history", "--entity", "Tomas Wren", "--format", "csv").stdout


def test_the_editor_cannot_forge_or_rewrite_history(team) -> None:
    engine = sqlalchemy.create_engine(team["editor"])
    forged = ("INSERT INTO history (occurred_at, actor, action, table_name, db_user) "
              "VALUES (now(), 'x', 'insert', 'claims', 'someone else')")
    for sql in (forged, "UPDATE history SET actor = 'nobody'", "DELETE FROM history"):
        with engine.connect() as conn, pytest.raises(sqlalchemy.exc.ProgrammingError, match="permission denied"):
            conn.exec_driver_sql(sql)
    with engine.begin() as conn:  # without db_user it goes in, and the database names the editor
        conn.exec_driver_sql("INSERT INTO history (occurred_at, actor, action, table_name) "
                             "VALUES (now(), 'x', 'insert', 'claims')")
        assert conn.exec_driver_sql("SELECT db_user FROM history ORDER BY id DESC LIMIT 1").scalar() == team["bob"]
    engine.dispose()


def test_grants_cover_the_tables_a_later_revision_adds(team) -> None:
    from factdb.db import create_engine
    from factdb.migrate import migrate

    engine = create_engine(team["owner"])
    migrate(engine, "0010")  # drops the search tables of revision 0011 ...
    migrate(engine, "head")  # ... which come back as new tables: the roles reach them again
    engine.dispose()
    assert _run(team["reader"], "search", "weapons").exit_code == 0
    result = _run(team["editor"], "attribute", "iran-arms-militias", "--speaker", "Tehran", "--stance", "denies",
                  "--source", "afp-2011-07-10-us-forces-pursue")
    assert result.exit_code == 0, result.output


def test_a_large_import_takes_no_lock_that_stops_readers(db_url: str, tmp_path: Path) -> None:
    """While a 20,000-statement import writes (PostgreSQL), its backend holds no ACCESS
    EXCLUSIVE lock, and a report run with a one-second lock timeout answers."""
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite readers never wait for a writer (WAL)")
    assert _run(db_url, "seed").exit_code == 0
    bundle = tmp_path / "big.jsonl"
    write_big_bundle(bundle, 20_000, prefix="big-")
    application = "factdb-import-" + uuid.uuid4().hex[:8]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "factdb", "--db", f"{db_url}&application_name={application}",
                                "import", str(bundle)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    watcher = sqlalchemy.create_engine(db_url)
    # a reader that gives up after one second of waiting for a lock
    impatient = db_url.replace("options=-csearch_path%3D", "options=-clock_timeout%3D1000%20-csearch_path%3D")
    assert impatient != db_url
    seen_writing, reports = 0, 0
    try:
        while process.poll() is None:
            with watcher.connect() as conn:
                locks = conn.exec_driver_sql(
                    # relations other sessions can see: the import's own temporary tables (a COPY
                    # target, created in its transaction: not in pg_class for anyone else) are no
                    # one else's to wait for
                    "SELECT l.mode, a.backend_xid IS NOT NULL FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                    "JOIN pg_class c ON c.oid = l.relation "
                    "WHERE a.application_name = %s AND l.locktype = 'relation' AND c.relpersistence <> 't'",
                    (application,)).all()
                if any(writing for _mode, writing in locks):
                    seen_writing += 1
                assert "AccessExclusiveLock" not in {mode for mode, _writing in locks}
                if seen_writing and reports < 3:
                    report = _run(impatient, "report", "claim", "iran-arms-militias", "--format", "json")
                    assert report.exit_code == 0, report.output
                    reports += 1
            time.sleep(0.05)
    finally:
        watcher.dispose()
        _, stderr = process.communicate()
    assert process.returncode == 0, stderr.decode()
    assert seen_writing and reports, "the import finished before it could be watched writing"
