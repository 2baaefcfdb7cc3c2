"""Issue 14: availability. A writer that cannot get SQLite's lock says why in one line; a
database that cannot be written (file or directory read-only) still answers read commands,
and a write says why it cannot."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

import factdb.db
from factdb.cli import cli
from factdb.db import sqlite_path


def run(url: str, *args: str, env: dict[str, str] | None = None) -> object:
    return CliRunner().invoke(cli, ["--db", url, *args], env=env)


def test_a_writer_that_cannot_get_the_lock_says_why(seeded_db, counts):
    if not seeded_db.startswith("sqlite"):
        pytest.skip("SQLite's single writer lock; PostgreSQL writers wait on row locks")
    path = sqlite_path(seeded_db)
    holder = sqlite3.connect(str(path), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock, as a long import does
    try:
        before = counts()
        result = run(seeded_db, "claim", "add", "Iran arms militias in Basra",
                     env={"FACTDB_SQLITE_BUSY_TIMEOUT_MS": "200"})
        assert result.exit_code == 1
        assert result.stderr == (
            "Error: The database is locked: another process kept its write lock (SQLite lets one writer in at a "
            "time) for longer than the 0.2 s this command waits, as a large import does; nothing was written. "
            "Try again when it is done, or wait longer with FACTDB_SQLITE_BUSY_TIMEOUT_MS.\n"
        )
        listing = run(seeded_db, "claim", "list", "--format", "json", env={"FACTDB_SQLITE_BUSY_TIMEOUT_MS": "200"})
        assert listing.exit_code == 0  # readers are not blocked by a writer (WAL)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert counts() == before


@pytest.mark.parametrize("shm_writable", [True, False], ids=["ro", "immutable"])
def test_a_read_only_database_answers_reads_and_refuses_writes(seeded_db, monkeypatch, shm_writable):
    if not seeded_db.startswith("sqlite"):
        pytest.skip("an SQLite file")
    path = sqlite_path(seeded_db)
    assert path is not None
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    expected = run(seeded_db, "claim", "list", "--format", "json").stdout
    real_access = os.access
    mode = {path, path.parent} | (set() if shm_writable else {Path(f"{path}-shm")})
    # root may write anything, so the test makes the file and its directory (and, for the
    # immutable case, the -shm file) read-only in the eyes of os.access; os.getuid() != 0 could chmod instead
    monkeypatch.setattr(factdb.db.os, "access", lambda p, m: False if Path(p) in mode and m == os.W_OK
                        else real_access(p, m))
    listing = run(seeded_db, "claim", "list", "--format", "json")
    assert (listing.exit_code, listing.stdout) == (0, expected)
    assert run(seeded_db, "report", "claim", "iran-arms-militias").exit_code == 0
    size = path.stat().st_size
    refused = run(seeded_db, "claim", "add", "Iran arms militias in Basra")
    assert refused.exit_code == 1
    assert refused.stderr == (
        "Error: The database cannot be written here (read-only file or directory, or opened read-only): "
        "read commands work, this one writes; nothing was written. Ask for write access, or copy the file.\n"
    )
    assert path.stat().st_size == size
