"""A large import killed with SIGKILL while it writes leaves the database exactly as before.

The import runs as a real ``python -m factdb`` process. We wait until it is demonstrably
writing -- on SQLite the write-ahead log grows with the transaction's pages, on PostgreSQL its
backend has a transaction id (it has written rows) -- then kill it. Afterwards every table, the
export, ``factdb info`` and a second, complete import must behave as if it never ran.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from faults_bundles import write_big_bundle
from faults_support import assert_same, load_base, snapshot

import factdb
from factdb.cli import cli

ROOT = Path(factdb.__file__).resolve().parent.parent  # the subprocesses run the factdb we test
SIZES = (25_000, 100_000)  # statements; 25 000 take 5-10 s to import on a shared 2-core machine
WAL_WRITING = 1_000_000  # bytes of write-ahead log: the transaction has spilled pages to disk


def _writing_on_sqlite(url: str) -> bool:
    wal = Path(url.split(":///", 1)[1] + "-wal")
    return wal.exists() and wal.stat().st_size > WAL_WRITING


def _pg_backends(url: str, application: str) -> list[tuple]:
    import sqlalchemy

    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(
                sqlalchemy.text("SELECT pid, backend_xid FROM pg_stat_activity WHERE application_name = :name"),
                {"name": application},
            ).all()
    finally:
        engine.dispose()


def _writing_on_postgres(url: str, application: str) -> bool:
    return any(xid is not None for _pid, xid in _pg_backends(url, application))


def _start_and_kill(db_url: str, bundle: Path) -> bool:
    """Start the import, SIGKILL it once it is writing; False when it finished first."""
    application = "factdb-kill-" + uuid.uuid4().hex[:8]
    postgres = db_url.startswith("postgresql")
    url = f"{db_url}&application_name={application}" if postgres else db_url
    if not postgres:  # an empty write-ahead log, so that its size measures the import's writes
        import sqlite3

        with contextlib.closing(sqlite3.connect(db_url.split(":///", 1)[1])) as conn:
            assert conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "factdb", "--db", url, "import", str(bundle)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not (_writing_on_postgres(db_url, application) if postgres else _writing_on_sqlite(db_url)):
            if process.poll() is not None:
                _, stderr = process.communicate()
                assert process.returncode == 0, stderr.decode()
                return False
            assert time.monotonic() < deadline, "the import never started writing"
            time.sleep(0.05)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL
    if postgres:  # the server rolls the transaction back once it sees the connection gone
        deadline = time.monotonic() + 30
        while _pg_backends(db_url, application):
            assert time.monotonic() < deadline, "the killed import's backend is still there"
            time.sleep(0.05)
    return True


@pytest.mark.slow  # two 25 000-statement imports: 10-25 s; .ci/run runs it (FACTDB_TEST_SLOW=1)
def test_sigkill_during_a_large_import_leaves_no_trace(db_url: str, tmp_path: Path) -> None:
    load_base(db_url)
    # A faster importer may finish a bundle before we see it write: then try a bigger one
    # (with new keys) on top of what it wrote.
    for attempt, statements in enumerate(SIZES):
        before = snapshot(db_url)
        bundle = tmp_path / f"big-{attempt}.jsonl"
        records = write_big_bundle(bundle, statements, prefix=f"a{attempt}-")
        if _start_and_kill(db_url, bundle):
            after = snapshot(db_url)
            # The kill may land after the import committed but before its process exited: then
            # the import is whole (not half-applied), which is a finished import, not a trace.
            if after.counts["statements"] != before.counts["statements"] + statements:
                break
    else:
        raise AssertionError(f"every import finished before it could be killed (sizes {SIZES})")

    assert_same(before, after)
    runner = CliRunner()
    info = runner.invoke(cli, ["--db", db_url, "info"])
    assert info.exit_code == 0, info.output
    if not db_url.startswith("postgresql"):
        import sqlite3

        check = sqlite3.connect(db_url.split(":///", 1)[1])
        assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        check.close()

    again = runner.invoke(cli, ["--db", db_url, "import", str(bundle), "--summary-format", "json"])
    assert again.exit_code == 0, again.output
    summary = json.loads(again.stdout)
    assert summary["counts"]["statement"] == {"created": statements, "updated": 0, "unchanged": 0}
    assert sum(c["created"] for c in summary["counts"].values()) == records
    assert snapshot(db_url).counts["statements"] == before.counts["statements"] + statements
