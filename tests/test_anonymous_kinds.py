"""Plural and generic anonymous speakers (revision 0027): a plural group ("officials"),
unspecified reports ("media reports said": counted as a statement, never as a speaker), and one
anonymous speaker across descriptions in a source (``anonymous_id``)."""

from __future__ import annotations

import json

import pytest
from speaker_support import imported_elsewhere
from sqlalchemy import update
from sqlalchemy.orm import Session
from test_counts import counts_of, speakers_of, world

from factdb.counts import counts_drift, rebuild_claim_counts
from factdb.models import Statement


@pytest.fixture
def session(engine):
    with Session(engine) as session, session.begin():
        yield session


def _add(session: Session, key: str, w, stance: str, description: str, kind: str | None = None,
         anonymous_id: str | None = None) -> Statement:
    statement = Statement(key=key, claim_id=w["arms"].id, source_id=w["source"].id, stance=stance,
                          speaker_description=description, anonymous_kind=kind, anonymous_id=anonymous_id)
    session.add(statement)
    session.flush()
    return statement


def test_reports_count_as_statements_not_speakers_and_ids_join_descriptions(session: Session) -> None:
    w = world(session)
    source = w["source"].id
    _add(session, "s1", w, "asserts", "a senior official", anonymous_id="A1")
    _add(session, "s2", w, "asserts", "the official", anonymous_id="A1")
    _add(session, "s3", w, "asserts", "officials", kind="group")
    reports = _add(session, "s4", w, "asserts", "media reports", kind="reports")
    _add(session, "s5", w, "denies", "officials", kind="reports")
    assert counts_of(session)["arms"] == (4, 1, 2, 0)
    assert speakers_of(session) == [("arms", "support", f"a#{source}#A1", 2), ("arms", "support", "a:officials|", 1)]
    conn = session.connection()
    assert counts_drift(conn) == []
    # reports become a group of the same description as another statement's speaker, and back
    conn.execute(update(Statement).where(Statement.id == reports.id).values(speaker_description="officials",
                                                                           anonymous_kind="group"))
    assert speakers_of(session)[1] == ("arms", "support", "a:officials|", 2)
    conn.execute(update(Statement).where(Statement.id == reports.id).values(anonymous_kind="reports"))
    assert counts_of(session)["arms"] == (4, 1, 2, 0)
    assert speakers_of(session)[1] == ("arms", "support", "a:officials|", 1)
    conn.execute(update(Statement).where(Statement.key == "s5").values(anonymous_kind="group"))
    assert counts_of(session)["arms"] == (4, 1, 2, 1)
    conn.execute(update(Statement).where(Statement.key == "s2").values(anonymous_id=None))
    assert counts_of(session)["arms"] == (4, 1, 3, 1)
    assert counts_drift(conn) == []
    before = (counts_of(session), speakers_of(session))
    rebuild_claim_counts(conn)
    assert (counts_of(session), speakers_of(session)) == before


# --- the CLI ---------------------------------------------------------------------------------


def _story(invoke) -> None:
    for args in (
        ["source", "add", "--key", "afp-1", "--outlet", "AFP", "--create"],
        ["claim", "add", "Russia interfered in the election", "--key", "russia-interfered"],
    ):
        result = invoke(*args)
        assert result.exit_code == 0, result.output


def _attribute(invoke, *args: str):
    return invoke("attribute", "russia-interfered", "--stance", "asserts", "--source", "afp-1", *args)


def test_groups_reports_and_one_anonymous_speaker_in_the_cli_and_reports(db_url, invoke) -> None:
    _story(invoke)
    outputs = [
        _attribute(invoke, "--anonymous", "a senior official", "--anon-id", "A1", "--key", "a").stdout,
        _attribute(invoke, "--anonymous", "the official", "--anon-id", "A1", "--key", "b").stdout,
        _attribute(invoke, "--anonymous", "U.S. authorities", "--anonymous-kind", "group", "--key", "c").stdout,
        _attribute(invoke, "--anonymous", "media reports", "--anonymous-kind", "reports", "--key", "d").stdout,
    ]
    assert outputs == [
        "Recorded statement 1 (a): [a senior official] asserts russia-interfered.\n",
        "Recorded statement 2 (b): [the official] asserts russia-interfered.\n",
        "Recorded statement 3 (c): [U.S. authorities] (group) asserts russia-interfered.\n",
        "Recorded statement 4 (d): (unattributed reports: media reports) asserts russia-interfered.\n",
    ]
    listed = json.loads(invoke("statement", "list", "--format", "json").stdout)
    assert [(s["speaker"], s["anonymous_id"]) for s in listed] == [
        ({"name": "a senior official", "kind": None, "anonymous": True}, "A1"),
        ({"name": "the official", "kind": None, "anonymous": True}, "A1"),
        ({"name": "U.S. authorities", "kind": "group", "anonymous": True}, None),
        ({"name": "media reports", "kind": "reports", "anonymous": True}, None),
    ]
    report = json.loads(invoke("report", "claim", "russia-interfered", "--format", "json").stdout)
    summary = report["summary"]
    assert (summary["statements"], summary["speakers"], summary["anonymous_speakers"]) == (4, 2, 2)
    # one speaker A1 under its first description; the reports are nobody's
    assert [(s["speaker"], s["statements"]) for group in report["sides"]["support"] for s in group["speakers"]] == [
        ("a senior official", 2), ("U.S. authorities", 1)]
    text = " ".join(invoke("report", "claim", "russia-interfered").stdout.split())
    assert "(unattributed reports: media reports) asserts" in text
    assert "U.S. authorities (anonymous group) asserts" in text


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--speaker", "AFP", "--anonymous-kind", "group"], 1,
         "Error: --anonymous-kind and --anon-id describe an anonymous speaker: give --anonymous TEXT\n"),
        (["--speaker", "AFP", "--anon-id", "A1"], 1,
         "Error: --anonymous-kind and --anon-id describe an anonymous speaker: give --anonymous TEXT\n"),
        # one kind per --anonymous (revision 0063): a second one has no speaker to describe
        (["--anonymous", "officials", "--anonymous-kind", "group", "--anonymous-kind", "reports"], 2,
         'Error: --anonymous-kind is given twice for the speaker "officials"; give it once, after the '
         "--anonymous it describes.\n"),
        (["--speaker", "AFP", "--anon-id", "A1", "--anon-id", "A2"], 2,
         "Error: --anon-id is given twice for the speaker; give it once, after the --anonymous it describes.\n"),
    ],
)
def test_anonymous_kinds_refused_where_they_mean_nothing(db_url, invoke, counts, args, code, message) -> None:
    _story(invoke)
    before = counts()
    result = _attribute(invoke, *args)
    assert (result.exit_code, result.stderr) == (code, message)
    assert counts() == before


def test_edit_and_bundle_keep_the_anonymous_kind_and_id(db_url, invoke, tmp_path, engine) -> None:
    _story(invoke)
    _attribute(invoke, "--anonymous", "officials", "--key", "a")
    assert invoke("statement", "edit", "a", "--anonymous-kind", "reports").exit_code == 0
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT support_statements, support_speakers FROM claims").all() == [(1, 0)]
    assert invoke("statement", "edit", "a", "--anonymous-kind", "group", "--anon-id", "G1").exit_code == 0
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT support_statements, support_speakers FROM claims").all() == [(1, 1)]
        assert counts_drift(conn) == []
    exported = invoke("export").stdout
    assert "  anonymous_kind: group\n  anonymous_id: G1\n" in exported
    imported_elsewhere(exported, tmp_path)  # checks that it exports the same bundle again
    assert invoke("statement", "edit", "a", "--anonymous-kind", "", "--anon-id", "").exit_code == 0
    shown = json.loads(invoke("statement", "show", "a", "--format", "json").stdout)
    assert (shown["speaker"]["kind"], shown["anonymous_id"]) == (None, None)


def test_report_entity_lists_no_unspecified_reports_as_an_opponent(db_url, invoke) -> None:
    # Iran denies; "media reports" (first speaker, and joint beside officials) assert: the
    # opponents are the officials and the FBI, the reports a line of their own
    _story(invoke)
    for args in (["entity", "add", "Iran", "--kind", "government"], ["entity", "add", "FBI", "--kind", "organization"]):
        assert invoke(*args).exit_code == 0
    assert invoke("dispute", "russia-interfered", "--speaker", "Iran", "--source", "afp-1").exit_code == 0
    assert _attribute(invoke, "--anonymous", "media reports", "--anonymous-kind", "reports").exit_code == 0
    assert _attribute(invoke, "--anonymous", "officials", "--anonymous-kind", "group", "--anonymous", "reports",
                      "--anonymous-kind", "reports", "--key", "officials-and-reports").exit_code == 0
    assert _attribute(invoke, "--speaker", "FBI", "--anonymous", "media reports", "--anonymous-kind", "reports",
                      "--key", "fbi-and-reports").exit_code == 0
    report = json.loads(invoke("report", "entity", "Iran", "--format", "json").stdout)
    # whose claims Iran disputes: the speakers asserting what it denies
    assert [(s["speaker"], s["anonymous"]) for s in report["disputes"]] == [("FBI", False), ("officials", True)]
    assert (report["disputed_by"], report["unspecified_reports"]) == ([], {"disputed_by": 0, "disputes": 3})
    text = invoke("report", "entity", "Iran", env={"COLUMNS": "80"}).stdout
    lines = text.splitlines()
    assert "media reports" not in text and "reports (anonymous)" not in text
    assert lines.index("unspecified reports: 3 statements") > lines.index("Whose claims it disputes")
    html = invoke("report", "entity", "Iran", "--format", "html").stdout
    assert "unspecified reports: 3 statements" in html and "media reports" not in html
    # and from the other side: the FBI is disputed by Iran only (what it asserts beside the
    # reports is its own statement, the reports nobody's)
    fbi = json.loads(invoke("report", "entity", "FBI", "--format", "json").stdout)
    assert [s["speaker"] for s in fbi["disputed_by"]] == ["Iran"]
    assert (fbi["disputes"], fbi["unspecified_reports"]) == ([], {"disputed_by": 0, "disputes": 0})


def test_the_anonymous_only_flag_names_reports_as_nobody_and_every_joint_speaker(db_url, invoke) -> None:
    _story(invoke)
    assert _attribute(invoke, "--anonymous", "media reports", "--anonymous-kind", "reports").exit_code == 0
    assert _attribute(invoke, "--anonymous", "officials", "--anonymous", "a diplomat", "--key", "two").exit_code == 0
    report = json.loads(invoke("report", "claim", "russia-interfered", "--format", "json").stdout)
    (flag,) = [f for f in report["summary"]["flags"] if f["flag"] == "anonymous-only"]
    assert flag["detail"] == ("supported only by anonymous speakers (2 statements: "
                              "(unattributed reports: media reports), a diplomat, officials)")


def test_search_results_say_unspecified_reports_and_groups(db_url, invoke) -> None:
    _story(invoke)
    assert _attribute(invoke, "--anonymous", "media reports", "--anonymous-kind", "reports",
                      "--quote", "Russian trolls were paid").exit_code == 0
    found = json.loads(invoke("search", "trolls", "--format", "json").stdout)
    assert [r["speaker"] for r in found if r["kind"] == "statement"] == [
        {"name": "media reports", "kind": "reports", "anonymous": True}]
    assert "(unattributed reports: media reports)" in invoke("search", "trolls", env={"COLUMNS": "200"}).stdout
