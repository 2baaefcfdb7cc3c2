"""Source texts travel: ``export --with-texts`` carries each stored text and its quote anchors,
``import`` stores them and re-checks the quotes, so another database reaches the same
quote statuses (and the same ``check`` findings); a text over 10 MB is refused, with its
place, and nothing is written."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import cli_invoker, make_database

from factdb.cli import cli
from factdb.transfer.schema import MAX_TEXT_BYTES

BUNDLE = """\
entities:
- {name: AFP, kind: media}
- {name: Leon Panetta, kind: person}
- {name: Jones, kind: person}
sources:
- {key: afp-1, outlet: AFP, title: Panetta in Baghdad, published_on: 2011-07-11}
claims:
- {key: iran-arms, text: Iran supplies weapons to militias in Iraq}
statements:
- {key: s-win, claim: iran-arms, speaker: Jones, stance: asserts, quote: we will win, source: afp-1}
- {key: s-heck, claim: iran-arms, speaker: Leon Panetta, stance: asserts, source: afp-1,
   quote: "We lost a heck of a lot of Americans as a result."}
- {key: s-changed, claim: iran-arms, speaker: Leon Panetta, stance: asserts, source: afp-1,
   quote: "We are very concerned about Iran and the weapons they provide"}
- {key: s-missing, claim: iran-arms, speaker: Leon Panetta, stance: asserts, source: afp-1,
   quote: absolutely complicit}
- {key: s-paraphrase, claim: iran-arms, speaker: Leon Panetta, stance: asserts, source: afp-1,
   quote: Iran is arming them, quote_kind: paraphrase}
"""
# First text: "we will win" once (its anchor records Jones's context). The second text has
# it twice; the recorded context picks Jones's, which only the travelling anchor can tell.
FIRST = 'At the rally, Jones said "we will win" too.\r\nWe lost a heck of a lot of Americans as a result.\n'
SECOND = (
    'Earlier, Smith said "we will win".\r\n'
    'Later, at the rally, Jones said "we will win" too.  \r\n'
    "\u201cWe are very concerned about Iran and weapons they\u2019re providing,\u201d he said.\n"
    "\tWe lost a heck of a lot of Americans\u00a0as a result.\n\n"
)


@pytest.fixture
def other_db(db_url: str, tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """A second empty database on the same backend as ``db_url``."""
    backend = "sqlite" if db_url.startswith("sqlite") else "postgresql"
    (tmp_path / "other").mkdir()
    yield from make_database(backend, tmp_path / "other", sqlite_template)


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


def build(invoke: Callable[..., Result], tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.yaml"
    bundle.write_text(BUNDLE, encoding="utf-8")
    ok(invoke("import", str(bundle)))
    for name, text in (("first.txt", FIRST), ("second.txt", SECOND)):
        path = tmp_path / name
        path.write_bytes(text.encode("utf-8"))
        ok(invoke("source", "attach-text", "afp-1", str(path)))


def statuses(invoke: Callable[..., Result]) -> dict[str, tuple[str, int | None]]:
    """Statement key -> (anchor status, offset), as the export with texts says them."""
    exported = json.loads(ok(invoke("export", "--with-texts", "--format", "json")))
    (source,) = exported["sources"]
    return {a["statement"]: (a["status"], a.get("start")) for a in source.get("anchors", [])}


def findings(stdout: str) -> list[tuple[str, ...]]:
    """``check --format json`` without row ids (the two databases number rows differently)."""
    return [(f["severity"], f["code"], f["subject"], f["message"]) for f in json.loads(stdout)]


@pytest.mark.parametrize("fmt", ["yaml", "json", "jsonl"])
def test_texts_and_anchors_travel_and_the_quotes_check_the_same(
    db_url: str, other_db: str, tmp_path: Path, fmt: str
) -> None:
    a, b = cli_invoker(db_url), cli_invoker(other_db)
    build(a, tmp_path)
    exported = tmp_path / f"texts.{fmt}"
    ok(a("export", "--with-texts", "--format", fmt, "-o", str(exported)))

    summary = ok(b("import", str(exported)))
    assert summary.splitlines()[-1] == "Source texts: 1 stored; 4 direct quotes checked: 2 found, 1 changed, 1 missing."
    expected = {"s-win": ("found", SECOND.rindex("we will win")), "s-heck": ("found", SECOND.index("We lost")),
                "s-changed": ("changed", SECOND.index("We are")), "s-missing": ("missing", None)}  # fmt: skip
    assert statuses(a) == statuses(b) == expected
    checked_a, checked_b = a("check", "--format", "json"), b("check", "--format", "json")
    assert checked_a.exit_code == checked_b.exit_code == 1
    assert findings(checked_b.stdout) == findings(checked_a.stdout)
    assert [f[1] for f in findings(checked_a.stdout)].count("quote-not-found") == 2
    # the text is kept exactly (CRLF, tabs, trailing spaces, no-break spaces, final blank line)
    again = tmp_path / f"again.{fmt}"
    ok(b("export", "--with-texts", "--format", fmt, "-o", str(again)))
    assert again.read_bytes() == exported.read_bytes()
    record = json.loads(ok(b("export", "--with-texts", "--format", "json")))["sources"][0]
    assert record["text"] == SECOND

    # importing again changes nothing and says so
    assert ok(b("import", str(exported))).splitlines()[-1] == "Source texts: 1 unchanged."


def test_without_the_anchors_the_repeated_quote_is_ambiguous(db_url: str, other_db: str, tmp_path: Path) -> None:
    """The anchors matter: a bundle whose anchors were removed leaves B unable to tell the
    two occurrences of "we will win" apart."""
    a, b = cli_invoker(db_url), cli_invoker(other_db)
    build(a, tmp_path)
    bundle = json.loads(ok(a("export", "--with-texts", "--format", "json")))
    del bundle["sources"][0]["anchors"]
    path = tmp_path / "no-anchors.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    ok(b("import", str(path)))
    assert statuses(b)["s-win"] == ("ambiguous", SECOND.index("we will win"))


def test_without_with_texts_no_text_leaves_the_database(db_url: str, tmp_path: Path) -> None:
    a = cli_invoker(db_url)
    build(a, tmp_path)
    record = json.loads(ok(a("export", "--format", "json")))["sources"][0]
    assert "text" not in record and "anchors" not in record
    result = a("export", "--with-texts", "--format", "claimreview")
    assert result.exit_code == 2
    assert "--with-texts is for bundles (yaml, json, jsonl)" in result.stderr


def test_an_import_anchors_new_statements_of_a_source_with_stored_text(db_url: str, tmp_path: Path) -> None:
    """An import used to leave quotes unchecked: new statements in a source whose text is
    stored are anchored as `attribute` anchors them."""
    a = cli_invoker(db_url)
    build(a, tmp_path)
    more = tmp_path / "more.yaml"
    more.write_text(
        "statements:\n"
        "- {key: s-new, claim: iran-arms, speaker: Jones, stance: asserts, source: afp-1,\n"
        "   quote: Smith said}\n"
        "- {key: s-nowhere, claim: iran-arms, speaker: Jones, stance: asserts, source: afp-1,\n"
        "   quote: not in the article at all}\n",
        encoding="utf-8",
    )
    assert ok(a("import", str(more))).splitlines()[-1] == "2 direct quotes checked: 1 found, 1 missing."
    found = statuses(a)
    assert found["s-new"] == ("found", SECOND.index("Smith said"))
    assert found["s-nowhere"] == ("missing", None)


def test_a_text_over_the_limit_is_refused_with_its_place_and_nothing_is_written(
    db_url: str, tmp_path: Path, counts: Callable[[], dict[str, int]]
) -> None:
    before = counts()
    path = tmp_path / "big.jsonl"
    big = "x" * (MAX_TEXT_BYTES + 1)
    path.write_text(
        json.dumps({"type": "entity", "name": "AFP", "kind": "media"}) + "\n"
        + json.dumps({"type": "source", "key": "afp-big", "outlet": "AFP", "text": big}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    result = CliRunner().invoke(cli, ["--db", db_url, "import", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{path}:2: source.text: a text of 10,485,761 bytes is larger than the limit of 10 MB"
    )
    assert counts() == before


def test_an_anchor_of_an_unknown_statement_is_refused(
    db_url: str, tmp_path: Path, counts: Callable[[], dict[str, int]]
) -> None:
    a = cli_invoker(db_url)
    before = counts()
    path = tmp_path / "dangling.yaml"
    path.write_text(
        "entities:\n- {name: AFP, kind: media}\n"
        "sources:\n- key: afp-1\n  outlet: AFP\n  text: Some words.\n"
        "  anchors:\n  - {statement: nowhere, status: found, exact: Some, start: 0, end: 4}\n",
        encoding="utf-8",
    )
    result = a("import", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f'{path}:7: sources[0].anchors[0].statement: no statement "nowhere" of this source in the bundle or the '
        "database"
    )
    assert counts() == before


def test_enumerations_are_checked_on_the_fast_path_too(db_url: str, tmp_path: Path) -> None:
    """A plain-text value of an enumerated field (position, text_state) is checked, not taken."""
    path = tmp_path / "bad.yaml"
    path.write_text("sources:\n- {key: s, outlet: AFP, text_state: bogus}\n", encoding="utf-8")
    result = cli_invoker(db_url)("import", str(path))
    assert result.exit_code == 1
    assert f"{path}:2: sources[0].text_state: 'bogus' is not one of truncated, garbled" in result.stderr
