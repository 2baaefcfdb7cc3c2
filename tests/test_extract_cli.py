"""`factdb extract`: the table, JSON, spans and bundle outputs, the review through CliRunner
input, and bad input refused in one line with nothing written (both backends)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_extract_proposals import ARTICLE, EXPECTED, SOURCE, build_story

from factdb.cli import extract as extract_cli

WIDE = {"COLUMNS": "170"}


@pytest.fixture
def story(db_url: str, dataset: Any) -> str:
    dataset(build_story)
    return db_url


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A person at the keyboard (CliRunner's streams are not terminals)."""
    monkeypatch.setattr(extract_cli, "_at_terminal", lambda: True)


TABLE = """\
n  speaker                                    stance   certainty    said_on     claim               quote
-  -----------------------------------------  -------  -----------  ----------  ------------------  ------------------------------------------------------------
1  Leon Panetta                               asserts  unspecified  2011-07-11  iran-arms-militias  Iran was supplying weapons to Shiite militias in Iraq
2  Leon Panetta                               asserts  unspecified              iran-arms-militias  We are very concerned about Iran and the weapons it is prov…
3  Leon Panetta                               asserts  possible                 us-may-act-alone    the United States could act alone against the militias
4  [A US official who asked not to be named]  asserts  unspecified              (new)               the rockets had been made in Iran
5  Iran                                       denies   unspecified              iran-arms-militias  supplying weapons to militias in Iraq
6  Abu Mahdi Karimi (new)                     asserts  unspecified  2011-07     (new)               his fighters would never disarm
6 proposals from {name}, read against source afp-2011-07-12-militias; nothing was written. Record them with --review, or -o proposals.yaml and factdb import.
"""


def test_table_of_proposals(story: str, invoke: Any, article: Path, counts: Any) -> None:
    before = counts()
    result = invoke("extract", str(article), "--source", SOURCE, env=WIDE)
    assert result.exit_code == 0, result.output
    assert result.stdout == TABLE.format(name=article)
    assert counts() == before


def test_json_proposals(story: str, invoke: Any, article: Path) -> None:
    result = invoke("extract", str(article), "--source", SOURCE, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["source"], data["outlet"], data["published_on"], data["characters"]) == (
        SOURCE, "AFP", "2011-07-12", len(ARTICLE))
    shown = [
        ((p["speaker"] or {}).get("name") or f"[{p['speaker_description']}]",
         (p["speaker"] or {}).get("match"), p["stance"], p["certainty"], p["hedge"], [v["name"] for v in p["via"]],
         p["said_on"], p["claim"]["key"], p["claim"]["new"], p["quote_kind"], p["quote"])
        for p in data["proposals"]
    ]
    assert shown == EXPECTED
    first = data["proposals"][0]
    assert first["spans"] == {
        "source": [0, 30, "Defence Secretary Leon Panetta"],
        "cue": [31, 35, "said"],
        "content": [46, 104, "that Iran was supplying weapons to Shiite militias in Iraq"],
        "content_parts": [],
    }
    assert set(first) == {
        "n", "key", "recorded", "spans", "kind", "speaker", "speaker_mention", "speaker_resolved_by", "speaker_title",
        "speaker_description", "anonymous_kind", "speaker_affiliation", "affiliation_as_printed", "stance", "stance_because",
        "certainty", "hedge", "verb", "quote", "quote_kind", "quote_partial", "quote_offsets", "via", "said_on",
        "said_on_precision", "date_note", "claim", "claim_candidates", "confidence", "notes",
    }
    assert first["key"].startswith(f"{SOURCE}/") and first["recorded"] is None


def test_html_on_standard_input(story: str, invoke: Any) -> None:
    page = ("<html><head><title>x</title><script>var a = 1;</script></head><body><nav>Home | World</nav>"
            "<article><p>Tehran denied supplying weapons to militias in Iraq.</p></article>"
            "<footer>© AFP</footer></body></html>")
    result = invoke("extract", "-", "--source", SOURCE, "--format", "json", input=page)
    assert result.exit_code == 0, result.output
    (only,) = json.loads(result.stdout)["proposals"]
    assert only["spans"]["source"] == [0, 6, "Tehran"]  # offsets into the page's readable text
    assert (only["speaker"]["name"], only["stance"]) == ("Iran", "denies")


def test_spans_and_a_jsonl_corpus(tmp_path: Path, invoke: Any, article: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        json.dumps({"id": "a1", "text": "Tehran denied the report.", "gold": []}) + "\n\n"
        + json.dumps({"id": 7, "text": "Nothing was said here."}) + "\n", encoding="utf-8")
    result = invoke("extract", str(corpus), "--input-format", "jsonl", "--format", "spans")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        '{"id": "a1", "attributions": [{"source": [0, 6, "Tehran"], "cue": [7, 13, "denied"], '
        '"content": [14, 24, "the report"], "kind": "indirect"}]}',
        '{"id": 7, "attributions": []}',
    ]
    out = tmp_path / "predictions.jsonl"
    written = invoke("extract", str(corpus), "--input-format", "jsonl", "--format", "spans", "-o", str(out))
    assert (written.exit_code, written.stdout) == (0, "")
    assert written.stderr == f"Wrote the attributions of 2 articles to {out}.\n"
    assert out.read_text(encoding="utf-8") == result.stdout
    one = invoke("extract", str(article), "--format", "spans")
    assert json.loads(one.stdout)["id"] == "article" and len(json.loads(one.stdout)["attributions"]) == 6


def test_bundle_imports_and_the_header_attaches_the_text(story: str, invoke: Any, article: Path, tmp_path: Path,
                                                       counts: Any) -> None:
    out = tmp_path / "proposals.yaml"
    before = counts()
    result = invoke("extract", str(article), "--source", SOURCE, "-o", str(out))
    assert result.exit_code == 0, result.output
    attach = f"factdb source attach-text {SOURCE} {article}"
    assert result.stdout == (
        f"Wrote {out}: 6 statements, 1 new entities, 2 drafted claims; nothing was written to the database. "
        f"Next: factdb import {out} && {attach}\n")
    assert counts() == before
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[:6] == [
        f"# factdb extract: 6 proposals from {article}, source {SOURCE}.",
        "# Edit what the comments point at, then import, then attach the article text so that every",
        "# direct quote is anchored (the bundle format carries no article text):",
        f"#   factdb import {out}",
        f"#   {attach}",
        "",
    ]
    assert "  # new entity: 'Abu Mahdi Karimi' is not in the database; kind guessed (person)\n" in text
    assert "  # claim us-may-act-alone scored 0.97; other candidates:\n" \
           "  #   iran-arms-militias (0.51): Iran supplies weapons to Shiite militias in Iraq\n" in text
    bundle = yaml.safe_load(text)
    assert [len(bundle[k]) for k in ("entities", "claims", "statements")] == [1, 2, 6]
    imported = invoke("import", str(out))
    assert imported.exit_code == 0, imported.output
    after = counts()
    assert (after["statements"] - before["statements"], after["entities"] - before["entities"],
            after["claims"] - before["claims"]) == (6, 1, 2)
    attached = invoke(*attach.split()[1:])
    assert attached.stdout.startswith(f"Stored the text of {SOURCE} ({len(ARTICLE):,} characters); "
                                      "1 direct quote: 1 found.")
    again = invoke("extract", str(article), "--source", SOURCE, "--format", "json")
    assert [p["recorded"] is not None for p in json.loads(again.stdout)["proposals"]] == [True] * 6


def test_html_bundle_keeps_the_article_text_beside_it(story: str, invoke: Any, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>Tehran denied supplying weapons to militias in Iraq.</p></body></html>",
                    encoding="utf-8")
    out = tmp_path / "p.yaml"
    result = invoke("extract", str(page), "--source", SOURCE, "-o", str(out))
    assert result.exit_code == 0, result.output
    beside = tmp_path / "p.article.txt"
    assert beside.read_text(encoding="utf-8") == "Tehran denied supplying weapons to militias in Iraq."
    assert f"#   factdb source attach-text {SOURCE} {beside}\n" in out.read_text(encoding="utf-8")


# --- review ----------------------------------------------------------------------------------


def _review(invoke: Any, article: Path, keys: str) -> Any:
    return invoke("extract", str(article), "--source", SOURCE, "--review", input=keys)


def test_review_accept_all(story: str, invoke: Any, article: Path, counts: Any, terminal: None) -> None:
    before = counts()
    result = _review(invoke, article, "a\n" * 6)
    assert result.exit_code == 0, result.output
    assert "Proposal 1 of 6 (confidence 0.83)\n" in result.stdout
    assert ("Defence Secretary Leon Panetta said on Monday that Iran was supplying weapons to Shiite militias in "
            "Iraq.\n  speaker     Leon Panetta (known)\n  title       Defence Secretary\n") in result.stdout
    assert "  date        2011-07-11 (inferred from 'on Monday' and the publication date 2011-07-12)\n" in result.stdout
    assert result.stdout.endswith(
        f"Recorded 6 statements in {SOURCE} (1 new entities, 2 new claims). Stored the text of {SOURCE} "
        f"({len(ARTICLE):,} characters); 1 direct quote: 1 found.\n")
    after = counts()
    assert (after["statements"] - before["statements"], after["source_texts"] - before["source_texts"]) == (6, 1)
    assert after["history"] > before["history"]


def test_review_skip_and_edit_stance(story: str, invoke: Any, article: Path, terminal: None) -> None:
    keys = "s\n" + "e\nstance\ndisputes\na\n" + "s\n" * 4
    result = _review(invoke, article, keys)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Proposal 2 of 6") == 2  # shown again after the edit
    assert "Recorded 1 statement in" in result.stdout
    listed = json.loads(invoke("statement", "list", "--source", SOURCE, "--format", "json").stdout)
    assert [(s["speaker"]["name"], s["stance"], s["quote_kind"]) for s in listed] == [
        ("Leon Panetta", "disputes", "direct")]


def test_review_choose_claim_and_edit_speaker(story: str, invoke: Any, article: Path, terminal: None) -> None:
    keys = "c\n2\ne\nspeaker\n[a Pentagon spokesman]\na\nq\ny\n"
    result = _review(invoke, article, keys)
    assert result.exit_code == 0, result.output
    assert "  1  iran-arms-militias (0.94): Iran supplies weapons to Shiite militias in Iraq\n" in result.stdout
    (record,) = json.loads(invoke("statement", "list", "--source", SOURCE, "--format", "json").stdout)
    assert (record["claim"], record["speaker"], record["speaker_description"]) == (
        "us-may-act-alone", {"name": "a Pentagon spokesman", "kind": None, "anonymous": True}, "a Pentagon spokesman")


def test_review_marks_the_spans_without_colour(story: str, invoke: Any, article: Path, terminal: None) -> None:
    result = invoke("extract", str(article), "--source", SOURCE, "--review", input="q\n", env={"NO_COLOR": "1"})
    assert result.stdout.startswith(
        "\nProposal 1 of 6 (confidence 0.83) (marked: [source] {cue} <content>)\n"
        "[Defence Secretary Leon Panetta] {said} on Monday <that Iran was supplying weapons to Shiite militias in "
        "Iraq>.\n")


def test_review_quit_writes_nothing_unless_confirmed(story: str, invoke: Any, article: Path, counts: Any,
                                                    terminal: None) -> None:
    before = counts()
    result = _review(invoke, article, "a\nq\nn\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("Write the 1 accepted proposal(s)? [y/N]: n\nNothing was written.\n")
    assert counts() == before
    nothing = _review(invoke, article, "q\n")
    assert nothing.stdout.endswith("\nNothing accepted; nothing was written.\n")
    assert counts() == before


def test_review_needs_a_terminal(story: str, invoke: Any, article: Path, counts: Any) -> None:
    before = counts()
    result = _review(invoke, article, "a\n")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: factdb extract: --review needs a terminal; write the proposals with -o proposals.yaml, "
        "edit them and run factdb import proposals.yaml\n")
    assert counts() == before


# --- bad input -------------------------------------------------------------------------------


BAD_INPUT = [
    (b"", "is empty; give the article's text"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like a binary file (NUL byte at offset 8); give a UTF-8 text or HTML article"),
    ("Caf\u00e9 owners said".encode("latin-1"),
     "not UTF-8 text (byte 0xe9 at offset 3); convert it first, e.g. iconv -f latin1 -t utf-8"),
    (b"He said it was so. " * (10 * 1024 * 1024 // 19 + 1), "10.0 MB is too large: one article must be under 10.0 MB"),
]


@pytest.mark.parametrize(("data", "message"), BAD_INPUT, ids=["empty", "binary", "latin-1", "10 MB"])
def test_bad_input_is_one_line_and_nothing_is_written(story: str, invoke: Any, tmp_path: Path, counts: Any,
                                                      data: bytes, message: str) -> None:
    path = tmp_path / "in.txt"
    path.write_bytes(data)
    out = tmp_path / "out.yaml"
    before = counts()
    result = invoke("extract", str(path), "--source", SOURCE, "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {path}: {message}\n"
    assert result.stdout == ""
    assert not out.exists() and counts() == before


def test_unknown_source_and_output_over_the_input_or_database(story: str, invoke: Any, article: Path,
                                                             tmp_path: Path, counts: Any) -> None:
    before = counts()
    unknown = invoke("extract", str(article), "--source", "afp-2011-07-13", "-o", str(tmp_path / "x.yaml"))
    assert unknown.exit_code == 1
    assert re.fullmatch(r'Error: No source named "afp-2011-07-13"[^\n]*\n', unknown.stderr), unknown.stderr
    assert not (tmp_path / "x.yaml").exists()
    over_input = invoke("extract", str(article), "--source", SOURCE, "-o", str(article))
    assert over_input.stderr == f"Error: {article}: is the input file; choose another output file\n"
    assert article.read_text(encoding="utf-8") == ARTICLE
    if story.startswith("sqlite"):
        database = story.removeprefix("sqlite:///")
        over_db = invoke("extract", str(article), "--source", SOURCE, "-o", database)
        assert over_db.stderr == f"Error: {database}: is the database file; choose another output file\n"
    needs_source = invoke("extract", str(article), "-o", str(tmp_path / "y.yaml"))
    assert needs_source.stderr == "Error: factdb extract: --review and -o need --source KEY (the statements' source)\n"
    assert counts() == before


def test_a_bad_corpus_line_writes_nothing(invoke: Any, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"id": 1, "text": "Tehran denied it."}\n{"id": 2}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = invoke("extract", str(corpus), "--input-format", "jsonl", "--format", "spans", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == f'Error: {corpus}:2: expected an object with "id" and "text" (a string)\n'
    assert not out.exists()


def test_readme_json_example_is_current(seeded_db: str, invoke: Any, tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### JSON shape (`--format json`)"):]
    block = re.search(r"```json\n(.*?)\n```", section, re.S)
    assert block is not None
    article = tmp_path / "article.txt"
    article.write_text("Defence Secretary Leon Panetta said on Monday that Iran was supplying weapons to Shiite "
                       'militias in Iraq.\n\n"We cannot allow this to continue," he told NBC News.\n', encoding="utf-8")
    result = invoke("extract", str(article), "--source", "afp-2011-07-10-us-forces-pursue", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(block.group(1))
