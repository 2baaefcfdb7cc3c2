"""`factdb attribute`, `dispute` and `statement ...`: anonymous speakers, --create, prompts,
retraction, edits, listing filters (both backends)."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import text

from factdb.cli import common

SRC = ["--source", "afp-2011-07-10"]


def _statements(invoke, *filters: str) -> list[dict]:
    result = invoke("statement", "list", *filters, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_anonymous_speaker_with_affiliation_needs_create_for_a_new_affiliation(replayed_session, invoke, counts) -> None:
    args = [
        "attribute", "iran-arms-militias", "--anonymous", "a Maysan security official who asked not to be named",
        "--affiliation", "Maysan security forces", "--stance", "asserts", "--certainty", "probable", *SRC,
    ]
    before = counts()
    refused = invoke(*args)
    assert refused.stderr == (
        'Error: No entity named "Maysan security forces". Pass --create to add it as a new organization entity.\n'
    )
    assert counts() == before
    created = invoke(*args, "--create")
    assert created.exit_code == 0
    assert created.stdout.endswith("): [a Maysan security official who asked not to be named] asserts iran-arms-militias.\n")
    (record,) = [s for s in _statements(invoke) if s["speaker"]["anonymous"]]
    assert (record["speaker_description"], record["speaker_affiliation"], record["certainty"], record["side"]) == (
        "a Maysan security official who asked not to be named", "Maysan security forces", "probable", "support",
    )
    kinds = {r["name"]: r["kind"] for r in json.loads(invoke("entity", "list", "--format", "json").stdout)}
    assert kinds["Maysan security forces"] == "organization"


def test_create_kind_overrides_the_default(replayed_session, invoke) -> None:
    result = invoke("dispute", "iran-arms-militias", "--speaker", "Iranian foreign ministry", "--create", "--create-kind", "government", *SRC)
    assert result.exit_code == 0
    shown = json.loads(invoke("entity", "show", "Iranian foreign ministry", "--format", "json").stdout)
    assert shown["kind"] == "government"


def test_dispute_with_stance_disputes_and_partial_dates(replayed_session, invoke) -> None:
    result = invoke(
        "dispute", "iran-arms-militias", "--speaker", "Ramin Mehmanparast", "--create", "--stance", "disputes",
        "--title", "foreign ministry spokesman", "--via", "Iran state television", "--said-on", "2011-07", *SRC,
    )
    assert result.exit_code == 0 and result.stderr == ""
    (record,) = _statements(invoke, "--speaker", "Ramin Mehmanparast")
    assert (record["stance"], record["side"], record["said_on"], record["said_on_precision"], record["via"]) == (
        "disputes", "oppose", "2011-07", "month", ["Iran state television"],
    )
    order = [s["id"] for s in _statements(invoke, "--claim", "iran-arms-militias")]
    # 2011-07 (first day of July) < undated, at its source's date 2011-07-10 < 2011-07-11
    assert order == [3, 2, 1]


def test_dispute_refuses_a_supporting_stance(replayed_session, invoke, counts) -> None:
    before = counts()
    result = invoke("dispute", "iran-arms-militias", "--speaker", "Iran", "--stance", "asserts", *SRC)
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: factdb dispute: Invalid value for '--stance': 'asserts' is not one of 'denies', 'disputes'.\n"
    )
    assert counts() == before


def test_statement_list_filters(replayed_session, invoke) -> None:
    assert [s["id"] for s in _statements(invoke, "--speaker", "Tehran")] == [2]
    assert [s["id"] for s in _statements(invoke, "--speaker", "Iran state television")] == [2]  # via
    assert [s["id"] for s in _statements(invoke, "--source", "afp-2011-07-10")] == [2, 1]
    assert _statements(invoke, "--claim", "iran-arms-militias")[0]["claim"] == "iran-arms-militias"
    # a surname names the one person whose name ends so
    assert _statements(invoke, "--speaker", "Panetta") == _statements(invoke, "--speaker", "Leon Panetta")
    csv_out = invoke("statement", "list", "--speaker", "Panneta", "--format", "csv")
    assert csv_out.exit_code == 1
    assert csv_out.stderr == 'Error: No entity named "Panneta". Did you mean "Leon Panetta"?\n'


def test_retract_keeps_the_statement_visible_and_marked(replayed_session, invoke, counts, engine) -> None:
    before = counts()
    result = invoke("--as", "desk editor", "statement", "retract", "2", "--reason", "AFP corrected the report")
    assert result.stdout == "Retracted statement 2 (afp-2011-07-10/655da9c2549a).\n"
    after = counts()
    assert after["statements"] == before["statements"]
    claim = json.loads(invoke("claim", "show", "iran-arms-militias", "--include-retracted", "--format", "json").stdout)
    retracted = claim["statements"][0]["retracted"]
    assert retracted["reason"] == "AFP corrected the report"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", retracted["at"])
    current = json.loads(invoke("claim", "show", "iran-arms-militias", "--format", "json").stdout)
    assert [s["id"] for s in current["statements"]] == [1]
    rows = json.loads(invoke("claim", "list", "--format", "json").stdout)
    # the retracted statement counts nowhere, as in the reports
    assert (rows[0]["statements"], rows[0]["supporting"], rows[0]["opposing"]) == (1, 1, 0)
    again = invoke("statement", "retract", "2", "--reason", "twice")
    assert again.exit_code == 1 and again.stderr == "Error: Statement 2 is already retracted (AFP corrected the report).\n"
    with engine.connect() as conn:
        label = conn.execute(text("SELECT action, actor FROM history WHERE table_name = 'statements' ORDER BY id DESC")).first()
    assert tuple(label) == ("retract", "desk editor")


def test_edit_and_delete_a_statement(replayed_session, invoke, counts) -> None:
    edited = invoke("statement", "edit", "afp-2011-07-10/ccb052f7a437", "--certainty", "certain", "--hedge", "very concerned", "--verb", "")
    assert edited.stdout == "Updated statement 1 (afp-2011-07-10/ccb052f7a437).\n"
    record = json.loads(invoke("statement", "show", "1", "--format", "json").stdout)
    assert (record["certainty"], record["hedge"], record["verb"], record["claim"]) == ("certain", "very concerned", None, "iran-arms-militias")
    assert invoke("statement", "edit", "2", "--responds-to", "").exit_code == 0
    redated = invoke("statement", "edit", "2", "--said-on", "2011-08")
    assert redated.stderr == (
        'Warning: statement 2 is dated 2011-08, after its source "afp-2011-07-10" was published (2011-07-10); '
        "kept as given.\n"
    )
    assert json.loads(invoke("statement", "show", "2", "--format", "json").stdout)["said_on"] == "2011-08"
    before = counts()
    assert invoke("statement", "delete", "2").stdout == "Deleted statement afp-2011-07-10/655da9c2549a.\n"
    after = counts()
    assert (after["statements"], after["statement_via"]) == (before["statements"] - 1, before["statement_via"] - 1)


def test_statement_show_table(replayed_session, invoke) -> None:
    shown = invoke("statement", "show", "2", "--format", "csv")
    assert shown.stdout.splitlines()[:6] == [
        "field,value",
        "id,2",
        "key,afp-2011-07-10/655da9c2549a",
        "claim,iran-arms-militias",
        "speaker_description,",
        "speaker_affiliation,",
    ]
    assert "speaker.name,Iran" in shown.stdout.splitlines()


def test_missing_values_are_prompted_for_in_a_terminal(replayed_session, invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "is_interactive", lambda: True)
    # stance (a bad choice first, then a good one), certainty, then a yes to create the speaker
    result = invoke(
        "attribute", "iran-arms-militias", "--speaker", "Lloyd Austin", *SRC,
        input="claims\nasserts\nprobable\ny\n",
    )
    assert result.exit_code == 0, result.output
    assert "Stance (asserts, acknowledges, denies, disputes, retracts, no-comment):" in result.output
    assert "Certainty (certain, probable, possible, unspecified) [unspecified]:" in result.output
    assert 'No entity named "Lloyd Austin". Create it as a person? [y/N]:' in result.output
    (record,) = _statements(invoke, "--speaker", "Lloyd Austin")
    assert (record["stance"], record["certainty"], record["speaker"]) == ("asserts", "probable", {"name": "Lloyd Austin", "kind": "person", "anonymous": False})


def test_a_no_at_the_prompt_creates_nothing(replayed_session, invoke, counts, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "is_interactive", lambda: True)
    before = counts()
    result = invoke("attribute", "iran-arms-militias", "--speaker", "Lloyd Austin", "--stance", "asserts", "--certainty", "certain", *SRC, input="n\n")
    assert result.exit_code == 1
    assert result.stderr == 'Error: No entity named "Lloyd Austin". Pass --create to add it as a new person entity.\n'
    assert counts() == before


def test_retract_on_keeps_the_date_the_correction_was_published(replayed_session, invoke, counts) -> None:
    before = counts()
    bad = invoke("statement", "retract", "2", "--reason", "corrected", "--on", "14 July")
    assert bad.exit_code == 1 and bad.stderr.startswith('Error: retracted on: "14 July"')
    assert counts() == before
    done = invoke("statement", "retract", "2", "--reason", "AFP corrected the report", "--on", "2011-07-14")
    assert done.exit_code == 0, done.output
    retracted = json.loads(invoke("statement", "show", "2", "--format", "json").stdout)["retracted"]
    assert (retracted["reason"], retracted["published_on"]) == ("AFP corrected the report", "2011-07-14")
    report = json.loads(invoke("report", "claim", "iran-arms-militias", "--include-retracted", "--format", "json").stdout)
    shown = [s["retracted"] for s in report["statements"] if s["retracted"]]
    assert [(r["reason"], r["published_on"]) for r in shown] == [("AFP corrected the report", "2011-07-14")]
    table = invoke("report", "claim", "iran-arms-militias", "--include-retracted").stdout
    assert "    retracted: published 2011-07-14, entered " in table
    exported = invoke("export", "--format", "yaml").stdout
    assert "    published_on: '2011-07-14'\n" in exported
