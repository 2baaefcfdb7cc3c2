"""Issue 14: a bundle that gives a section or a record twice is refused with file:line
(nothing silently lost, nothing "updated" on every import); UTF-16 JSON is read."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from factdb.cli import cli


def run(url: str, *args: str) -> object:
    return CliRunner().invoke(cli, ["--db", url, *args])


NOTHING = "Error: 1 problem in {}; nothing was written (fix them, or use --skip-invalid to write the valid records)."


def test_two_json_sections_of_one_name_are_refused(db_url, counts, tmp_path):
    bundle = tmp_path / "dup.json"
    bundle.write_text(
        '{"claims": [{"key": "a", "text": "Iran arms militias"}],\n "entities": [],\n'
        ' "claims": [{"key": "b", "text": "Iran trains militias"}]}\n',
        encoding="utf-8",
    )
    before = counts()
    result = run(db_url, "import", str(bundle))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{bundle}:3: section 'claims' is given twice (first at line 1); merge them",
        NOTHING.format(bundle),
    ]
    assert counts() == before


def test_a_section_name_inside_a_text_is_no_section(db_url, tmp_path):
    bundle = tmp_path / "text.json"
    bundle.write_text(json.dumps({"claims": [{"key": "a", "text": 'He said "claims": twice'}]}), encoding="utf-8")
    result = run(db_url, "import", str(bundle))
    assert result.exit_code == 0, result.output


def test_two_yaml_sections_of_one_name_are_refused(db_url, counts, tmp_path):
    bundle = tmp_path / "dup.yaml"
    bundle.write_text("claims:\n- key: a\n  text: A b c\nclaims:\n- key: b\n  text: B c d\n", encoding="utf-8")
    before = counts()
    result = run(db_url, "import", str(bundle))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{bundle}:4: claims: section 'claims' is given twice (first at line 1); merge them",
        NOTHING.format(bundle),
    ]
    assert counts() == before


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        (['{"type": "claim", "key": "a", "text": "x y"}', '{"type": "claim", "key": "a", "text": "x z"}'],
         "{f}:2: claim: claim key 'a' is given twice in the bundle (first at {f}:1: claim)"),
        (['{"type": "entity", "name": "Iran", "kind": "government"}',
          '{"type": "entity", "name": "IRAN", "kind": "person"}'],
         "{f}:2: entity: entity name 'IRAN' is given twice in the bundle (first at {f}:1: entity)"),
    ],
)
def test_a_record_given_twice_is_refused(db_url, counts, tmp_path, lines, problem):
    bundle = tmp_path / "dup.jsonl"
    bundle.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = counts()
    result = run(db_url, "import", str(bundle))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [problem.format(f=bundle), NOTHING.format(bundle)]
    assert counts() == before
    skipped = run(db_url, "import", str(bundle), "--skip-invalid", "--summary-format", "json")
    assert skipped.exit_code == 0, skipped.output
    assert json.loads(skipped.stdout)["rejected"] == 1
    again = run(db_url, "import", str(bundle), "--skip-invalid", "--force", "--summary-format", "json")
    kind = json.loads(lines[0])["type"]
    assert json.loads(again.stdout)["counts"][kind] == {"created": 0, "updated": 0, "unchanged": 1}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_json_in_utf16_is_read(db_url, tmp_path, encoding):
    bundle = tmp_path / "windows.json"
    document = {"claims": [{"key": "u16", "text": "Iran arms militias \u2014 \u0627\u06cc\u0631\u0627\u0646"}]}
    bundle.write_bytes(json.dumps(document, ensure_ascii=False).encode(encoding))
    result = run(db_url, "import", str(bundle))
    assert result.exit_code == 0, result.output
    shown = json.loads(run(db_url, "claim", "show", "u16", "--format", "json").stdout)
    assert shown["text"] == document["claims"][0]["text"]


def _repeats_bundle(path):
    """Claims c0..c5 on lines 1-6, then c4 again (line 7), a statement key twice (lines 8, 10)
    and c1 a third time (line 11)."""
    claims = [{"type": "claim", "key": f"c{i}", "text": f"Claim {i} text"} for i in range(6)]
    statement = {"type": "statement", "key": "s1", "claim": "c0", "speaker_description": "an official",
                 "stance": "asserts"}
    lines = [*claims, claims[4], statement, {**statement, "key": "s2"}, statement, claims[1]]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")


REPEATS = [
    (7, "claim key 'c4' is given twice in the bundle (first at {f}:5: claim)"),
    (10, "statement key 's1' is given twice in the bundle (first at {f}:8: statement)"),
    (11, "claim key 'c1' is given twice in the bundle (first at {f}:2: claim)"),
]


def _problems(records):
    return [(location.line, fields) for kind, fields, location in records if kind is None]


@pytest.mark.parametrize("given", ["path", "file", "memory"])
def test_repeats_are_told_with_the_first_line_however_the_bundle_is_read(tmp_path, given):
    # a path or an open file keeps hashes of its keys and reads the file again on a repeat; a
    # stream that is no file (standard input) keeps the keys: the same problems either way
    import io

    from factdb.transfer.reading import read_bundle

    bundle = tmp_path / "repeats.jsonl"
    _repeats_bundle(bundle)
    if given == "path":
        found = _problems(read_bundle(bundle))
        name = str(bundle)
    elif given == "file":
        with bundle.open("rb") as stream:
            found = _problems(read_bundle(stream, "jsonl"))
        name = str(bundle)
    else:
        stream = io.BytesIO(bundle.read_bytes())
        found = _problems(read_bundle(stream, "jsonl"))
        name = "<stdin>"
    assert found == [(line, problem.format(f=name)) for line, problem in REPEATS]


def test_keys_whose_hashes_collide_are_not_repeats(tmp_path, monkeypatch):
    # every key with one hash: the first "repeat" is told from a collision by reading the file again
    from factdb.transfer import reading

    monkeypatch.setattr(reading, "hash", lambda key: 0, raising=False)
    bundle = tmp_path / "repeats.jsonl"
    _repeats_bundle(bundle)
    assert _problems(reading.read_bundle(bundle)) == [(line, problem.format(f=bundle)) for line, problem in REPEATS]
