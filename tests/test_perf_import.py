"""Large imports with the FTS and claim-count triggers suspended stay correct; every row an
import creates gets an 'insert' history entry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

import factdb.transfer.importer.kinds as kinds
from factdb.counts import counts_drift
from factdb.transfer.importer.suspend import SUSPEND_AT, Suspension

CLAIMS = 40


def jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def base_records() -> list[dict]:
    records = [
        {"type": "entity", "name": "Iran", "kind": "government", "aliases": ["Tehran"]},
        {"type": "entity", "name": "Leon Panetta", "kind": "person", "aliases": ["Panetta"]},
        {"type": "entity", "name": "AFP", "kind": "media"},
        {"type": "source", "key": "afp", "outlet": "AFP"},
    ]
    records += [{"type": "claim", "key": f"claim-{i}", "text": f"Claim number {i}"} for i in range(CLAIMS)]
    return records


def statement(i: int, quote: str, **fields: object) -> dict:
    record = {"type": "statement", "key": f"s-{i}", "claim": f"claim-{i % CLAIMS}", "speaker": "Panetta",
              "stance": "asserts", "quote": quote, "source": "afp"}
    if i % 3 == 0:
        record.update(speaker="Tehran", stance="denies")
    record.update(fields)
    return record


@pytest.fixture
def suspensions(monkeypatch: pytest.MonkeyPatch) -> list[Suspension]:
    made: list[Suspension] = []

    class Spy(Suspension):
        def __init__(self, *args):
            super().__init__(*args)
            made.append(self)

    monkeypatch.setattr(kinds, "Suspension", Spy)
    return made


def search_keys(invoke, words: str) -> list[str]:
    result = invoke("search", words, "--format", "json", "--limit", "100")
    assert result.exit_code == 0, result.output
    return sorted(hit["statement"] for hit in json.loads(result.output) if hit.get("statement"))


def schema_objects(engine) -> set[str]:
    """Names of the indexes and triggers (what a bulk import drops and must bring back)."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            sql = "SELECT type || ' ' || name FROM sqlite_master WHERE type IN ('index', 'trigger')"
        else:
            sql = ("SELECT 'index ' || indexname FROM pg_indexes WHERE schemaname = current_schema() "
                   "UNION SELECT 'trigger ' || t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                   "WHERE NOT t.tgisinternal AND c.relnamespace = CAST(current_schema() AS regnamespace)")
        return {row[0] for row in conn.execute(text(sql))}


def test_large_import_into_a_filled_database_keeps_counts_and_search_right(invoke, engine, tmp_path, suspensions):
    objects = schema_objects(engine)
    assert "trigger search_fts_statements_insert" in objects or "trigger search_fts_statements_insert_delete" in objects
    old = base_records() + [statement(i, f"oldword{i} shipments") for i in range(60)]
    first = invoke("import", str(jsonl(tmp_path / "first.jsonl", old)))
    assert first.exit_code == 0, first.output
    assert len(suspensions) == 1  # statements were empty
    assert suspensions[0].touched_claims == set()
    assert schema_objects(engine) == objects  # every index and trigger dropped is back

    # Into a filled database: updates of old statements (new quote, moved claim, retraction,
    # changed stance) and enough new ones to take the suspended path.
    second = [statement(0, "freshquote about rockets"), statement(1, "oldword1 shipments", claim="claim-7"),
              statement(2, "oldword2 shipments", retracted={"at": "2012-01-01T00:00:00Z", "reason": "withdrawn"}),
              statement(4, "oldword4 shipments", stance="disputes")]
    second += [statement(i, f"newword{i} convoys") for i in range(100, 100 + SUSPEND_AT + 50)]
    result = invoke("import", str(jsonl(tmp_path / "second.jsonl", second)))
    assert result.exit_code == 0, result.output
    assert f"statement  {SUSPEND_AT + 50}     4        0" in result.output.splitlines()
    assert len(suspensions) == 2

    with engine.connect() as conn:
        ids = dict(conn.execute(text("SELECT key, id FROM claims")).all())
        assert suspensions[1].touched_claims == {ids[f"claim-{i}"] for i in (0, 1, 2, 4, 7)}
        assert counts_drift(conn) == []
        moved = conn.execute(text("SELECT c.key FROM statements s JOIN claims c ON c.id = s.claim_id WHERE s.key = 's-1'"))
        assert moved.scalar() == "claim-7"
    assert search_keys(invoke, "oldword5") == ["s-5"]  # an old row, untouched
    assert search_keys(invoke, "oldword0") == []  # its quote was replaced
    assert search_keys(invoke, "freshquote") == ["s-0"]
    assert search_keys(invoke, "newword4120") == ["s-4120"]
    assert search_keys(invoke, "oldword2") == ["s-2"]

    # The triggers are back: a small import (live triggers) keeps counts and search too.
    third = [statement(5, "lastword shipments", stance="denies"), statement(9000, "tinyword")]
    assert invoke("import", str(jsonl(tmp_path / "third.jsonl", third))).exit_code == 0
    assert len(suspensions) == 2
    with engine.connect() as conn:
        assert counts_drift(conn) == []
    assert search_keys(invoke, "lastword") == ["s-5"]
    assert search_keys(invoke, "oldword5") == []
    assert search_keys(invoke, "tinyword") == ["s-9000"]


def test_seed_records_inserts_of_the_claim_and_its_statements(invoke):
    assert invoke("--as", "seeder", "seed").exit_code == 0
    result = invoke("history", "iran-arms-militias", "--format", "json")
    assert result.exit_code == 0, result.output
    entries = json.loads(result.output)
    assert {(e["action"], e["table"], e["who"]) for e in entries} == {
        ("insert", "claims", "seeder"), ("insert", "statements", "seeder"),
    }
    claim = next(e for e in entries if e["table"] == "claims")
    assert claim["key"] == "iran-arms-militias"
    assert claim["after"]["text"] == "Iran supplies weapons to Shiite militias in Iraq"
    assert claim["after"]["tags"] == ["iran", "iraq", "militias", "weapons"]
    panetta = next(e for e in entries if e["key"] == "000-panetta-weapons")
    assert panetta["command"] == claim["command"] and panetta["command"].startswith("factdb ")
    assert panetta["after"]["said_on"] == "2011-07-01"
    assert panetta["after"]["via"] == []
    assert len([e for e in entries if e["table"] == "statements"]) >= 2


def test_history_rows_after_importing_n_statements(invoke, engine, tmp_path):
    n = 250
    records = base_records() + [statement(i, f"quote {i}", via=["AFP"]) for i in range(n)]
    assert invoke("import", str(jsonl(tmp_path / "n.jsonl", records))).exit_code == 0
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT table_name, count(*) FROM history GROUP BY table_name")).all())
        via = conn.execute(text("SELECT after FROM history WHERE table_name = 'statements' AND row_key = 's-7'")).scalar()
    # 3 entities, 1 source, the claims, n statements, and the import's own entry
    assert rows == {"entities": 3, "sources": 1, "claims": CLAIMS, "statements": n, "bundle": 1}
    after = json.loads(via) if isinstance(via, str) else via
    assert after["quote"] == "quote 7" and len(after["via"]) == 1
    # importing it again creates nothing, so it adds only the import's own entry
    assert invoke("import", str(jsonl(tmp_path / "n.jsonl", records))).exit_code == 0
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM history")).scalar() == n + CLAIMS + 4 + 2


def test_the_cycle_collector_runs_again_after_an_import_and_after_a_refused_one(invoke, counts, tmp_path):
    """The import pauses Python's cycle collector for its own run only (a library caller's
    process gets it back, also when the bundle is refused)."""
    import gc

    assert gc.isenabled()
    good = invoke("import", str(jsonl(tmp_path / "good.jsonl", base_records())))
    assert good.exit_code == 0, good.output
    assert gc.isenabled()
    before = counts()
    bad = invoke("import", str(jsonl(tmp_path / "bad.jsonl", [{"type": "claim", "key": "x"}])))
    assert bad.exit_code == 1
    assert counts() == before
    assert gc.isenabled()
