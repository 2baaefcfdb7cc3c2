"""Hostile text is stored and reported exactly as given, through the CLI and through import.

SQL metacharacters, markup, bidirectional controls (U+202E, U+200F), zero-width joiners,
emoji and a 1 MB quote go in through ``attribute`` (and ``entity add``, ``claim add``,
``source add``) or a bundle, and come back unchanged from ``claim show --format json`` and
``export``. Control characters other than tab and newline are refused with one line in
single-line fields, and nothing is written.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from click.testing import CliRunner
from faults_support import assert_same, check_outcome, load_base, snapshot

from factdb.cli import cli

SQL = "Robert'); DROP TABLE statements;-- \" OR 1=1; /* %_ \\"
MARKUP = '<script>alert("pwned")</script><b onmouseover=\'x\'>&amp;</b>'
BIDI = "\u202eIran denies\u202c \u200fالحرس الثوري\u200f"
ZWJ = "family \U0001f468\u200d\U0001f469\u200d\U0001f467 and \u200bzero\u200cwidth\u2060 joiners"
EMOJI = "\U0001f4a3\U0001f1ee\U0001f1f7 \u2764\ufe0f \U0001f3f3\ufe0f\u200d\U0001f308"
COMBINING = "Hezbolla\u0304h Z\u0351\u0300a\u0301lgo\u0362"
HOSTILE = [SQL, MARKUP, BIDI, ZWJ, EMOJI, COMBINING]
ONE_LINE = " | ".join(HOSTILE)  # every single-line field gets all of it at once
VERB = BIDI + EMOJI  # a verb may have at most 200 characters
MULTI_LINE = "\n".join(HOSTILE) + "\n\ttabbed line"
# Names refuse direction overrides (U+202E, U+202C) and fold zero-width characters away
# (U+200B, U+2060; ZWNJ beside Latin letters); emoji ZWJ sequences stay.
NAME = ONE_LINE.translate({0x202E: None, 0x202C: None, 0x200B: None, 0x200C: None, 0x2060: None})
ZWJ_NAME = ZWJ.translate({0x200B: None, 0x200C: None, 0x2060: None})
MEGA_QUOTE = ("\u201c" + " ".join(HOSTILE) + "\u201d\n") * (1_000_000 // 200)  # about 1 MB

ATTRIBUTE = ["attribute", "iran-arms-militias", "--stance", "asserts", "--source", "afp-2011-07-10"]


def _cli(url: str, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--db", url, *args])


def _ok(url: str, *args: str) -> Any:
    result = _cli(url, *args)
    assert result.exit_code == 0, result.output[-2000:]
    return result


def _claim(url: str, key: str = "iran-arms-militias") -> dict[str, Any]:
    return json.loads(_ok(url, "claim", "show", key, "--format", "json").stdout)


def _exported(url: str, fmt: str) -> list[tuple[str, dict[str, Any]]]:
    data = _ok(url, "export", "--format", fmt).stdout_bytes
    if fmt == "jsonl":
        return [(r.pop("type"), r) for r in map(orjson.loads, data.splitlines())]
    document = orjson.loads(data) if fmt == "json" else yaml.safe_load(data)
    kinds = {"entities": "entity", "sources": "source", "claims": "claim", "statements": "statement", "verdicts": "verdict"}
    return [(kinds[section], record) for section, records in document.items() for record in records or ()]


def _record(records: list[tuple[str, dict[str, Any]]], kind: str, **match: Any) -> dict[str, Any]:
    found = [r for k, r in records if k == kind and all(r.get(f) == v for f, v in match.items())]
    assert len(found) == 1, (kind, match)
    return found[0]


@pytest.fixture
def base_url(db_url: str, dataset) -> str:
    dataset(load_base)
    return db_url


def test_hostile_text_through_the_cli_comes_back_exactly(base_url: str) -> None:
    url = base_url
    _ok(url, "entity", "add", NAME, "--kind", "person", "--alias", SQL, "--note", MULTI_LINE)
    _ok(url, "claim", "add", MULTI_LINE, "--key", "hostile", "--tag", EMOJI, "--note", MULTI_LINE)
    _ok(url, "source", "add", "--key", "hostile-src", "--outlet", "AFP", "--title", ONE_LINE, "--author", BIDI,
        "--note", MULTI_LINE)
    quote = "  " + MULTI_LINE + "  "  # a quote is kept byte for byte, surrounding space included
    _ok(url, *ATTRIBUTE, "--speaker", SQL, "--title", ONE_LINE, "--hedge", MULTI_LINE, "--verb", VERB,
        "--quote", quote, "--note", MULTI_LINE)
    _ok(url, "attribute", "hostile", "--anonymous", ONE_LINE, "--affiliation", NAME, "--stance", "denies",
        "--source", "hostile-src", "--quote", MEGA_QUOTE)

    # the newest statement (ids grow); undated, it sorts at its source's date
    shown = max(_claim(url)["statements"], key=lambda s: s["id"])
    assert (shown["speaker"]["name"], shown["speaker_title"], shown["hedge"], shown["verb"], shown["quote"],
            shown["note"]) == (NAME, ONE_LINE, MULTI_LINE, VERB, quote, MULTI_LINE)
    other = _claim(url, "hostile")
    assert (other["text"], other["tags"], other["note"]) == (MULTI_LINE, [EMOJI.lower()], MULTI_LINE)
    (anonymous,) = other["statements"]
    assert (anonymous["speaker_description"], anonymous["speaker_affiliation"]) == (ONE_LINE, NAME)
    assert anonymous["quote"] == MEGA_QUOTE and anonymous["source"]["title"] == ONE_LINE

    for fmt in ("jsonl", "json", "yaml"):
        records = _exported(url, fmt)
        assert _record(records, "entity", name=NAME) == {
            "name": NAME, "kind": "person", "aliases": [SQL], "note": MULTI_LINE}
        assert _record(records, "claim", key="hostile")["text"] == MULTI_LINE
        assert _record(records, "source", key="hostile-src")["authors"] == [BIDI]
        statement = _record(records, "statement", claim="iran-arms-militias", speaker=NAME)
        assert (statement["quote"], statement["hedge"], statement["speaker_title"]) == (quote, MULTI_LINE, ONE_LINE)
        assert _record(records, "statement", claim="hostile")["quote"] == MEGA_QUOTE, fmt


def _hostile_bundle() -> dict[str, list[dict[str, Any]]]:
    return {
        "entities": [{"name": NAME, "kind": "armed-group", "aliases": [SQL, ZWJ_NAME], "note": MULTI_LINE}],
        "sources": [{"key": "hostile-src", "outlet": "AFP", "title": ONE_LINE, "authors": [BIDI], "note": MULTI_LINE}],
        "claims": [{"key": "hostile", "text": MULTI_LINE, "tags": [EMOJI.lower()], "note": MULTI_LINE}],
        "statements": [
            {"key": "hostile-src/1", "claim": "hostile", "speaker": ZWJ_NAME, "speaker_title": ONE_LINE, "stance": "asserts",
             "hedge": MULTI_LINE, "verb": VERB, "quote": MEGA_QUOTE, "source": "hostile-src",
             "note": MULTI_LINE},
            {"key": "hostile-src/2", "claim": "iran-arms-militias", "speaker_description": MULTI_LINE,
             "speaker_affiliation": SQL, "stance": "disputes", "quote": MULTI_LINE, "source": "hostile-src"},
        ],
    }


@pytest.mark.parametrize("fmt", ["yaml", "json", "jsonl"])
def test_hostile_text_through_import_comes_back_exactly(base_url: str, tmp_path: Path, fmt: str) -> None:
    bundle = _hostile_bundle()
    path = tmp_path / f"hostile.{fmt}"
    if fmt == "yaml":
        path.write_text(yaml.safe_dump(bundle, allow_unicode=True, sort_keys=False), encoding="utf-8")
    elif fmt == "json":
        path.write_bytes(orjson.dumps(bundle))
    else:
        kinds = {"entities": "entity", "sources": "source", "claims": "claim", "statements": "statement"}
        path.write_bytes(b"".join(
            orjson.dumps({"type": kinds[s], **r}) + b"\n" for s, records in bundle.items() for r in records
        ))
    _ok(base_url, "import", str(path))

    shown = _claim(base_url, "hostile")
    assert (shown["text"], shown["note"]) == (MULTI_LINE, MULTI_LINE)
    (statement,) = shown["statements"]
    assert statement["speaker"]["name"] == NAME  # found through its alias ZWJ_NAME
    assert (statement["quote"], statement["hedge"], statement["verb"], statement["speaker_title"]) == (
        MEGA_QUOTE, MULTI_LINE, VERB, ONE_LINE)
    disputed = [s for s in _claim(base_url)["statements"] if s["key"] == "hostile-src/2"]
    assert [(s["speaker_description"], s["speaker_affiliation"], s["quote"]) for s in disputed] == [
        (MULTI_LINE, NAME, MULTI_LINE)]

    records = _exported(base_url, fmt)
    expected = {kind: [dict(r) for r in rs] for kind, rs in bundle.items()}
    expected["statements"][0]["speaker"] = NAME  # exported by primary name
    expected["statements"][1]["speaker_affiliation"] = NAME
    assert _record(records, "entity", name=NAME) == expected["entities"][0]
    assert _record(records, "source", key="hostile-src") == expected["sources"][0]
    assert _record(records, "claim", key="hostile") == expected["claims"][0]
    assert _record(records, "statement", key="hostile-src/1") == expected["statements"][0]
    assert _record(records, "statement", key="hostile-src/2") == expected["statements"][1]


def test_an_export_with_hostile_text_reimports_to_the_same_bytes(base_url: str, tmp_path: Path, sqlite_template: Path) -> None:
    """Export, import into an empty database, export again: the same bytes (quotes keep their
    surrounding white space on the way through)."""
    _ok(base_url, *ATTRIBUTE, "--speaker", "Tehran", "--quote", "  " + MULTI_LINE + " ", "--hedge", MULTI_LINE)
    _ok(base_url, "entity", "add", NAME, "--kind", "person", "--alias", ZWJ)
    first = _ok(base_url, "export", "--format", "jsonl").stdout_bytes
    bundle = tmp_path / "all.jsonl"
    bundle.write_bytes(first)
    empty = tmp_path / "empty.sqlite3"
    shutil.copyfile(sqlite_template, empty)
    _ok(f"sqlite:///{empty}", "import", str(bundle))
    assert _ok(f"sqlite:///{empty}", "export", "--format", "jsonl").stdout_bytes == first


CONTROL_CASES = [
    (["entity", "add", "Bad\x1b[31mName", "--kind", "person"], "name: contains a control character ('\\x1b'); remove it"),
    (["entity", "add", "Two\nLines", "--kind", "person"], "name: contains a line break; it must be one line"),
    ([*ATTRIBUTE, "--speaker", "Iran", "--title", "Defence\x00Secretary"], "title: contains a control character ('\\x00'); remove it"),
    ([*ATTRIBUTE, "--speaker", "Iran", "--verb", "sa\rid"], "verb: contains a line break; it must be one line"),
    ([*ATTRIBUTE, "--speaker", "Iran", "--quote", "We are\x07 concerned"], "quote: contains a control character ('\\x07'); remove it"),
    ([*ATTRIBUTE, "--speaker", "Iran", "--hedge", "maybe\x7f"], "hedge: contains a control character ('\\x7f'); remove it"),
    (["source", "add", "--key", "afp-2", "--outlet", "AFP", "--title", "A\x0btitle"], "title: contains a control character ('\\x0b'); remove it"),
    (["claim", "add", "Iran\x1farms militias"], "claim text: contains a control character ('\\x1f'); remove it"),
]


@pytest.mark.parametrize(("args", "message"), CONTROL_CASES, ids=[f"case{i}" for i in range(len(CONTROL_CASES))])
def test_control_characters_are_refused_in_one_line(base_url: str, args: list[str], message: str) -> None:
    before = snapshot(base_url)
    result = _cli(base_url, *args)
    assert check_outcome(result, args) is False
    assert result.exit_code == 1
    assert result.stderr == f"Error: {message}\n"
    assert_same(before, snapshot(base_url))


def test_tabs_and_newlines_are_kept_where_text_may_span_lines(base_url: str) -> None:
    _ok(base_url, *ATTRIBUTE, "--speaker", "Iran", "--title", "Defence\tSecretary", "--hedge", "may\nbe\tso",
        "--quote", "line one\n\tline two\r\n")
    (statement,) = [s for s in _claim(base_url)["statements"] if s["speaker"]["name"] == "Iran"]
    assert (statement["speaker_title"], statement["hedge"], statement["quote"]) == (
        "Defence\tSecretary", "may\nbe\tso", "line one\n\tline two\r\n")


def test_control_characters_in_a_bundle_are_refused_and_nothing_is_written(base_url: str, tmp_path: Path) -> None:
    path = tmp_path / "control.jsonl"
    path.write_bytes(
        orjson.dumps({"type": "entity", "name": "Fine Name", "kind": "person"}) + b"\n"
        + orjson.dumps({"type": "claim", "key": "c-1", "text": "Bell\x07 in the text"}) + b"\n"
        + orjson.dumps({"type": "source", "key": "s-1", "outlet": "AFP", "title": "two\nlines"}) + b"\n"
    )
    before = snapshot(base_url)
    result = _cli(base_url, "import", str(path))
    assert check_outcome(result, "import", problem_lines=True) is False
    assert result.stderr.splitlines() == [
        f"{path}:2: claim.text: contains a control character or line break; remove it",
        f"{path}:3: source.title: contains a control character or line break; remove it",
        f"Error: 2 problems in {path}; nothing was written (fix them, or use --skip-invalid to write the valid records).",
    ]
    assert_same(before, snapshot(base_url))
