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
