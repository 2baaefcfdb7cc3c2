"""Eight processes writing at once, and a long import beside them: every statement lands,
none is lost, history is complete, nobody sees a lock error.

Each worker (tests/faults_worker.py) runs ``factdb attribute`` 200 times in-process, each call
a separate command with its own transaction; all eight start together (a file barrier, once
every worker has imported the CLI), and so does a ``factdb import`` of 20,000 statements in
a process of its own. SQLite queues writers with BEGIN IMMEDIATE and a busy timeout
(factdb/db.py); PostgreSQL writers wait on row locks only, as the import takes no table lock
(no DDL: factdb/transfer/importer/suspend.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from faults_bundles import write_big_bundle
from faults_support import load_base
from sqlalchemy import func, select

import factdb
from factdb.db import create_engine
from factdb.models import HistoryEntry, Statement, StatementVia

ROOT = Path(factdb.__file__).resolve().parent.parent  # the subprocesses run the factdb we test
WORKERS = 8
EACH = 200
IMPORTED = 20_000


@pytest.mark.slow  # 1,600 CLI commands and an import: 40-120 s on a shared 2-core machine
def test_eight_concurrent_writers_and_an_import_lose_nothing(db_url: str, tmp_path: Path) -> None:
    load_base(db_url)
    bundle = tmp_path / "big.jsonl"
    records = write_big_bundle(bundle, IMPORTED, prefix="imp-")
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("FACTDB_SQLITE_BUSY_TIMEOUT_MS", None)
    processes = []
    for worker in range(WORKERS):
        command = [
            sys.executable, str(Path(__file__).with_name("faults_worker.py")), db_url, str(worker), str(EACH),
            str(tmp_path / f"ready-{worker}"), str(go), str(tmp_path / f"result-{worker}.json"),
        ]
        processes.append(subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"ready-{w}").exists() for w in range(WORKERS)):
        assert all(p.poll() is None for p in processes), [p.stderr.read() for p in processes if p.poll() is not None]
        assert time.monotonic() < deadline, "the workers never got ready"
        time.sleep(0.01)
    go.touch()
    importer = subprocess.Popen(
        [sys.executable, "-m", "factdb", "--db", db_url, "import", str(bundle), "--summary-format", "json"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    for process in processes:
        _, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, stderr.decode()
    imported, import_errors = importer.communicate(timeout=600)
    assert importer.returncode == 0, import_errors.decode()
    summary = json.loads(imported)
    assert sum(c["created"] for c in summary["counts"].values()) == records
    failures = [json.loads((tmp_path / f"result-{w}.json").read_text()) for w in range(WORKERS)]
    assert failures == [[]] * WORKERS

    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            quotes = conn.execute(select(Statement.quote).where(Statement.quote.like("Worker %"))).scalars().all()
            expected = {f"Worker {w} says it, time {i}." for w in range(WORKERS) for i in range(EACH)}
            assert len(quotes) == WORKERS * EACH and set(quotes) == expected
            assert conn.execute(select(func.count()).select_from(Statement)).scalar() == WORKERS * EACH + 1 + IMPORTED
            assert conn.execute(
                select(func.count()).select_from(StatementVia).where(StatementVia.statement_id.in_(
                    select(Statement.id).where(Statement.quote.like("Worker %"))))
            ).scalar() == WORKERS * EACH

            def history(table: str) -> dict[str, int]:
                rows = conn.execute(
                    select(HistoryEntry.actor, func.count())
                    .where(HistoryEntry.table_name == table, HistoryEntry.action == "insert")
                    .group_by(HistoryEntry.actor)
                ).all()
                return {actor: n for actor, n in rows if actor.startswith("worker-")}

            per_worker = {f"worker-{w}": EACH for w in range(WORKERS)}
            assert history("statements") == per_worker
            assert history("statement_via") == per_worker
            # every statement's history row names it: none recorded twice, none missing
            recorded = conn.execute(
                select(HistoryEntry.row_id).where(HistoryEntry.table_name == "statements", HistoryEntry.actor.like("worker-%"))
            ).scalars().all()
            ids = conn.execute(select(Statement.id).where(Statement.quote.like("Worker %"))).scalars().all()
            assert sorted(recorded) == sorted(ids)
            # the claim counts the triggers keep are exact: one claim, every worker's statements
            from factdb.counts import counts_drift

            assert counts_drift(conn) == []
    finally:
        engine.dispose()


def test_history_names_the_row_of_every_insert(db_url: str, engine) -> None:
    """Found by the test above: history rows of inserts had no row id (the identity key is
    not assigned yet when ``after_flush`` runs)."""
    from click.testing import CliRunner

    from factdb.cli import cli

    load_base(db_url)
    with engine.connect() as conn:  # the base import records its own inserts; only the CLI's count here
        loaded = conn.execute(select(func.max(HistoryEntry.id))).scalar()
    args = ["attribute", "iran-arms-militias", "--speaker", "Tehran", "--stance", "denies", "--source", "afp-2011-07-10"]
    assert CliRunner().invoke(cli, ["--db", db_url, *args]).exit_code == 0
    assert CliRunner().invoke(cli, ["--db", db_url, "entity", "add", "Robert Gates", "--kind", "person"]).exit_code == 0
    with engine.connect() as conn:
        rows = conn.execute(
            select(HistoryEntry.table_name, HistoryEntry.row_id, HistoryEntry.after)
            .where(HistoryEntry.action == "insert", HistoryEntry.id > loaded,
                   HistoryEntry.table_name.in_(["statements", "entities", "entity_names"]))
        ).all()
    assert sorted(table for table, _id, _after in rows) == ["entities", "entity_names", "statements"]
    assert [(table, row_id) for table, row_id, after in rows if row_id is None or row_id != after["id"]] == []
