"""A bulk import's shortcuts keep what the row-by-row path guarantees.

- On SQLite, `factdb import` runs without the per-row foreign key lookups and checks the rows it
  created set-based before it commits: a row naming nothing rolls the whole import back; the
  connection has its foreign keys on again for the next transaction.
- The history's claim index, built once after a large import's insert history, finds every
  entry of a claim.
- A large import (triggers suspended, rows COPYed on PostgreSQL, analyzed there) refused by a
  record after thousands were already written tells that record's file and line and leaves
  nothing behind: no row, no history, no search entry, no count.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from factdb.db import create_engine
from factdb.errors import FactdbError
from factdb.models import Base
from factdb.sessions import transaction
from factdb.transfer.importer import inserted, references
from factdb.transfer.importer.suspend import SUSPEND_AT


def _bundle(path: Path, statements: int = 3) -> Path:
    records = [
        {"type": "entity", "name": "Leon Panetta", "kind": "person"},
        {"type": "entity", "name": "AFP", "kind": "media"},
        {"type": "source", "key": "afp", "outlet": "AFP"},
        {"type": "claim", "key": "c1", "text": "Iran supplies weapons to Shiite militias in Iraq"},
        {"type": "claim", "key": "c2", "text": "Iran trains Shiite militias in Iraq"},
    ]
    records += [
        {"type": "statement", "key": f"s-{i}", "claim": "c1" if i % 2 else "c2", "speaker": "Leon Panetta",
         "stance": "asserts", "quote": f"quote number {i}", "source": "afp"}
        for i in range(statements)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_bulk_transaction_checks_references_itself(db_url: str, invoke, tmp_path: Path) -> None:
    engine = create_engine(db_url)
    with transaction(engine, bulk=True) as session:
        conn = session.connection()
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 0
        assert references.checked_here(conn)
    with transaction(engine) as session:  # the same pooled connection: foreign keys on again
        assert session.connection().exec_driver_sql("PRAGMA foreign_keys").scalar() == 1

    assert invoke("import", str(_bundle(tmp_path / "b.jsonl"))).exit_code == 0
    columns = [c.name for c in Base.metadata.tables["statements"].c if c.name not in ("id", "key", "claim_id")]
    listed = ", ".join(f'"{c}"' for c in columns)
    refused = "internal error: the import wrote 1 statements rows naming rows"
    with pytest.raises(FactdbError, match=refused), transaction(engine, bulk=True) as session:
        conn = session.connection()
        before = references.highest(conn)
        conn.exec_driver_sql(  # a copy of statement s-0 for a claim that does not exist
            f"INSERT INTO statements (key, claim_id, {listed}) SELECT 's-x', 999, {listed} FROM statements "
            "WHERE key = 's-0'")
        references.check_references(conn, before)
    with engine.connect() as conn:  # rolled back
        assert conn.execute(text("SELECT count(*) FROM statements")).scalar() == 3
    engine.dispose()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_reference_check_finds_an_id_in_a_gap_of_its_range(db_url: str, invoke, tmp_path: Path) -> None:
    """The check proves a column by its range only when the parent holds every id in it: a
    claim deleted between two others leaves a gap, and a row naming it is still found; so is
    a statement answering a statement that does not exist (a self-reference, probed)."""
    engine = create_engine(db_url)
    assert invoke("import", str(_bundle(tmp_path / "b.jsonl"))).exit_code == 0
    columns = [c.name for c in Base.metadata.tables["statements"].c if c.name not in ("id", "key", "claim_id")]
    listed = ", ".join(f'"{c}"' for c in columns)
    claim_columns = ", ".join(f'"{c.name}"' for c in Base.metadata.tables["claims"].c if c.name not in ("id", "key"))
    with engine.connect() as conn:
        claims = [row[0] for row in conn.execute(text("SELECT id FROM claims ORDER BY id"))]
    cases = ((claims, None, None), ([claims[0], claims[-1] + 1, claims[-1] + 2], None, _GAP),
             (claims, 10**6, _GAP))  # a statement answering one that does not exist
    for named, answers, refused in cases:
        with pytest.raises(FactdbError if refused else _RolledBack, match=refused), \
                transaction(engine, bulk=True) as session:
            conn = session.connection()
            for key in ("gap-a", "gap-b"):
                conn.exec_driver_sql(f"INSERT INTO claims (key, {claim_columns}) SELECT '{key}', {claim_columns} "
                                     "FROM claims WHERE key = 'c1'")
            conn.exec_driver_sql("DELETE FROM claims WHERE key = 'gap-a'")  # claims[-1] + 1: a gap
            before = references.highest(conn)
            for i, claim in enumerate(named):
                conn.exec_driver_sql(
                    f"INSERT INTO statements (key, claim_id, {listed}) SELECT 's-gap-{i}', {claim}, {listed} "
                    "FROM statements WHERE key = 's-0'")
            if answers is not None:
                conn.exec_driver_sql(f"UPDATE statements SET responds_to_id = {answers} WHERE key = 's-gap-0'")
            references.check_references(conn, before)
            raise _RolledBack  # the ids with no gap passed: leave nothing behind
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM claims")).scalar() == len(claims)
    engine.dispose()


class _RolledBack(Exception):
    pass


_GAP = "the import wrote 1 statements rows naming rows that do not exist"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_import_with_claim_index_built_after(db_url: str, invoke, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(inserted, "DEFER_CLAIM_INDEX_FROM", 1)  # 3 statements count as many
    result = invoke("import", str(_bundle(tmp_path / "b.jsonl")))
    assert result.exit_code == 0, result.output
    engine = create_engine(db_url)
    with engine.connect() as conn:
        names = {row[0] for row in conn.execute(text("SELECT name FROM sqlite_master WHERE tbl_name = 'history' "
                                                     "AND type = 'index'"))}
        assert "ix_history_claim_id" in names
        plan = " ".join(str(r) for r in conn.execute(text(
            "EXPLAIN QUERY PLAN SELECT row_key FROM history WHERE claim_id = 1")))
        assert "ix_history_claim_id" in plan
        by_claim = conn.execute(text(
            "SELECT c.key, h.table_name, h.row_key FROM history h JOIN claims c ON c.id = h.claim_id "
            "WHERE h.action = 'insert' ORDER BY c.key, h.table_name, h.row_key")).all()
    engine.dispose()
    assert [tuple(r) for r in by_claim] == [
        ("c1", "claims", "c1"), ("c1", "statements", "s-1"),
        ("c2", "claims", "c2"), ("c2", "statements", "s-0"), ("c2", "statements", "s-2"),
    ]


def test_large_import_refused_late_writes_nothing(db_url: str, invoke, tmp_path: Path) -> None:
    count = SUSPEND_AT + 2000  # more than one batch: the first ones are in the tables when the last is read
    path = _bundle(tmp_path / "big.jsonl", statements=count)
    lines = path.read_text(encoding="utf-8").splitlines()
    bad = json.loads(lines[-1])
    bad["source"] = "no-such-source"  # the very last statement names nothing
    lines[-1] = json.dumps(bad)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert invoke("import", str(_bundle(tmp_path / "small.jsonl", statements=1))).exit_code == 0
    tables = ("statements", "history", "search_fts_statements", "claim_speakers")
    engine = create_engine(db_url)

    def state() -> tuple:
        with engine.connect() as conn:
            rows = tuple(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() for table in tables)
            claims = conn.execute(text("SELECT key, support_statements, support_speakers FROM claims ORDER BY key"))
            return rows, [tuple(row) for row in claims]

    before = state()
    result = invoke("import", str(path))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f'{path}:{len(lines)}: statement.source: no source "no-such-source" in the bundle or the database'
    )
    assert state() == before == ((1, 7, 1, 1), [("c1", 0, 0), ("c2", 1, 1)])
    engine.dispose()
