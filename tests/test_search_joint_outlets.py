"""Search finds a statement by any of its speakers, joint ones included (revision 0065), and
by its outlet's current name after a rename; on every write path: the CLI, plain SQL, a bulk
import and the upgrade of an existing database."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from sqlalchemy import text

from factdb import search
from factdb.db import create_engine
from factdb.migrate import migrate


def _hits(invoke: Callable[..., Result], query: str) -> list[dict[str, Any]]:
    done = invoke("search", query, "--format", "json")
    assert done.exit_code == 0, done.output
    hits: list[dict[str, Any]] = json.loads(done.output)
    return hits


def _story(invoke: Callable[..., Result]) -> None:
    for args in (
        ["entity", "add", "CNN", "--kind", "media"],
        ["entity", "add", "Clemson Media Forensics Hub", "--kind", "organization"],
        ["entity", "add", "Clemson University", "--kind", "organization"],
        ["source", "add", "--key", "cnn-2024-10-01", "--outlet", "CNN", "--published", "2024-10-01",
         "--title", "Fake accounts traced"],
        ["claim", "add", "Russia ran a network of fake accounts", "--key", "russia-fake-accounts"],
        ["attribute", "russia-fake-accounts", "--speaker", "CNN", "--speaker", "Clemson Media Forensics Hub",
         "--anonymous", "independent researchers", "--affiliation", "Clemson University", "--stance", "asserts",
         "--source", "cnn-2024-10-01", "--key", "cnn-found", "--quote", "The network posted daily."],
    ):
        result = invoke(*args)
        assert result.exit_code == 0, result.output


@pytest.mark.parametrize("wide", [search.WIDE, 0])  # 0: every word is one many names hold (the other path)
def test_a_joint_speaker_its_affiliation_and_description_find_the_statement(invoke, monkeypatch, wide) -> None:
    _story(invoke)
    monkeypatch.setattr(search, "WIDE", wide)
    for query in ('"Clemson Media Forensics Hub"', "Forensics", '"Clemson University"', "researchers", "CNN",
                  "Clemson network"):
        hits = [hit for hit in _hits(invoke, query) if hit["kind"] == "statement"]
        assert [hit["statement"] for hit in hits] == ["cnn-found"], query
    [hit] = [h for h in _hits(invoke, "Forensics") if h["kind"] == "statement"]
    # the quote does not hold the word: the snippet is the joint speaker's names, the word marked
    assert hit["snippet"] == "Clemson Media Forensics Hub"
    assert [hit["snippet"][start:end] for start, end in hit["matches"]] == ["Forensics"]


def test_joint_speakers_changed_by_plain_sql_and_by_statement_edit_are_indexed(db_url: str, invoke) -> None:
    _story(invoke)
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:  # as from the sqlite3 shell or psql: the triggers queue the statement
            conn.execute(text("DELETE FROM statement_speakers"))
            assert conn.execute(text("SELECT kind, count(*) FROM search_fts_queue GROUP BY kind")).all() == [("s", 1)]
    finally:
        engine.dispose()
    assert invoke("entity", "add", "Somebody", "--kind", "person").exit_code == 0  # a write indexes the queue
    assert [h for h in _hits(invoke, "Forensics") if h["kind"] == "statement"] == []
    edited = invoke("statement", "edit", "cnn-found", "--speaker", "CNN", "--speaker", "Clemson Media Forensics Hub")
    assert edited.exit_code == 0, edited.output
    assert [h["statement"] for h in _hits(invoke, "Forensics") if h["kind"] == "statement"] == ["cnn-found"]


def test_a_renamed_outlet_is_found_by_its_new_name_only(db_url: str, invoke) -> None:
    _story(invoke)
    renamed = invoke("entity", "edit", "CNN", "--name", "Cable News Network")
    assert renamed.exit_code == 0, renamed.output
    # CNN stays an alias of the entity, so it still finds the statement as its speaker; the
    # source field of the statement's row now holds the outlet's new name
    assert [h["statement"] for h in _hits(invoke, '"Cable News Network"') if h["kind"] == "statement"] == [
        "cnn-found"]
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            stored = conn.execute(text("SELECT source FROM search_fts_statements")).scalar_one()
            assert "Cable News Network" in stored and "CNN" not in stored
            assert conn.execute(text("SELECT count(*) FROM search_fts_queue")).scalar() == 0
    finally:
        engine.dispose()


def test_a_bulk_import_indexes_its_joint_speakers(invoke, tmp_path: Path) -> None:
    lines: list[dict[str, Any]] = [
        {"type": "entity", "name": "Lead Agency", "kind": "government"},
        {"type": "entity", "name": "Partner Bureau", "kind": "government"},
        {"type": "entity", "name": "Wire", "kind": "media"},
        {"type": "source", "key": "wire-1", "outlet": "Wire"},
        {"type": "claim", "key": "the-claim", "text": "Something happened"},
    ]
    lines += [{"type": "statement", "key": f"st-{i}", "claim": "the-claim", "source": "wire-1", "stance": "asserts",
               "speaker": "Lead Agency", "quote": f"Words number {i}.", "quote_kind": "direct",
               "joint_speakers": [{"speaker": "Partner Bureau"}] if i % 2 else []}
              for i in range(5000)]  # fmt: skip
    bundle = tmp_path / "joint.jsonl"
    bundle.write_text("".join(json.dumps(line) + "\n" for line in lines))
    done = invoke("import", str(bundle))
    assert done.exit_code == 0, done.output
    hits = [h for h in _hits(invoke, '"Partner Bureau"') if h["kind"] == "statement"]
    assert len(hits) == 20 and all(int(h["statement"].split("-")[1]) % 2 for h in hits)


def test_the_upgrade_to_0065_indexes_existing_joint_speakers(db_url: str, invoke) -> None:
    _story(invoke)
    engine = create_engine(db_url)
    try:
        migrate(engine, "0064")
        with engine.begin() as conn:  # the row revision 0064's factdb wrote: the first speaker's token only
            conn.execute(text("UPDATE search_fts_statements SET speakers = '@e1', speaker = ''"))
        migrate(engine)
        with engine.connect() as conn:
            hub = conn.execute(text("SELECT id FROM entities WHERE name = 'Clemson Media Forensics Hub'")).scalar()
            speakers, speaker = conn.execute(text("SELECT speakers, speaker FROM search_fts_statements")).one()
    finally:
        engine.dispose()
    assert f"@e{hub}" in speakers.split() and speaker == "independent researchers"
    assert [h["statement"] for h in _hits(invoke, "Forensics") if h["kind"] == "statement"] == ["cnn-found"]
