"""Quote integrity: normalization, anchors, attach-text reports, anchoring new statements."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from trust_data import (
    GATES_QUOTE,
    JEFFREY_QUOTE,
    OFFICIAL_QUOTE,
    PANETTA_QUOTE,
    TESTER,
    populate,
)

from factdb.db import create_engine
from factdb.models import QuoteAnchor, SourceText, Statement
from factdb.quotes import anchor_statement, attach_text, locate, normalize_quote_text
from factdb.sessions import read_session, transaction

# A short hand-made text in the shape of the Reuters article (seed 002), with its typography.
REUTERS_TEXT = (
    "BAGHDAD (Reuters) - Iraq has launched a military crackdown.\n\n"
    "U.S. Defense Secretary Robert Gates, in a Reuters interview last week, said Iran was\n"
    "“absolutely complicit” in the growing U.S. casualties in Iraq.\n\n"
    "James Jeffrey said Iran’s Qods force were supplying “significantly more lethal weapons systems” "
    "to some Iraqi militias.\n"
)


def test_normalization_of_quotes_and_space() -> None:
    assert normalize_quote_text("  We’re\n\u00a0doing   “that”  ") == "We're doing \"that\""


@pytest.mark.parametrize(
    ("quote", "exact"),
    [
        ("absolutely complicit", "absolutely complicit"),
        ('"absolutely complicit"', "absolutely complicit"),
        ("Iran was “absolutely complicit”", "Iran was\n“absolutely complicit”"),
        ("Iran's Qods force were supplying", "Iran’s Qods force were supplying"),
        ("Gates ... said Iran was", "Gates, in a Reuters interview last week, said Iran was"),
        ("in the growing U.S. casualties in Iraq.", "in the growing U.S. casualties in Iraq"),
    ],
)
def test_locate_finds_quotes_verbatim(quote: str, exact: str) -> None:
    location = locate(quote, REUTERS_TEXT)
    assert location is not None
    assert location.exact == exact
    assert REUTERS_TEXT[location.start:location.end] == exact
    assert REUTERS_TEXT[:location.start].endswith(location.prefix)
    assert REUTERS_TEXT[location.end:].startswith(location.suffix)


@pytest.mark.parametrize("quote", ["absolutely complicit in everything", "Absolutely Complicit", "complicit ... absolutely"])
def test_locate_refuses_what_is_not_there(quote: str) -> None:
    assert locate(quote, REUTERS_TEXT) is None


@pytest.fixture
def data(db_url: str, dataset) -> dict:
    return dataset(populate)


def _attach(engine, source_key: str, text: str) -> dict:
    from factdb.resolver import resolve_source

    with transaction(engine, TESTER) as session:
        return attach_text(session, resolve_source(session, source_key), text)


def _anchors(engine) -> dict[int, tuple]:
    with read_session(engine) as session:
        return {a.statement_id: (a.status, a.exact, a.start_offset) for a in session.scalars(select(QuoteAnchor))}


def test_attach_text_anchors_every_direct_quote(engine, data) -> None:
    report = _attach(engine, "reuters-2011-07-03-crackdown", REUTERS_TEXT)
    assert report["summary"] == (
        "Stored the text of reuters-2011-07-03-crackdown (330 characters); 3 direct quotes: 2 found, 1 missing."
    )
    assert [(q["status"], q["quote"]) for q in report["quotes"]] == [
        ("found", JEFFREY_QUOTE), ("missing", OFFICIAL_QUOTE), ("found", GATES_QUOTE)]
    st = data["statements"]
    gates_at = REUTERS_TEXT.index("absolutely")
    assert _anchors(engine) == {
        st["jeffrey"]: ("found", JEFFREY_QUOTE, REUTERS_TEXT.index("significantly")),
        st["official"]: ("missing", None, None),
        st["gates"]: ("found", GATES_QUOTE, gates_at),
    }


def test_reattaching_changed_text_reports_moved_and_vanished(engine, data) -> None:
    _attach(engine, "reuters-2011-07-03-crackdown", REUTERS_TEXT)
    again = _attach(engine, "reuters-2011-07-03-crackdown", REUTERS_TEXT)
    assert [q["status"] for q in again["quotes"]] == ["unchanged", "missing", "unchanged"]
    assert again["replaced"] is False
    edited = "Editor's note: corrected.\n" + REUTERS_TEXT.replace("significantly more lethal", "more lethal")
    report = _attach(engine, "reuters-2011-07-03-crackdown", edited)
    assert report["replaced"] is True
    assert [(q["status"], q["offset"], q["previous_offset"]) for q in report["quotes"]] == [
        ("vanished", None, REUTERS_TEXT.index("significantly")),
        ("missing", None, None),
        ("moved", edited.index("absolutely"), REUTERS_TEXT.index("absolutely")),
    ]
    assert report["summary"].endswith("3 direct quotes: 1 moved, 1 vanished, 1 missing.")
    with read_session(engine) as session:
        assert session.get(SourceText, data["sources"]["reuters"]).text == edited


def test_new_statement_is_anchored(engine, data) -> None:
    _attach(engine, "reuters-2011-07-03-crackdown", REUTERS_TEXT)
    with transaction(engine, TESTER) as session:
        gates = session.get(Statement, data["statements"]["gates"])
        gates.quote = "Iran was “absolutely complicit”"
        anchor = anchor_statement(session, gates)
        assert (anchor.status, anchor.exact) == ("found", "Iran was\n“absolutely complicit”")
        panetta = session.get(Statement, data["statements"]["panetta"])
        assert anchor_statement(session, panetta) is None  # its source has no text


def test_cli_attach_text(invoke, data, tmp_path: Path, counts) -> None:
    article = tmp_path / "article.txt"
    article.write_text(REUTERS_TEXT, encoding="utf-8")
    result = invoke("source", "attach-text", "reuters-2011-07-03-crackdown", str(article))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "Stored the text of reuters-2011-07-03-crackdown (330 characters); 3 direct quotes: 2 found, 1 missing."
    )
    assert [line.split()[0] for line in result.output.splitlines()[3:] if line[:1] != " "] == ["found", "missing", "found"]
    as_json = invoke("source", "attach-text", "reuters-2011-07-03-crackdown", str(article), "--format", "json")
    assert json.loads(as_json.output)["counts"] == {
        "found": 0, "unchanged": 2, "moved": 0, "ambiguous": 0, "changed": 0, "vanished": 0, "missing": 1,
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe not utf-8", "not UTF-8 text"),
        (b"   \n", "the file is empty"),
    ],
)
def test_cli_attach_text_refuses_bad_files(invoke, data, tmp_path: Path, counts, content: bytes, message: str) -> None:
    article = tmp_path / "bad.txt"
    article.write_bytes(content)
    before = counts()
    result = invoke("source", "attach-text", "reuters-2011-07-03-crackdown", str(article))
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.splitlines()) == 1
    assert counts() == before


def test_cli_attach_text_unknown_source(invoke, data, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("text", encoding="utf-8")
    result = invoke("source", "attach-text", "reuters-2011-07-03-crackdwn", str(article))
    assert result.exit_code == 1
    assert result.output == 'Error: No source named "reuters-2011-07-03-crackdwn". Did you mean "reuters-2011-07-03-crackdown"?\n'


def test_real_articles_hold_the_seed_quotes(shared_dir: Path, db_url: str, data) -> None:
    engine = create_engine(db_url)
    afp = sorted((shared_dir / "seeds").glob("000_*.txt"))[0].read_text(encoding="utf-8")
    reuters = sorted((shared_dir / "seeds").glob("002_*.txt"))[0].read_text(encoding="utf-8")
    assert [q["status"] for q in _attach(engine, "afp-2011-07-10-us-forces-pursue", afp)["quotes"]] == ["found"]
    assert [q["status"] for q in _attach(engine, "reuters-2011-07-03-crackdown", reuters)["quotes"]] == [
        "found", "found", "found"]
    anchors = _anchors(engine)
    assert anchors[data["statements"]["panetta"]][1] == PANETTA_QUOTE.rstrip(".")  # the final stop is not required
    engine.dispose()


def test_reattaching_the_same_text_writes_no_history(engine, data, counts) -> None:
    _attach(engine, "reuters-2011-07-03-crackdown", REUTERS_TEXT)
    before = counts()
    _attach(engine, "reuters-2011-07-03-crackdown", REUTERS_TEXT)
    assert counts() == before  # anchors re-checked in place, nothing changed, nothing recorded
    edited = "Corrected. " + REUTERS_TEXT
    _attach(engine, "reuters-2011-07-03-crackdown", edited)
    with read_session(engine) as session:
        from factdb.models import HistoryEntry

        latest = session.scalars(select(HistoryEntry).order_by(HistoryEntry.id.desc()).limit(3)).all()
        assert sorted((e.table_name, e.action) for e in latest) == [
            ("quote_anchors", "update"), ("quote_anchors", "update"), ("source_texts", "update")]
        text_change = next(e for e in latest if e.table_name == "source_texts")
        assert text_change.after["text"] == f"<{len(edited)} characters>"


def test_cli_attach_text_from_stdin_and_missing_file(invoke, data, tmp_path: Path) -> None:
    result = invoke("source", "attach-text", "reuters-2011-07-03-crackdown", "-", input=REUTERS_TEXT)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Stored the text of reuters-2011-07-03-crackdown (330 characters)")
    missing = invoke("source", "attach-text", "reuters-2011-07-03-crackdown", str(tmp_path / "nope.txt"))
    assert missing.exit_code == 2
    assert "does not exist" in missing.output


def test_attribute_anchors_its_quote_or_warns(invoke, data, tmp_path: Path, engine) -> None:
    """A quote recorded against a source whose text is stored is checked at once: anchored
    when found, kept with a warning when not (a misquote is a finding, not a refusal)."""
    article = tmp_path / "article.txt"
    article.write_text(REUTERS_TEXT, encoding="utf-8")
    assert invoke("source", "attach-text", "reuters-2011-07-03-crackdown", str(article)).exit_code == 0
    common = ["attribute", "iran-complicit-us-casualties", "--speaker", "Robert Gates", "--stance", "asserts",
              "--source", "reuters-2011-07-03-crackdown", "--said-on", "2011-06"]
    found = invoke(*common, "--quote", "absolutely complicit", "--verb", "said")
    assert found.exit_code == 0, found.output
    assert "not in the stored text" not in found.stderr
    misquote = invoke(*common, "--quote", "completely complicit", "--verb", "told")
    assert misquote.exit_code == 0, misquote.output
    assert misquote.stderr.startswith("Warning: statement ")
    assert 'the quote is not in the stored text of source "reuters-2011-07-03-crackdown"' in misquote.stderr
    with read_session(engine) as session:
        anchors = {
            s.quote: (a.status, a.exact)
            for s in session.scalars(select(Statement))
            if (a := session.get(QuoteAnchor, s.id)) is not None
        }
    assert anchors["absolutely complicit"] == ("found", "absolutely complicit")
    assert anchors["completely complicit"] == ("missing", None)
