"""Source versions in the stored counts (issue 12, with issue 13's one sourcing module): a
statement of a superseded version is marked (``statements.copy_of_id``, :mod:`factdb.copies`
by :func:`factdb.sourcing.fold_statements`), so ``claim list``, ``report contested`` and the
claims' count columns agree with the dossier, which reads the newest version: a statement the
newest version repeats counts once (the earlier one is a copy of it), one only an earlier
version made is shown, never counted (marked as a copy of itself). A copy of an earlier
version belongs to the newest version's story. Every write path keeps the markers."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from sqlalchemy import text
from test_copies import _generated, _markers, assert_both_paths_mark_alike

from factdb import copies
from factdb.counts import counts_drift, rebuild_claim_counts
from factdb.db import create_engine, schema_head
from factdb.migrate import migrate

CLAIM = "evacuations"
BUNDLE = """\
entities:
- {name: AFP, kind: media}
- {name: newsmirror, kind: media}
- {name: Leon Panetta, kind: person}
- {name: Iran, kind: government}
sources:
- {key: wire-v1, outlet: AFP, published_on: 2011-07-10, published_time: '11:06'}
- {key: wire-v2, outlet: AFP, published_on: 2011-07-10, modified_time: '11:08', updates: wire-v1}
- {key: mirror-v1, outlet: newsmirror, published_on: 2011-07-10, republishes: wire-v1}
claims:
- {key: evacuations, text: US forces evacuated people from Baghdad}
statements:
- {key: v1-two, claim: evacuations, speaker: Leon Panetta, stance: asserts, source: wire-v1, quote: two evacuations, said_on: 2011-07-10}
- {key: v2-five, claim: evacuations, speaker: Leon Panetta, stance: asserts, source: wire-v2, quote: five evacuations, said_on: 2011-07-10}
- {key: v1-deny, claim: evacuations, speaker: Iran, stance: denies, source: wire-v1, quote: No one was evacuated, said_on: 2011-07-10}
- {key: v2-deny, claim: evacuations, speaker: Iran, stance: denies, source: wire-v2, quote: No one was evacuated, said_on: 2011-07-10}
- {key: mirror-deny, claim: evacuations, speaker: Iran, stance: denies, source: mirror-v1, quote: No one was evacuated, said_on: 2011-07-10}
- {key: mirror-two, claim: evacuations, speaker: Leon Panetta, stance: asserts, source: mirror-v1, quote: two evacuations, said_on: 2011-07-10}
"""
# v2 repeats Iran's denial (v1's and the mirror's are copies of v2's) and has five, not two:
# Panetta's "two" is in the earlier version only (v1's marked as itself, the mirror's as v1's)
MARKED = {
    "v1-two": "v1-two", "v2-five": None, "v1-deny": "v2-deny", "v2-deny": None,
    "mirror-deny": "v2-deny", "mirror-two": "v1-two",
}  # fmt: skip
NEWEST = {"claim list": (2, 1, 1), "dossier": (2, 1, 1), "contested": (2, 1, 1, 1, 1)}


@pytest.fixture
def loaded(invoke: Callable[..., Result], tmp_path: Path) -> Callable[..., Result]:
    path = tmp_path / "versions.yaml"
    path.write_text(BUNDLE, encoding="utf-8")
    result = invoke("import", str(path))
    assert result.exit_code == 0, result.output
    return invoke


def _json(invoke: Callable[..., Result], *args: str) -> Any:
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _counts(invoke: Callable[..., Result], claim: str = CLAIM) -> dict[str, tuple[int, ...]]:
    (listed,) = [c for c in _json(invoke, "claim", "list") if c["key"] == claim]
    summary = _json(invoke, "report", "claim", claim)["summary"]
    out = {
        "claim list": (listed["statements"], listed["supporting"], listed["opposing"]),
        "dossier": (summary["statements"], summary["supporting"], summary["opposing"]),
    }
    for row in _json(invoke, "report", "contested")["claims"]:
        if row["claim"] == claim:
            out["contested"] = (row["statements"], row["supporting"], row["opposing"],
                                row["supporting_speakers"], row["opposing_speakers"])  # fmt: skip
    return out


def test_the_stored_counts_read_the_newest_version(db_url: str, loaded: Callable[..., Result]) -> None:
    assert _markers(db_url) == MARKED
    assert _counts(loaded) == NEWEST
    report = _json(loaded, "report", "claim", CLAIM)
    summary = report["summary"]
    assert (summary["sources"], summary["independent_sources"], summary["outlets"], summary["copies"]) == (2, 1, 1, 1)
    by_key = {s["key"]: s for s in report["statements"]}
    assert list(by_key) == ["v1-two", "v2-five", "v2-deny"]
    # the mirror copies wire-v1, which wire-v2 updates: it carries wire-v2's story
    assert (by_key["v2-deny"]["carried_by"], [c["statement"] for c in by_key["v2-deny"]["copies"]]) == (
        ["newsmirror"], ["mirror-deny"])
    assert by_key["v2-deny"]["version"] == {
        "newest": "wire-v2", "in_earlier_version": False, "earlier_versions": ["wire-v1"], "changed_to": None,
    }  # fmt: skip
    # what only the earlier version said, carried by the mirror too: shown, never counted
    assert (by_key["v1-two"]["carried_by"], [c["statement"] for c in by_key["v1-two"]["copies"]]) == (
        ["newsmirror"], ["mirror-two"])
    assert by_key["v1-two"]["version"] == {
        "newest": "wire-v2", "in_earlier_version": True, "earlier_versions": [],
        "changed_to": {"statement": "v2-five", "stance": "asserts", "quote": "five evacuations"},
    }  # fmt: skip
    assert [f["flag"] for f in summary["flags"]] == ["one-party", "unverified-quotes"]
    timeline = _json(loaded, "report", "timeline", "--claim", CLAIM)
    assert sorted(e["key"] for e in timeline["chronology"]) == ["v2-deny", "v2-five"]
    # a period counts the newest version too
    period = _json(loaded, "report", "contested", "--since", "2011-07")["claims"]
    assert [(r["statements"], r["supporting"], r["opposing"], r["supporting_speakers"], r["opposing_speakers"])
            for r in period] == [(2, 1, 1, 1, 1)]  # fmt: skip


def test_source_edits_keep_the_markers(db_url: str, loaded: Callable[..., Result]) -> None:
    # no longer a later version: two stories, the mirror copying the first
    assert loaded("source", "edit", "wire-v2", "--updates", "").exit_code == 0
    assert _markers(db_url) == {**dict.fromkeys(MARKED), "mirror-deny": "v1-deny", "mirror-two": "v1-two"}
    assert _counts(loaded) == {"claim list": (4, 2, 2), "dossier": (4, 2, 2), "contested": (4, 2, 2, 1, 1)}
    assert loaded("undo").exit_code == 0
    assert _markers(db_url) == MARKED
    assert _counts(loaded) == NEWEST
    # the mirror leaves the story: its two statements count on their own
    assert loaded("source", "edit", "mirror-v1", "--republishes", "").exit_code == 0
    assert _markers(db_url) == {**MARKED, "mirror-deny": None, "mirror-two": None}
    assert _counts(loaded) == {"claim list": (4, 2, 2), "dossier": (4, 2, 2), "contested": (4, 2, 2, 1, 1)}
    assert loaded("source", "edit", "mirror-v1", "--republishes", "wire-v1").exit_code == 0
    assert _markers(db_url) == MARKED
    # a third version with nothing in it: everything is earlier, nothing counts
    assert loaded("source", "add", "--key", "wire-v3", "--outlet", "AFP", "--updates", "wire-v2").exit_code == 0
    assert set(_markers(db_url).values()) == {"v1-two", "v1-deny", "v2-five"}
    assert _counts(loaded) == {"claim list": (0, 0, 0), "dossier": (0, 0, 0)}
    assert loaded("undo").exit_code == 0
    assert _markers(db_url) == MARKED


def test_statement_writes_keep_the_markers(db_url: str, loaded: Callable[..., Result]) -> None:
    # the newest version's denial retracted: the earlier one (and its copy) is earlier only
    assert loaded("statement", "retract", "v2-deny", "--reason", "wrong").exit_code == 0
    assert _markers(db_url) == {**MARKED, "v2-deny": None, "v1-deny": "v1-deny", "mirror-deny": "v1-deny"}
    assert _counts(loaded) == {"claim list": (1, 1, 0), "dossier": (1, 1, 0)}
    assert loaded("undo").exit_code == 0
    assert _markers(db_url) == MARKED
    assert _counts(loaded) == NEWEST
    # the newest version now says "two" as well: the earlier "two" are copies of it
    assert loaded("statement", "edit", "v2-five", "--quote", "two evacuations").exit_code == 0
    assert _markers(db_url) == {**MARKED, "v1-two": "v2-five", "mirror-two": "v2-five"}
    assert _counts(loaded) == NEWEST
    # moved into the newest version, the earlier-only statement counts there
    assert loaded("statement", "edit", "v2-five", "--quote", "five evacuations").exit_code == 0
    assert loaded("statement", "edit", "v1-two", "--source", "wire-v2").exit_code == 0
    assert _markers(db_url) == {**MARKED, "v1-two": None, "mirror-two": "v1-two"}
    assert _counts(loaded) == {"claim list": (3, 2, 1), "dossier": (3, 2, 1), "contested": (3, 2, 1, 1, 1)}
    assert loaded("undo").exit_code == 0
    assert _markers(db_url) == MARKED


def test_an_import_of_a_later_version_and_its_undo(db_url: str, loaded: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "v3.yaml"
    path.write_text(
        "sources:\n- {key: wire-v3, outlet: AFP, published_on: 2011-07-11, updates: wire-v2}\n"
        "statements:\n- {key: v3-deny, claim: evacuations, speaker: Iran, stance: denies, source: wire-v3,"
        " quote: No one was evacuated, said_on: 2011-07-10}\n",
        encoding="utf-8",
    )
    assert loaded("import", str(path)).exit_code == 0
    assert _markers(db_url) == {
        **MARKED, "v2-five": "v2-five", "v1-two": "v1-two", "v1-deny": "v3-deny", "v2-deny": "v3-deny",
        "mirror-deny": "v3-deny", "v3-deny": None,
    }  # fmt: skip
    assert _counts(loaded) == {"claim list": (1, 0, 1), "dossier": (1, 0, 1)}
    assert loaded("undo").exit_code == 0
    assert _markers(db_url) == MARKED
    assert _counts(loaded) == NEWEST


def _versioned(seed: int) -> list[dict[str, Any]]:
    """test_copies' generated bundle with about a quarter of the sources a later version of
    an earlier one (chains included; a version at most once; the same versions whatever the
    seed, so that a second import changes the stories, not the versions)."""
    rng = random.Random(0)
    lines = _generated(seed)
    sources = [line for line in lines if line["type"] == "source"]
    updated: set[str] = set()
    for index, record in enumerate(sources[1:], start=1):
        if rng.random() < 0.25:
            earlier = [s["key"] for s in sources[:index] if s["key"] not in updated]
            if earlier:
                record["updates"] = rng.choice(earlier)
                updated.add(record["updates"])
    return lines


def test_stored_counts_equal_the_dossiers_on_generated_versions(db_url: str, invoke, tmp_path: Path) -> None:
    for seed in (3, 4):
        bundle = tmp_path / f"versions-{seed}.jsonl"
        bundle.write_text("".join(json.dumps(line) + "\n" for line in _versioned(seed)))
        result = invoke("import", str(bundle), "--format", "jsonl")
        assert result.exit_code == 0, result.output
        listed = {row["key"]: (row["statements"], row["supporting"], row["opposing"])
                  for row in _json(invoke, "claim", "list")}  # fmt: skip
        folded = {}
        for claim in listed:
            summary = _json(invoke, "report", "claim", claim)["summary"]
            folded[claim] = (summary["statements"], summary["supporting"], summary["opposing"])
        assert listed == folded
        contested = {row["claim"]: (row["statements"], row["supporting"], row["opposing"])
                     for row in _json(invoke, "report", "contested", "--limit", "100")["claims"]}  # fmt: skip
        assert contested == {k: v for k, v in folded.items() if v[1] and v[2]}
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            superseded = conn.execute(text("SELECT count(*) FROM statements WHERE copy_of_id = id")).scalar()
            assert superseded and superseded > 0
            rebuild_claim_counts(conn)
            assert counts_drift(conn) == []
    finally:
        engine.dispose()


def test_the_stories_table_marks_versions_as_the_one_query_path(db_url: str, invoke, tmp_path: Path,
                                                                 monkeypatch) -> None:
    # two claims per chunk: a large load's path (factdb.copies._STORIES), which reads only
    # the statements it may fold, must mark the superseded ones as the one query does
    monkeypatch.setattr(copies, "_CHUNK", 2)
    test_stored_counts_equal_the_dossiers_on_generated_versions(db_url, invoke, tmp_path)
    assert_both_paths_mark_alike(db_url, monkeypatch)


def test_revision_0062_marks_what_a_database_at_0061_counted(db_url: str, loaded: Callable[..., Result]) -> None:
    engine = create_engine(db_url)
    try:
        assert migrate(engine, "0061") == (schema_head(), "0061")
        with engine.begin() as conn:  # revision 0060's rule: the mirror's copy only
            conn.execute(text("UPDATE statements SET copy_of_id = NULL"))
            conn.execute(text(
                "UPDATE statements SET copy_of_id = (SELECT id FROM statements WHERE key = 'v1-deny') "
                "WHERE key = 'mirror-deny'"))  # fmt: skip
            stored = conn.execute(text("SELECT support_statements, oppose_statements FROM claims")).one()
        assert tuple(stored) == (3, 2)  # the earlier version counted
        assert migrate(engine, "head") == ("0061", schema_head())
    finally:
        engine.dispose()
    assert _markers(db_url) == MARKED
    assert _counts(loaded) == NEWEST


def _stored(url: str) -> dict[str, Any]:
    """Every claim's count columns, claim_speakers rows and copy markers (by key), and the
    sourcing flags: what the stored state says, to compare two databases."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            claims = conn.execute(text(
                "SELECT key, support_statements, oppose_statements, support_speakers, oppose_speakers, "
                "sourcing_flags FROM claims ORDER BY key")).all()  # fmt: skip
            speakers = conn.execute(text(
                "SELECT c.key, cs.side, cs.statements FROM claim_speakers cs JOIN claims c ON c.id = cs.claim_id "
                "ORDER BY 1, 2, 3")).all()  # fmt: skip
            markers = conn.execute(text(
                "SELECT s.key, o.key FROM statements s LEFT JOIN statements o ON o.id = s.copy_of_id ORDER BY 1"
            )).all()  # fmt: skip
            assert counts_drift(conn) == []
    finally:
        engine.dispose()
    return {"claims": [tuple(r) for r in claims], "speakers": [tuple(r) for r in speakers],
            "markers": [tuple(r) for r in markers]}


MOVED = """\
entities:
- {name: AFP, kind: media}
- {name: Leon Panetta, kind: person}
sources:
- {key: wire-v0, outlet: AFP, published_on: 2011-07-09}
- {key: wire-v1, outlet: AFP, published_on: 2011-07-10}
- {key: wire-v2, outlet: AFP, published_on: 2011-07-10, updates: wire-v1}
claims:
- {key: evacuations, text: US forces evacuated people from Baghdad}
- {key: curfew, text: A curfew was declared in Baghdad}
- {key: ceasefire, text: A ceasefire was agreed}
statements:
- {key: v1-two, claim: evacuations, speaker: Leon Panetta, stance: asserts, source: wire-v1, quote: two evacuations}
- {key: v1-curfew, claim: curfew, speaker: Leon Panetta, stance: asserts, source: wire-v1, quote: a curfew}
- {key: v2-five, claim: evacuations, speaker: Leon Panetta, stance: asserts, source: wire-v2, quote: five}
- {key: v0-ceasefire, claim: ceasefire, speaker: Leon Panetta, stance: asserts, source: wire-v0}
"""


@pytest.mark.parametrize("how", ["import", "source edit"])
def test_moving_updates_remarks_the_old_earlier_version(db_url: str, invoke, tmp_path: Path, how: str) -> None:
    # wire-v2 updated wire-v1: v1's curfew, in the earlier version only, did not count. Then
    # wire-v2 turns out to update wire-v0 instead: wire-v1 is an article of its own again, and
    # its curfew counts; the old earlier version's claims are remarked, not only the new one's
    (tmp_path / "moved.yaml").write_text(MOVED, encoding="utf-8")
    assert invoke("import", str(tmp_path / "moved.yaml")).exit_code == 0
    before = _stored(db_url)
    assert dict(before["markers"])["v1-curfew"] == "v1-curfew"
    if how == "import":
        (tmp_path / "move.yaml").write_text("sources:\n- {key: wire-v2, updates: wire-v0}\n", encoding="utf-8")
        moved = invoke("import", str(tmp_path / "move.yaml"))
    else:
        moved = invoke("source", "edit", "wire-v2", "--updates", "wire-v0")
    assert moved.exit_code == 0, moved.output
    after = _stored(db_url)
    assert dict(after["markers"])["v1-curfew"] is None
    assert {c[0]: c[1:5] for c in after["claims"]}["curfew"] == (1, 0, 1, 0)
    # a database built directly in the final state counts the same
    direct = tmp_path / "direct.yaml"
    direct.write_text(MOVED.replace("updates: wire-v1", "updates: wire-v0"), encoding="utf-8")
    other = f"sqlite:///{tmp_path}/direct.sqlite3"
    assert invoke("--db", other, "init").exit_code == 0
    assert invoke("--db", other, "import", str(direct)).exit_code == 0
    assert _stored(other) == after
    # and undone: as it was, the old earlier version superseded again
    assert invoke("undo").exit_code == 0
    assert _stored(db_url) == before
