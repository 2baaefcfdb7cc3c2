"""Copies of one statement counted once in the stored counts (statements.copy_of_id,
factdb.copies, revision 0060): every write path keeps the marker, and ``report contested`` /
``claim list`` agree with the dossier's folded counts (both backends)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from sqlalchemy import text

from factdb import copies
from factdb.counts import counts_drift, rebuild_claim_counts
from factdb.db import create_engine

BUNDLE = Path(__file__).parent / "data" / "copies.yaml"
CLAIM = "russia-interfered"


def _load(invoke) -> None:
    result = invoke("import", str(BUNDLE))
    assert result.exit_code == 0, result.output


def _json(invoke, *args: str) -> Any:
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _counts(invoke) -> dict[str, tuple[int, ...]]:
    """(statements, supporting, opposing) from claim list, with the speakers from report
    contested when the claim is contested, and the same from the dossier."""
    (listed,) = _json(invoke, "claim", "list")
    contested = _json(invoke, "report", "contested")["claims"]
    summary = _json(invoke, "report", "claim", CLAIM)["summary"]
    out = {
        "claim list": (listed["statements"], listed["supporting"], listed["opposing"]),
        "dossier": (summary["statements"], summary["supporting"], summary["opposing"]),
    }
    if contested:
        (row,) = contested
        out["contested"] = (row["statements"], row["supporting"], row["opposing"],
                            row["supporting_speakers"], row["opposing_speakers"])  # fmt: skip
    return out


def _markers(db_url: str) -> dict[str, str | None]:
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            rows = conn.execute(text(
                "SELECT s.key, c.key FROM statements s LEFT JOIN statements c ON c.id = s.copy_of_id ORDER BY s.id"
            )).all()  # fmt: skip
            assert counts_drift(conn) == []
        return dict(rows)
    finally:
        engine.dispose()


def test_an_import_marks_the_copies_and_the_counts_skip_them(db_url, invoke) -> None:
    _load(invoke)
    # FBI: afp-1 with two copies (webjosh, and newsmirror copying webjosh) is one statement,
    # Reuters another story; Peskov said "Nonsense." twice in afp-1 (two statements), webjosh
    # carries one of them; a Kremlin official in Reuters. Eight rows, five statements.
    assert _markers(db_url) == {
        "fbi-afp": None, "peskov-afp-1": None, "peskov-afp-2": None, "fbi-webjosh": "fbi-afp",
        "peskov-webjosh": "peskov-afp-1", "fbi-mirror": "fbi-afp", "fbi-reuters": None, "kremlin-reuters": None,
    }  # fmt: skip
    assert _counts(invoke) == {"claim list": (5, 2, 3), "dossier": (5, 2, 3), "contested": (5, 2, 3, 1, 2)}
    # the contested JSON shape, exactly
    assert _json(invoke, "report", "contested")["claims"] == [{
        "rank": 1, "claim": CLAIM, "text": "Russia interfered in the election", "tags": [],
        "statements": 5, "supporting": 2, "opposing": 3, "supporting_speakers": 1, "opposing_speakers": 2,
        "ratings": [],
    }]  # fmt: skip
    # a period counts its statements, copies once too
    period = _json(invoke, "report", "contested", "--since", "2024-11", "--until", "2024-11")["claims"]
    assert [(r["statements"], r["supporting"], r["opposing"]) for r in period] == [(3, 2, 1)]


def test_retracting_the_original_makes_its_copy_count(db_url, invoke) -> None:
    _load(invoke)
    assert invoke("statement", "retract", "fbi-afp", "--reason", "wrong speaker").exit_code == 0
    markers = _markers(db_url)
    # the copy in webjosh now stands for the story, newsmirror's copies it
    assert (markers["fbi-afp"], markers["fbi-webjosh"], markers["fbi-mirror"]) == (None, None, "fbi-webjosh")
    assert _counts(invoke) == {"claim list": (5, 2, 3), "dossier": (5, 2, 3), "contested": (5, 2, 3, 1, 2)}
    assert invoke("statement", "retract", "fbi-webjosh", "--reason", "copied the mistake").exit_code == 0
    assert _markers(db_url)["fbi-mirror"] is None
    assert _counts(invoke)["claim list"] == (5, 2, 3)
    assert invoke("statement", "retract", "fbi-mirror", "--reason", "copied the mistake").exit_code == 0
    assert _counts(invoke) == {"claim list": (4, 1, 3), "dossier": (4, 1, 3), "contested": (4, 1, 3, 1, 2)}


def test_a_source_leaving_its_story_takes_its_copies_along(db_url, invoke) -> None:
    _load(invoke)
    # webjosh-1 no longer republishes afp-1: it is a story of its own, and mirror-1 (which
    # copies webjosh-1) goes with it
    assert invoke("source", "edit", "webjosh-1", "--republishes", "").exit_code == 0
    markers = _markers(db_url)
    assert (markers["fbi-webjosh"], markers["fbi-mirror"], markers["peskov-webjosh"]) == (None, "fbi-webjosh", None)
    assert _counts(invoke) == {"claim list": (7, 3, 4), "dossier": (7, 3, 4), "contested": (7, 3, 4, 1, 2)}
    # and back
    assert invoke("source", "edit", "webjosh-1", "--republishes", "afp-1").exit_code == 0
    assert _counts(invoke) == {"claim list": (5, 2, 3), "dossier": (5, 2, 3), "contested": (5, 2, 3, 1, 2)}


def test_edits_and_new_statements_keep_the_marker(db_url, invoke) -> None:
    _load(invoke)
    # another quote is another statement: the copy becomes one of its own
    assert invoke("statement", "edit", "fbi-mirror", "--quote", "Russia meddled.").exit_code == 0
    assert _markers(db_url)["fbi-mirror"] is None
    assert _counts(invoke)["claim list"] == (6, 3, 3)
    # a new statement copying the Reuters one in a source that republishes reuters-1
    assert invoke("source", "add", "--key", "repost-1", "--outlet", "webjosh", "--republishes", "reuters-1").exit_code == 0
    added = invoke("attribute", CLAIM, "--anonymous", "A Kremlin official ", "--affiliation", "Russia",
                   "--stance", "denies", "--source", "repost-1", "--key", "kremlin-repost")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert _markers(db_url)["kremlin-repost"] == "kremlin-reuters"
    assert _counts(invoke) == {"claim list": (6, 3, 3), "dossier": (6, 3, 3), "contested": (6, 3, 3, 1, 2)}
    # moving the original to another story leaves its copy standing alone
    assert invoke("statement", "edit", "kremlin-reuters", "--source", "afp-1").exit_code == 0
    markers = _markers(db_url)
    assert (markers["kremlin-reuters"], markers["kremlin-repost"]) == (None, None)
    assert _counts(invoke)["claim list"] == (7, 3, 4)


def test_undo_restores_the_counts(db_url, invoke) -> None:
    _load(invoke)
    assert invoke("statement", "retract", "fbi-afp", "--reason", "wrong speaker").exit_code == 0
    assert invoke("statement", "retract", "fbi-webjosh", "--reason", "wrong").exit_code == 0
    assert _counts(invoke)["claim list"] == (5, 2, 3)  # newsmirror's copy stands for the story
    undone = invoke("undo")
    assert undone.exit_code == 0, undone.output
    markers = _markers(db_url)
    assert (markers["fbi-webjosh"], markers["fbi-mirror"]) == (None, "fbi-webjosh")
    assert _counts(invoke)["claim list"] == (5, 2, 3)


def _generated(seed: int) -> list[dict[str, Any]]:
    """A bundle of random claims, stories and copies (about 20% of sources copy another,
    chains of copies included), with quotes that differ only in typography, repeated speakers
    in one source, anonymous speakers, no-comments and retractions."""
    rng = random.Random(seed)
    lines: list[dict[str, Any]] = []
    speakers = [f"Speaker {i}" for i in range(6)]
    lines += [{"type": "entity", "name": n, "kind": "person"} for n in speakers]
    lines += [{"type": "entity", "name": f"Outlet {i}", "kind": "media"} for i in range(5)]
    lines.append({"type": "entity", "name": "Agency", "kind": "government"})
    sources: list[str] = []
    for i in range(40):
        record: dict[str, Any] = {"type": "source", "key": f"src-{i}", "outlet": f"Outlet {rng.randrange(5)}"}
        if sources and rng.random() < 0.35:
            record["republishes"] = rng.choice(sources)
        sources.append(record["key"])
        lines.append(record)
    claims = [f"claim-{i}" for i in range(8)]
    lines += [{"type": "claim", "key": key, "text": f"Text of {key}"} for key in claims]
    quotes = ["We did it.", "\u201cWe did it\u201d", "we did  it", "Never.", None]
    for i in range(400):
        record = {"type": "statement", "key": f"st-{i}", "claim": rng.choice(claims), "source": rng.choice(sources),
                  "stance": rng.choice(["asserts", "asserts", "denies", "disputes", "acknowledges", "no-comment"])}  # fmt: skip
        if rng.random() < 0.2:
            record["speaker_description"] = rng.choice(["an official", "An official ", "a source"])
            if rng.random() < 0.5:
                record["speaker_affiliation"] = "Agency"
        else:
            record["speaker"] = rng.choice(speakers[:3])
        quote = rng.choice(quotes)
        if quote is not None:
            record["quote"], record["quote_kind"] = quote, "direct"
        if rng.random() < 0.05:
            record["retracted"] = {"at": "2024-01-01T00:00:00Z", "reason": "test"}
        lines.append(record)
    return lines


def test_maintained_counts_equal_the_dossiers_folded_counts_on_generated_data(db_url, invoke, tmp_path) -> None:
    for seed in (1, 2):
        bundle = tmp_path / f"generated-{seed}.jsonl"
        bundle.write_text("".join(json.dumps(line) + "\n" for line in _generated(seed)))
        result = invoke("import", str(bundle), "--format", "jsonl")
        assert result.exit_code == 0, result.output
        # the bundle reuses keys: the second seed updates the first's rows (stories change)
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
        assert _copies_in(db_url) > 0
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:  # a full recount gives the same counts
            rebuild_claim_counts(conn)
            assert counts_drift(conn) == []
        with engine.connect() as conn:
            after = {key: (s + o, s, o) for key, s, o in conn.execute(text(
                "SELECT key, support_statements, oppose_statements FROM claims"))}  # fmt: skip
        assert after == listed
    finally:
        engine.dispose()


def test_the_stories_computed_once_for_many_chunks_mark_the_same(db_url, invoke, tmp_path, monkeypatch) -> None:
    # two claims per chunk: the import's marking goes through the table of every source's
    # story (factdb.copies._STORIES) as a large load does, with the same counts and markers
    monkeypatch.setattr(copies, "_CHUNK", 2)
    test_maintained_counts_equal_the_dossiers_folded_counts_on_generated_data(db_url, invoke, tmp_path)
    assert_both_paths_mark_alike(db_url, monkeypatch)


def assert_both_paths_mark_alike(db_url: str, monkeypatch) -> None:
    """The markers a test left (through the table of stories: ``_CHUNK`` of 2) are what the
    one-query path gives from none, and what the stories path gives again from wrong ones."""
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:  # the same markers from the one-query path
            marked = _all_markers(conn)
            assert any(marked.values())
            conn.execute(text("UPDATE statements SET copy_of_id = NULL"))
            ids = [row[0] for row in conn.execute(text("SELECT id FROM claims"))]
            monkeypatch.setattr(copies, "_CHUNK", len(ids))
            copies.mark_copies(conn, ids)
            assert _all_markers(conn) == marked
            assert counts_drift(conn) == []
            # wrong markers, through the table of stories again: each copy unmarked, each
            # statement that is no copy marked as a copy of the one before it; all put right
            conn.execute(text("UPDATE statements SET copy_of_id = CASE WHEN copy_of_id IS NULL "
                              "THEN (SELECT max(o.id) FROM statements o WHERE o.id < statements.id) END"))
            assert _all_markers(conn) != marked
            monkeypatch.setattr(copies, "_CHUNK", 2)
            copies.mark_copies(conn, ids)
            assert _all_markers(conn) == marked
            assert counts_drift(conn) == []
            # the stories folded one at a time (whole stories only), and only some claims:
            # the others keep their markers, right or wrong
            monkeypatch.setattr(copies, "_STORY_ROWS", 1)
            conn.execute(text("UPDATE statements SET copy_of_id = NULL"))
            half = ids[::2]
            copies.mark_copies(conn, half)
            claim_of = dict(conn.execute(text("SELECT id, claim_id FROM statements")).all())
            assert {claim_of[rid] in set(half) for rid, copy_of in marked.items() if copy_of} == {True, False}
            assert _all_markers(conn) == {
                rid: copy_of if claim_of[rid] in set(half) else None for rid, copy_of in marked.items()
            }
            copies.mark_copies(conn, ids)
            assert _all_markers(conn) == marked
            assert counts_drift(conn) == []
    finally:
        engine.dispose()


def _all_markers(conn: Any) -> dict[int, int | None]:
    return dict(conn.execute(text("SELECT id, copy_of_id FROM statements")).all())


def _copies_in(db_url: str) -> int:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM statements WHERE copy_of_id IS NOT NULL")).scalar())
    finally:
        engine.dispose()
