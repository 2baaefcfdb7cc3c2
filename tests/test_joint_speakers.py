"""Joint speakers (revision 0025): one statement, several speakers, each counted as a speaker
of the claim; the statement counted once (factdb.counts, "joint speakers")."""

from __future__ import annotations

import json
from typing import Any

import pytest
from report_data import add_statement
from speaker_support import imported_elsewhere
from sqlalchemy import delete, update
from sqlalchemy.orm import Session
from test_counts import RETRACTED, counts_of, speakers_of, world

from factdb.counts import counts_drift, rebuild_claim_counts, suspended_claim_count_triggers
from factdb.models import Statement, StatementSpeaker


@pytest.fixture
def session(engine):
    with Session(engine) as session, session.begin():
        yield session


def joint(session: Session, statement: Statement, *speakers: Any) -> None:
    """Add joint speakers: an entity, or (description, affiliation entity or None)."""
    for position, who in enumerate(speakers, start=1):
        if isinstance(who, tuple):
            row = StatementSpeaker(statement_id=statement.id, position=position, speaker_description=who[0],
                                   speaker_affiliation_id=who[1].id if who[1] is not None else None)
        else:
            row = StatementSpeaker(statement_id=statement.id, position=position, speaker_id=who.id)
        session.add(row)
    session.flush()


def test_each_joint_speaker_counts_and_the_statement_once(session: Session) -> None:
    w = world(session)
    s1 = add_statement(session, "s1", w["arms"], w["source"], "asserts", speaker=w["panetta"])
    session.flush()
    joint(session, s1, w["gates"], ("a US official", w["usa"]))
    add_statement(session, "s2", w["arms"], w["source"], "asserts", speaker=w["gates"])
    session.flush()
    assert counts_of(session)["arms"] == (2, 0, 3, 0)
    usa = w["usa"].id
    assert speakers_of(session) == sorted([
        ("arms", "support", f"a:a us official|{usa}", 1),
        ("arms", "support", f"e:{w['gates'].id}", 2),
        ("arms", "support", f"e:{w['panetta'].id}", 1),
    ])
    assert counts_drift(session.connection()) == []


def test_the_statement_moves_and_takes_its_joint_speakers(session: Session) -> None:
    w = world(session)
    s1 = add_statement(session, "s1", w["arms"], w["source"], "asserts", speaker=w["panetta"])
    session.flush()
    joint(session, s1, w["gates"], w["usa"])
    conn = session.connection()
    conn.execute(update(Statement).where(Statement.id == s1.id).values(stance="denies"))
    assert counts_of(session)["arms"] == (0, 1, 0, 3)
    conn.execute(update(Statement).where(Statement.id == s1.id).values(claim_id=w["trains"].id))
    assert counts_of(session) == {"arms": (0, 0, 0, 0), "trains": (0, 1, 0, 3)}
    conn.execute(update(Statement).where(Statement.id == s1.id).values(
        retracted_at=RETRACTED[0], retraction_reason=RETRACTED[1]))
    assert counts_of(session)["trains"] == (0, 0, 0, 0)
    assert speakers_of(session) == []
    conn.execute(update(Statement).where(Statement.id == s1.id).values(retracted_at=None, retraction_reason=None))
    assert counts_of(session)["trains"] == (0, 1, 0, 3)
    # a joint speaker changed, removed; then the statement deleted with the rest
    conn.execute(update(StatementSpeaker).where(StatementSpeaker.position == 2).values(speaker_id=w["gates"].id,
                                                                                     position=3))
    assert counts_of(session)["trains"] == (0, 1, 0, 2)  # gates twice in one statement is one speaker
    assert counts_drift(conn) == []
    conn.execute(delete(StatementSpeaker).where(StatementSpeaker.position == 3))
    assert counts_of(session)["trains"] == (0, 1, 0, 2)
    assert counts_drift(conn) == []
    conn.execute(delete(Statement).where(Statement.id == s1.id))
    assert counts_of(session)["trains"] == (0, 0, 0, 0)
    assert speakers_of(session) == []
    assert counts_drift(conn) == []


def test_rebuild_and_drift_count_joint_speakers(session: Session) -> None:
    w = world(session)
    s1 = add_statement(session, "s1", w["arms"], w["source"], "asserts", speaker=w["panetta"])
    add_statement(session, "s2", w["arms"], w["source"], "denies", speaker=w["tehran"])
    session.flush()
    joint(session, s1, w["gates"])
    conn = session.connection()
    before = (counts_of(session), speakers_of(session))
    conn.exec_driver_sql("UPDATE claims SET support_speakers = 0")
    assert counts_drift(conn) == [w["arms"].id]
    rebuild_claim_counts(conn)
    assert (counts_of(session), speakers_of(session)) == before
    assert counts_of(session)["arms"] == (1, 1, 2, 1)
    with suspended_claim_count_triggers(conn):
        s3 = add_statement(session, "s3", w["trains"], w["source"], "asserts", speaker=w["usa"])
        session.flush()
        joint(session, s3, w["tehran"])
    assert counts_of(session)["trains"] == (1, 0, 2, 0)
    assert counts_drift(conn) == []


# --- the CLI: attribute, show, list, reports, edit, undo, bundles ----------------------------


def _story(invoke) -> None:
    for args in (
        ["entity", "add", "CNN", "--kind", "media"],
        ["entity", "add", "Clemson Media Forensics Hub", "--kind", "organization"],
        ["entity", "add", "Clemson University", "--kind", "organization"],
        ["entity", "add", "Russia", "--kind", "government"],
        ["source", "add", "--key", "cnn-2024-10-01", "--outlet", "CNN", "--published", "2024-10-01"],
        ["claim", "add", "Russia ran a network of fake accounts", "--key", "russia-fake-accounts"],
    ):
        result = invoke(*args)
        assert result.exit_code == 0, result.output


def test_attribute_with_joint_speakers_names_and_counts_each(db_url, invoke) -> None:
    _story(invoke)
    result = invoke("attribute", "russia-fake-accounts", "--speaker", "CNN", "--speaker",
                    "Clemson Media Forensics Hub", "--anonymous", "researchers", "--affiliation",
                    "Clemson University", "--stance", "asserts", "--source", "cnn-2024-10-01", "--key", "cnn-found")
    assert (result.exit_code, result.stdout) == (
        0, "Recorded statement 1 (cnn-found): CNN, Clemson Media Forensics Hub and [researchers] asserts "
           "russia-fake-accounts.\n")
    record = json.loads(invoke("statement", "show", "cnn-found", "--format", "json").stdout)
    assert record["speaker"] == {"name": "CNN", "kind": "media", "anonymous": False}
    assert record["speakers"] == [
        {"name": "CNN", "kind": "media", "anonymous": False, "affiliation": None, "anonymous_id": None},
        {"name": "Clemson Media Forensics Hub", "kind": "organization", "anonymous": False, "affiliation": None,
         "anonymous_id": None},
        {"name": "researchers", "kind": None, "anonymous": True, "affiliation": "Clemson University",
         "anonymous_id": None},
    ]
    assert record["speaker_affiliation"] is None
    listed = json.loads(invoke("claim", "list", "--format", "json").stdout)
    assert [(c["supporting"], c["statements"]) for c in listed] == [(1, 1)]
    report = json.loads(invoke("report", "claim", "russia-fake-accounts", "--format", "json").stdout)
    summary = report["summary"]
    assert (summary["statements"], summary["speakers"], summary["named_speakers"], summary["anonymous_speakers"]) == (
        1, 3, 2, 1)
    assert [(g["party"], g["speakers"]) for g in report["sides"]["support"]] == [
        ("CNN", [{"speaker": "CNN", "anonymous": False, "statements": 1}]),
        ("Clemson Media Forensics Hub",
         [{"speaker": "Clemson Media Forensics Hub", "anonymous": False, "statements": 1}]),
        ("Clemson University", [{"speaker": "researchers", "anonymous": True, "statements": 1}]),
    ]
    text = invoke("report", "claim", "russia-fake-accounts").stdout
    # (the line wraps at the terminal's width)
    assert "[+] date unknown CNN, Clemson Media Forensics Hub and researchers (Clemson University, anonymous) asserts certainty:" in " ".join(
        text.split())
    entity = invoke("report", "entity", "Clemson Media Forensics Hub").stdout
    assert "statements: 1 on 1 claim(s): 1 supporting [+], 0 opposing [-]; 1 its own" in entity
    affiliated = invoke("report", "entity", "Clemson University").stdout
    assert "1 anonymous affiliated" in affiliated


def test_joint_speakers_refused_twice_and_edited_and_undone(db_url, invoke, counts, engine) -> None:
    _story(invoke)
    before = counts()
    twice = invoke("attribute", "russia-fake-accounts", "--speaker", "CNN", "--speaker", "CNN",
                   "--stance", "asserts", "--source", "cnn-2024-10-01")
    assert (twice.exit_code, twice.stderr) == (1, 'Error: speaker "CNN" is given twice; give each joint speaker once\n')
    assert counts() == before
    invoke("attribute", "russia-fake-accounts", "--speaker", "CNN", "--stance", "asserts",
           "--source", "cnn-2024-10-01", "--key", "cnn-found")
    edited = invoke("statement", "edit", "cnn-found", "--speaker", "CNN", "--speaker", "Clemson Media Forensics Hub")
    assert (edited.exit_code, edited.stdout) == (0, "Updated statement 1 (cnn-found).\n")
    row = invoke("statement", "list", "--format", "csv").stdout.splitlines()[1]
    assert "CNN and Clemson Media Forensics Hub" in row
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT support_statements, support_speakers FROM claims").all() == [(1, 2)]
    undone = invoke("undo")
    assert undone.exit_code == 0, undone.output
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT support_statements, support_speakers FROM claims").all() == [(1, 1)]
        assert counts_drift(conn) == []
    assert json.loads(invoke("statement", "show", "1", "--format", "json").stdout)["speakers"] == [
        {"name": "CNN", "kind": "media", "anonymous": False, "affiliation": None, "anonymous_id": None}]


def test_joint_speakers_travel_in_a_bundle(db_url, invoke, tmp_path) -> None:
    _story(invoke)
    invoke("attribute", "russia-fake-accounts", "--speaker", "CNN", "--speaker", "Clemson Media Forensics Hub",
           "--anonymous", "researchers", "--affiliation", "Clemson University", "--stance", "asserts",
           "--source", "cnn-2024-10-01", "--key", "cnn-found")
    exported = invoke("export").stdout
    assert (
        "  joint_speakers:\n  - speaker: Clemson Media Forensics Hub\n"
        "  - speaker_description: researchers\n    speaker_affiliation: Clemson University\n"
    ) in exported
    other = imported_elsewhere(exported, tmp_path)  # the same bundle exported again
    again = other("report", "claim", "russia-fake-accounts", "--format", "json")
    assert json.loads(again.stdout)["summary"]["speakers"] == json.loads(
        invoke("report", "claim", "russia-fake-accounts", "--format", "json").stdout)["summary"]["speakers"]


@pytest.mark.parametrize(
    ("joint", "problem"),
    [
        ([{"speaker": "CNN", "speaker_description": "x"}], "give a speaker or a speaker_description, not both"),
        ([{"speaker": "CNN", "speaker_affiliation": "CNN"}], "a speaker_affiliation goes with a speaker_description"),
        ([{"speaker": "Clemson University"}, {"speaker": "Russia"}], "this speaker is given twice"),
    ],
)
def test_a_bundle_refuses_bad_joint_speakers(db_url, invoke, tmp_path, counts, joint, problem) -> None:
    _story(invoke)
    before = counts()
    bundle = {"statements": [{"claim": "russia-fake-accounts", "speaker": "Russia", "stance": "asserts",
                              "source": "cnn-2024-10-01", "joint_speakers": joint}]}
    (tmp_path / "bad.json").write_text(json.dumps(bundle))
    result = invoke("import", str(tmp_path / "bad.json"))
    assert result.exit_code != 0
    assert problem in result.output
    assert counts() == before
