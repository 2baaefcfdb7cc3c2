"""Several anonymous speakers in one statement (revision 0063): a joint speaker has the first
speaker's anonymous kind (group, reports) and anonymous id, and is counted exactly as the first
speaker is: an anonymous id is one speaker within its source, unspecified reports are a
statement but never a speaker."""

from __future__ import annotations

import json

import pytest
from report_data import add_statement
from speaker_support import imported_elsewhere
from sqlalchemy import update
from sqlalchemy.orm import Session
from test_counts import counts_of, speakers_of, world

from factdb.counts import counts_drift, rebuild_claim_counts, suspended_claim_count_triggers
from factdb.db import create_engine
from factdb.migrate import migrate
from factdb.models import Source, Statement, StatementSpeaker


@pytest.fixture
def session(engine):
    with Session(engine) as session, session.begin():
        yield session


def _joint(session: Session, statement: Statement, position: int, description: str, kind: str | None = None,
           anonymous_id: str | None = None) -> StatementSpeaker:
    row = StatementSpeaker(statement_id=statement.id, position=position, speaker_description=description,
                           anonymous_kind=kind, anonymous_id=anonymous_id)
    session.add(row)
    session.flush()
    return row


def test_a_joint_anonymous_speaker_counts_as_a_first_one(session: Session) -> None:
    w = world(session)
    source = w["source"].id
    # "a senior official" (A1) speaks first in s1 and jointly in s2 as "the official": one speaker
    s1 = add_statement(session, "s1", w["arms"], w["source"], "asserts", description="a senior official")
    s1.anonymous_id = "A1"
    s2 = add_statement(session, "s2", w["arms"], w["source"], "asserts", speaker=w["panetta"])
    session.flush()
    _joint(session, s2, 1, "the official", anonymous_id="A1")
    # unspecified reports beside officials: the statement counts, the reports are nobody
    _joint(session, s2, 2, "media reports", kind="reports")
    _joint(session, s2, 3, "officials", kind="group")
    assert counts_of(session)["arms"] == (2, 0, 3, 0)
    assert speakers_of(session) == sorted([
        ("arms", "support", f"a#{source}#A1", 2),
        ("arms", "support", "a:officials|", 1),
        ("arms", "support", f"e:{w['panetta'].id}", 1),
    ])
    conn = session.connection()
    assert counts_drift(conn) == []
    # the reports become a group, then reports again
    conn.execute(update(StatementSpeaker).where(StatementSpeaker.position == 2).values(anonymous_kind="group"))
    assert counts_of(session)["arms"] == (2, 0, 4, 0)
    conn.execute(update(StatementSpeaker).where(StatementSpeaker.position == 2).values(anonymous_kind="reports"))
    assert counts_of(session)["arms"] == (2, 0, 3, 0)
    # the id is the source's: s2 moved to another source has another A1
    other = Source(key="reuters-1", outlet_id=w["source"].outlet_id)
    session.add(other)
    session.flush()
    conn.execute(update(Statement).where(Statement.id == s2.id).values(source_id=other.id))
    assert counts_of(session)["arms"] == (2, 0, 4, 0)
    assert ("arms", "support", f"a#{other.id}#A1", 1) in speakers_of(session)
    assert counts_drift(conn) == []
    conn.execute(update(Statement).where(Statement.id == s2.id).values(source_id=source))
    assert counts_of(session)["arms"] == (2, 0, 3, 0)
    # the id cleared: "the official" is a speaker of its own
    conn.execute(update(StatementSpeaker).where(StatementSpeaker.position == 1).values(anonymous_id=None))
    assert counts_of(session)["arms"] == (2, 0, 4, 0)
    before = (counts_of(session), speakers_of(session))
    assert counts_drift(conn) == []
    rebuild_claim_counts(conn)
    assert (counts_of(session), speakers_of(session)) == before
    # a bulk load counts them the same way
    with suspended_claim_count_triggers(conn):
        s3 = add_statement(session, "s3", w["trains"], w["source"], "denies", speaker=w["tehran"])
        session.flush()
        _joint(session, s3, 1, "media reports", kind="reports")
        _joint(session, s3, 2, "an official", anonymous_id="B7")
    assert counts_of(session)["trains"] == (0, 1, 0, 2)
    assert counts_drift(conn) == []


def test_the_database_refuses_a_kind_or_id_on_a_named_joint_speaker(session: Session) -> None:
    w = world(session)
    s1 = add_statement(session, "s1", w["arms"], w["source"], "asserts", speaker=w["panetta"])
    session.flush()
    session.add(StatementSpeaker(statement_id=s1.id, position=1, speaker_id=w["gates"].id, anonymous_kind="group"))
    with pytest.raises(Exception, match="(?i)check"):
        session.flush()


# --- the CLI ---------------------------------------------------------------------------------


def _story(invoke) -> None:
    for args in (
        ["source", "add", "--key", "afp-1", "--outlet", "AFP", "--create"],
        ["source", "add", "--key", "afp-2", "--outlet", "AFP"],
        ["claim", "add", "Russia interfered in the election", "--key", "russia-interfered"],
        ["entity", "add", "FBI", "--kind", "organization"],
    ):
        result = invoke(*args)
        assert result.exit_code == 0, result.output


def _attribute(invoke, *args: str):
    return invoke("attribute", "russia-interfered", "--stance", "asserts", "--source", "afp-1", *args)


def _counts(engine) -> list[tuple]:
    with engine.connect() as conn:
        assert counts_drift(conn) == []
        return [tuple(row) for row in conn.exec_driver_sql("SELECT support_statements, support_speakers FROM claims")]


def test_several_anonymous_speakers_in_the_cli_reports_and_a_bundle(db_url, invoke, engine, tmp_path) -> None:
    _story(invoke)
    # each --affiliation, --anonymous-kind, --anon-id describes the --anonymous it follows
    first = _attribute(invoke, "--anonymous", "U.S. officials", "--anonymous-kind", "group",
                       "--anonymous", "media reports", "--anonymous-kind=reports",
                       "--anonymous", "a senior official", "--affiliation", "FBI", "--anon-id", "A1", "--key", "joint")
    assert (first.exit_code, first.stdout) == (0, (
        "Recorded statement 1 (joint): [U.S. officials] (group), (unattributed reports: media reports) and "
        "[a senior official] asserts russia-interfered.\n"))
    # the same A1 later in the same article, first speaker: one speaker
    later = _attribute(invoke, "--anonymous", "the official", "--anon-id", "A1", "--key", "later")
    assert later.exit_code == 0, later.output
    assert _counts(engine) == [(2, 2)]  # officials and A1; the reports are nobody
    shown = json.loads(invoke("statement", "show", "joint", "--format", "json").stdout)
    assert shown["speakers"] == [
        {"name": "U.S. officials", "kind": "group", "anonymous": True, "affiliation": None, "anonymous_id": None},
        {"name": "media reports", "kind": "reports", "anonymous": True, "affiliation": None, "anonymous_id": None},
        {"name": "a senior official", "kind": None, "anonymous": True, "affiliation": "FBI", "anonymous_id": "A1"},
    ]
    report = json.loads(invoke("report", "claim", "russia-interfered", "--format", "json").stdout)
    summary = report["summary"]
    assert (summary["statements"], summary["speakers"], summary["anonymous_speakers"]) == (2, 2, 2)
    assert [(g["party"], [(s["speaker"], s["statements"]) for s in g["speakers"]])
            for g in report["sides"]["support"]] == [
        # A1 speaks for the FBI in one statement, for no one said in the other
        (None, [("U.S. officials", 1), ("a senior official", 1)]), ("FBI", [("a senior official", 1)])]
    text = " ".join(invoke("report", "claim", "russia-interfered").stdout.split())
    assert ("U.S. officials (anonymous group), (unattributed reports: media reports) and a senior official "
            "(FBI, anonymous) asserts") in text
    # the bundle carries each joint speaker's kind and id, and exports the same again
    exported = invoke("export").stdout
    assert (
        "  joint_speakers:\n  - speaker_description: media reports\n    anonymous_kind: reports\n"
        "  - speaker_description: a senior official\n    speaker_affiliation: FBI\n    anonymous_id: A1\n"
    ) in exported
    other = imported_elsewhere(exported, tmp_path)
    assert other("report", "claim", "russia-interfered", "--format", "json").stdout == invoke(
        "report", "claim", "russia-interfered", "--format", "json").stdout
    # edit: the joint A1 in another source is another speaker; then the speakers replaced
    assert invoke("statement", "edit", "joint", "--source", "afp-2").exit_code == 0
    assert _counts(engine) == [(2, 3)]
    edited = invoke("statement", "edit", "joint", "--speaker", "FBI", "--anonymous", "officials",
                    "--anonymous-kind", "reports")
    assert (edited.exit_code, edited.stdout) == (0, "Updated statement 1 (joint).\n")
    assert _counts(engine) == [(2, 2)]  # FBI and the later A1
    shown = json.loads(invoke("statement", "show", "joint", "--format", "json").stdout)
    assert [(s["name"], s["kind"]) for s in shown["speakers"]] == [("FBI", "organization"), ("officials", "reports")]
    undone = invoke("undo")
    assert undone.exit_code == 0, undone.output
    assert _counts(engine) == [(2, 3)]
    shown = json.loads(invoke("statement", "show", "joint", "--format", "json").stdout)
    assert [(s["name"], s["kind"], s["anonymous_id"]) for s in shown["speakers"]] == [
        ("U.S. officials", "group", None), ("media reports", "reports", None), ("a senior official", None, "A1")]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--anonymous", "an official", "--anon-id", "A1", "--anonymous", "the official", "--anon-id", "A1"], 1,
         'Error: speaker "the official (A1)" is given twice; give each joint speaker once\n'),
        (["--speaker", "FBI", "--anonymous", "officials", "--anonymous-kind", "group", "--anonymous-kind", "group"],
         2, 'Error: --anonymous-kind is given twice for the speaker "officials"; give it once, after the '
            "--anonymous it describes.\n"),
        (["--anonymous", "officials", "--anonymous", "a diplomat", "--anon-id", "x" * 41], 1,
         "Error: anonymous id: 41 characters is longer than the limit of 40\n"),
    ],
)
def test_joint_anonymous_speakers_refused(db_url, invoke, counts, args, code, message) -> None:
    _story(invoke)
    before = counts()
    result = _attribute(invoke, *args)
    assert (result.exit_code, result.stderr) == (code, message)
    assert counts() == before


@pytest.mark.parametrize(
    ("joint", "problem"),
    [
        ([{"speaker": "FBI", "anonymous_kind": "group"}],
         "joint_speakers[0].anonymous_kind: describes an anonymous speaker: give a speaker_description, not a speaker"),
        ([{"speaker_description": "officials", "anonymous_kind": "many"}], "joint_speakers[0].anonymous_kind"),
        ([{"speaker_description": "officials", "anonymous_id": "x" * 41}],
         "joint_speakers[0].anonymous_id: 41 characters is longer than the limit of 40"),
        ([{"speaker_description": "a diplomat", "anonymous_id": "A1"}], "this speaker is given twice"),
    ],
)
def test_a_bundle_refuses_bad_joint_anonymous_speakers(db_url, invoke, tmp_path, counts, joint, problem) -> None:
    _story(invoke)
    before = counts()
    bundle = {"statements": [{"claim": "russia-interfered", "speaker_description": "an official",
                              "anonymous_id": "A1", "stance": "asserts", "source": "afp-1", "joint_speakers": joint}]}
    (tmp_path / "bad.json").write_text(json.dumps(bundle))
    result = invoke("import", str(tmp_path / "bad.json"))
    assert result.exit_code != 0
    assert problem in result.output
    assert counts() == before


def test_revision_0063_downgrade_counts_the_joint_speakers_by_description(db_url, invoke) -> None:
    _story(invoke)
    _attribute(invoke, "--speaker", "FBI", "--anonymous", "media reports", "--anonymous-kind", "reports",
               "--anonymous", "an official", "--anon-id", "A1")
    _attribute(invoke, "--anonymous", "the official", "--anon-id", "A1")
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT support_statements, support_speakers FROM claims").all() == [(2, 2)]
        assert migrate(engine, "0062")[1] == "0062"
        with engine.connect() as conn:  # revision 0025's rule: each joint speaker by its description
            assert conn.exec_driver_sql("SELECT support_statements, support_speakers FROM claims").all() == [(2, 4)]
        migrate(engine, "head")
        with engine.connect() as conn:
            assert counts_drift(conn) == []
            assert conn.exec_driver_sql("SELECT support_statements, support_speakers FROM claims").all() == [(2, 4)]
    finally:
        engine.dispose()


def test_a_merge_keeps_a_joint_speaker_its_anonymous_id_tells_apart(db_url, invoke, engine) -> None:
    # "an official" of the FBI, and beside him another official (A2) of the Bureau, a duplicate
    # of the FBI: merged, the two share description and affiliation, but A2 is its own speaker
    _story(invoke)
    assert invoke("entity", "add", "Bureau", "--kind", "organization").exit_code == 0
    assert _attribute(invoke, "--anonymous", "an official", "--affiliation", "FBI", "--anonymous", "an official",
                      "--affiliation", "Bureau", "--anon-id", "A2", "--key", "two-officials").exit_code == 0
    assert _counts(engine) == [(1, 2)]
    merged = invoke("entity", "merge", "Bureau", "FBI")
    assert merged.exit_code == 0, merged.output
    shown = json.loads(invoke("statement", "show", "two-officials", "--format", "json").stdout)
    assert [(s["name"], s["affiliation"], s["anonymous_id"]) for s in shown["speakers"]] == [
        ("an official", "FBI", None), ("an official", "FBI", "A2")]
    assert _counts(engine) == [(1, 2)]


def test_statement_list_speaker_finds_joint_speakers_and_their_affiliations(db_url, invoke) -> None:
    _story(invoke)
    assert invoke("entity", "add", "CNN", "--kind", "media").exit_code == 0
    assert _attribute(invoke, "--speaker", "CNN", "--speaker", "FBI", "--key", "cnn-fbi").exit_code == 0
    assert _attribute(invoke, "--speaker", "CNN", "--anonymous", "agents", "--affiliation", "FBI",
                      "--key", "cnn-agents").exit_code == 0
    assert _attribute(invoke, "--speaker", "CNN", "--key", "cnn-alone").exit_code == 0
    listed = json.loads(invoke("statement", "list", "--speaker", "FBI", "--format", "json").stdout)
    assert [s["key"] for s in listed] == ["cnn-fbi", "cnn-agents"]


def test_unspecified_reports_may_come_first_beside_other_speakers(db_url, invoke, engine, tmp_path) -> None:
    # "media reports and U.S. officials said": the reports first, nobody; the officials counted
    _story(invoke)
    said = _attribute(invoke, "--anonymous", "media reports", "--anonymous-kind", "reports",
                      "--anonymous", "U.S. officials", "--anonymous-kind", "group", "--key", "reports-first")
    assert (said.exit_code, said.stdout) == (0, (
        "Recorded statement 1 (reports-first): (unattributed reports: media reports) and [U.S. officials] (group) "
        "asserts russia-interfered.\n"))
    assert _counts(engine) == [(1, 1)]
    imported_elsewhere(invoke("export").stdout, tmp_path)


def test_report_timeline_speaker_finds_joint_speakers(db_url, invoke) -> None:
    _story(invoke)
    assert invoke("entity", "add", "CNN", "--kind", "media").exit_code == 0
    assert _attribute(invoke, "--speaker", "CNN", "--speaker", "FBI", "--said-on", "2024-10",
                      "--key", "cnn-fbi").exit_code == 0
    assert _attribute(invoke, "--speaker", "CNN", "--said-on", "2024-11", "--key", "cnn-alone").exit_code == 0
    timeline = json.loads(invoke("report", "timeline", "--speaker", "FBI", "--format", "json").stdout)
    assert [(s["key"], s["speaker"]) for s in timeline["chronology"]] == [("cnn-fbi", "CNN and FBI")]
