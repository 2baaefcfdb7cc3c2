"""The importer: every problem reported at once with file, line and field, nothing written;
--dry-run; --skip-invalid with a reject file; updates; JSON Lines; the library API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factdb.db import create_engine
from factdb.errors import BundleInvalid
from factdb.sessions import read_session, transaction
from factdb.transfer import Location, load_bundle, read_bundle

DATA = Path(__file__).parent / "data"
EVERY_FIELD = DATA / "every_field.yaml"

BAD_YAML = """\
entities:
- name: Iran
  kind: government
  aliases: [Tehran]
- name: Kataib Hezbollah
  kind: militia
  colour: green
claims:
- key: iran-arms-militias
  text: Iran supplies weapons
statements:
- claim: iran-arms-militia
  speaker: Ketaeb Hezbolah
  stance: insinuates
  said_on: 2011-13-01
  source: afp
- claim: iran-arms-militias
  speaker: Tehran
  stance: asserts
  source: afp
  speeker: x
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_problem_is_reported_with_file_line_and_field_and_nothing_is_written(invoke, counts, tmp_path):
    path = write(tmp_path, "bad.yaml", BAD_YAML)
    before = counts()
    result = invoke("import", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{path}:6: entities[1].kind: 'militia' is not one of person, organization, government, military-unit, "
        "armed-group, media, other",
        f"{path}:7: entities[1].colour: unknown field; known fields: name, kind, aliases, part_of, roles, note",
        f"{path}:14: statements[0].stance: 'insinuates' is not one of asserts, acknowledges, denies, disputes, retracts, no-comment",
        f'{path}:15: statements[0].said_on: "2011-13-01" is not a valid date (month must be in 1..12)',
        f'{path}:12: statements[0].claim: no claim "iran-arms-militia" in the bundle or the database. '
        'Did you mean "iran-arms-militias"?',
        f'{path}:16: statements[0].source: no source "afp" in the bundle or the database',
        f'{path}:13: statements[0].speaker: no entity named "Ketaeb Hezbolah" in the bundle or the database',
        f'{path}:21: statements[1].speeker: unknown field; did you mean "speaker"?',
        f'{path}:20: statements[1].source: no source "afp" in the bundle or the database',
        f"Error: 9 problems in {path}; nothing was written (fix them, or use --skip-invalid to write the valid "
        "records).",
    ]
    assert counts() == before


def test_missing_fields_and_speakers(invoke, tmp_path):
    path = write(tmp_path, "b.yaml", "claims:\n- text: no key\nstatements:\n- claim: x\n  stance: asserts\n")
    result = invoke("import", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:3] == [
        f"{path}:2: claims[0].key: required field is missing",
        f"{path}:4: statements[0].source: required field is missing",
        f"{path}:4: statements[0].speaker: give a speaker (an entity) or a speaker_description (an anonymous speaker)",
    ]


def test_an_alias_of_another_entity_is_refused(invoke, tmp_path):
    path = write(tmp_path, "b.yaml", "entities:\n- name: Iran\n  kind: government\n  aliases: [Tehran]\n"
                 "- name: Tehran municipality\n  kind: government\n  aliases: [Tehran]\n")
    result = invoke("import", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f'{path}:7: entities[1].aliases[0]: "Tehran" is already a name of "Iran"'


def test_yaml_syntax_and_unknown_sections(invoke, tmp_path):
    path = write(tmp_path, "b.yaml", "entities:\n- name: [unclosed\n")
    result = invoke("import", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:3: not valid YAML")
    path = write(tmp_path, "c.yaml", "statments: []\n")
    result = invoke("import", str(path))
    assert result.stderr.splitlines()[0] == (
        f"{path}:1: statments: unknown section 'statments'; expected entities, sources, claims, statements, verdicts"
    )


def test_jsonl_problems_carry_the_line_number(invoke, counts, tmp_path):
    path = write(tmp_path, "s.jsonl", "\n".join([
        '{"type":"entity","name":"Iran","kind":"government"}',
        '{"type":"claim","key":"k","text":"t"}',
        "not json",
        '{"type":"statment","claim":"k"}',
        '{"type":"statement","claim":"k","speaker":"Iran","stance":"asserts","source":"nope",'
        '"retracted":{"at":"yesterday"}}',
    ]) + "\n")
    before = counts()
    result = invoke("import", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:5] == [
        f"{path}:3: record: not valid JSON (invalid literal, expected 'null': line 1 column 1 (char 0))",
        f"{path}:4: record: \"type\" must be one of entity, source, claim, statement, verdict, not 'statment'",
        f'{path}:5: statement.retracted.at: "yesterday" is not a date and time; use ISO 8601, e.g. 2011-07-12T10:00:00Z',
        f"{path}:5: statement.retracted.reason: required field is missing",
        f'{path}:5: statement.source: no source "nope" in the bundle or the database',
    ]
    assert counts() == before


def test_dry_run_reports_what_would_change_and_writes_nothing(invoke, counts):
    before = counts()
    result = invoke("import", str(EVERY_FIELD), "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"Dry run of {EVERY_FIELD}: nothing was written. It would do:",
        "kind       created  updated  unchanged",
        "---------  -------  -------  ---------",
        "entity     11       0        0",
        "source     4        0        0",
        "claim      3        0        0",
        "statement  5        0        0",
        "verdict    3        0        0",
    ]
    assert counts() == before


def test_skip_invalid_writes_the_valid_records_and_lists_the_rest(invoke, counts, tmp_path):
    path = write(tmp_path, "mixed.yaml", EVERY_FIELD.read_text(encoding="utf-8") + (
        "- claim: iran-arms-militias\n  reviewer: Nobody Known\n  rating: 'True'\n"
    ))
    result = invoke("import", str(path))
    assert result.exit_code == 1
    result = invoke("import", str(path), "--skip-invalid")
    assert result.exit_code == 0
    assert "1 invalid record skipped." in result.stdout
    rejects = Path(str(path) + ".rejects.jsonl")
    assert result.stderr == f"1 refused record listed in {rejects}\n"
    rejected = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    line = len(EVERY_FIELD.read_text(encoding="utf-8").splitlines()) + 1
    assert rejected == [{
        "location": f"{path}:{line}: verdicts[3]",
        "problems": [f'{path}:{line + 1}: verdicts[3].reviewer: no entity named "Nobody Known" in the bundle or the database'],
        "record": {"type": "verdict", "claim": "iran-arms-militias", "reviewer": "Nobody Known", "rating": "True"},
    }]
    assert counts()["verdicts"] == 3 and counts()["statements"] == 5
    other = tmp_path / "rejected.jsonl"
    result = invoke("import", str(path), "--skip-invalid", "--reject-file", str(other))
    assert result.exit_code == 0 and other.exists()


def test_changed_records_are_updated_aliases_added_and_history_kept(invoke, engine, tmp_path):
    invoke("import", str(EVERY_FIELD))
    before = invoke("export", "--claim", "iran-arms-militias", "--format", "json").stdout
    path = write(tmp_path, "change.yaml", (
        "entities:\n- name: tehran\n  kind: government\n  aliases: [Islamic Republic of Iran]\n"
        "claims:\n- key: iran-arms-militias\n  text: Iran supplies weapons to Shiite militias in Iraq\n  tags: [arms]\n"
        "statements:\n- key: panetta-asserts\n  claim: iran-arms-militias\n  speaker: Panetta\n  stance: asserts\n"
        "  certainty: probable\n  source: afp-2011-07-11-panetta\n"
    ))
    result = invoke("import", str(path), "--summary-format", "json")
    assert result.exit_code == 0, result.output
    done = json.loads(result.stdout)["counts"]
    assert done["entity"] == {"created": 0, "updated": 1, "unchanged": 0}
    assert done["claim"] == {"created": 0, "updated": 1, "unchanged": 0}
    assert done["statement"] == {"created": 0, "updated": 1, "unchanged": 0}
    exported = invoke("export", "--claim", "iran-arms-militias", "--format", "json").stdout
    bundle = json.loads(exported)
    iran = next(e for e in bundle["entities"] if e["name"] == "Iran")
    assert iran["aliases"] == ["Tehran", "the government of Iran", "Islamic Republic of Iran"]
    assert iran["note"] == "The Islamic Republic of Iran."  # a field left out is kept
    assert bundle["claims"][0]["tags"] == ["arms", "iran", "weapons"]
    panetta = next(s for s in bundle["statements"] if s["key"] == "panetta-asserts")
    assert panetta["certainty"] == "probable" and panetta["quote_kind"] == "direct"
    from sqlalchemy import text

    with engine.connect() as conn:
        first = conn.execute(text("SELECT min(id) FROM history WHERE action = 'import'")).scalar()
        rows = conn.execute(text(
            f"SELECT action, table_name, row_key, after FROM history WHERE id > {first} ORDER BY id"
        )).all()
    # row by row, as undo reverts them: the alias and the tag added, the statement's changed column
    assert [tuple(r[:3]) for r in rows] == [
        ("insert", "entity_names", "Islamic Republic of Iran"),
        ("insert", "claim_tags", "arms"),
        ("update", "statements", "panetta-asserts"),
        ("import", "bundle", str(path)),
    ]
    changed = rows[2][3]
    assert (changed if isinstance(changed, dict) else json.loads(changed)) == {"certainty": "probable"}
    assert invoke("undo").exit_code == 0
    assert invoke("export", "--claim", "iran-arms-militias", "--format", "json").stdout == before


def test_forward_references_in_jsonl(invoke, tmp_path):
    lines = [
        {"type": "entity", "name": "Iranian foreign ministry", "kind": "government", "part_of": "Tehran"},
        {"type": "entity", "name": "Iran", "kind": "government", "aliases": ["Tehran"]},
        {"type": "entity", "name": "AFP", "kind": "media"},
        {"type": "source", "key": "copy", "outlet": "AFP", "republishes": "original"},
        {"type": "source", "key": "original", "outlet": "AFP"},
        {"type": "claim", "key": "a", "text": "A", "links": [{"kind": "contradicts", "claim": "b"}]},
        {"type": "claim", "key": "b", "text": "B"},
        {"type": "statement", "key": "s1", "claim": "a", "speaker": "Tehran", "stance": "denies", "source": "copy",
         "responds_to": "s2"},
        {"type": "statement", "key": "s2", "claim": "a", "speaker_description": "U.S. officials", "stance": "asserts",
         "source": "original"},
    ]
    path = write(tmp_path, "f.jsonl", "".join(json.dumps(line) + "\n" for line in lines))
    assert invoke("import", str(path)).exit_code == 0
    out = invoke("export", "--format", "jsonl").stdout.splitlines()
    assert json.loads(out[2]) == {"type": "entity", "name": "Iranian foreign ministry", "kind": "government",
                                  "part_of": "Iran"}
    assert json.loads(out[3])["republishes"] == "original"
    assert json.loads(out[5])["links"] == [{"kind": "contradicts", "claim": "b"}]
    assert json.loads(out[7])["responds_to"] == "s2"
    again = json.loads(invoke("import", str(path), "--summary-format", "json").stdout)["counts"]
    assert all(c["created"] == 0 and c["updated"] == 0 for c in again.values())


def test_stdin_needs_a_format(invoke):
    result = invoke("import", "-")
    assert result.exit_code == 2
    assert "Reading standard input needs --format yaml|json|jsonl." in result.stderr
    result = invoke("import", "-", "--format", "jsonl", input='{"type":"entity","name":"AFP","kind":"media"}\n')
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "entity  1        0        0"


def test_the_library_takes_records_from_a_converter(db_url):
    """A converter (CSV, ClaimReview) feeds dicts with its own locations."""
    engine = create_engine(db_url)
    records = [
        ("entity", {"name": "PolitiFact", "kind": "media"}, Location("checks.csv", 2, "row 2")),
        ("claim", {"key": "c", "text": "A claim"}, Location("checks.csv", 2, "row 2")),
        ("verdict", {"claim": "c", "reviewer": "Politifact", "rating": "False"}, Location("checks.csv", 2, "row 2")),
        ("verdict", {"claim": "c", "reviewer": "Snopes", "rating": "False"}, Location("checks.csv", 3, "row 3")),
    ]
    with pytest.raises(BundleInvalid) as caught, transaction(engine) as session:
        load_bundle(session, records)
    assert caught.value.problems == [
        'checks.csv:3: row 3.reviewer: no entity named "Snopes" in the bundle or the database'
    ]
    with transaction(engine) as session:
        summary = load_bundle(session, records, skip_invalid=True)
    assert summary.counts["verdict"] == {"created": 1, "updated": 0, "unchanged": 0}
    assert summary.rejected == 1
    with read_session(engine) as session:
        from factdb.transfer import export_bundle

        kind, verdict = list(export_bundle(session))[-1]
    assert kind == "verdict"
    assert verdict["key"].startswith("c/politifact/")  # derived: claim, reviewer, digest
    assert {k: v for k, v in verdict.items() if k != "key"} == {"claim": "c", "reviewer": "PolitiFact", "rating": "False"}
    engine.dispose()


def test_read_bundle_reports_yaml_lines(tmp_path):
    path = write(tmp_path, "b.yaml", "claims:\n- key: k\n  text: t\n")
    [(kind, fields, location)] = list(read_bundle(path))
    assert (kind, fields, location.at("text")) == ("claim", {"key": "k", "text": "t"}, f"{path}:3: claims[0].text")


def test_json_documents_report_the_record_path(invoke, tmp_path):
    path = write(tmp_path, "b.json", '{"claims": [{"key": "k"}], "extra": []}')
    result = invoke("import", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        f"{path}: extra: unknown section 'extra'; expected entities, sources, claims, statements, verdicts",
        f"{path}: claims[0].text: required field is missing",
    ]


def test_a_dry_run_with_problems_is_refused(invoke, counts, tmp_path):
    path = write(tmp_path, "bad.yaml", BAD_YAML)
    before = counts()
    result = invoke("import", str(path), "--dry-run")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith("Error: 9 problems in ")
    assert counts() == before


def test_an_unreadable_file_is_one_line(invoke, tmp_path):
    result = invoke("import", str(tmp_path / "missing.yaml"))
    assert result.exit_code == 1
    assert result.stderr == f"Error: Cannot read {tmp_path / 'missing.yaml'}: No such file or directory\n"


@pytest.mark.parametrize(
    ("record", "field", "limit"),
    [
        ({"claims": [{"key": "k" * 201, "text": "A claim"}]}, "claims[0].key", 200),
        ({"entities": [{"name": "N" * 501, "kind": "person"}]}, "entities[0].name", 500),
        ({"entities": [{"name": "Ok", "kind": "person", "aliases": ["a" * 501]}]}, "entities[0].aliases[0]", 500),
        ({"claims": [{"key": "k", "text": "A claim", "tags": ["t" * 101]}]}, "claims[0].tags[0]", 100),
    ],
)
def test_over_long_stored_values_are_refused_on_every_backend(invoke, counts, tmp_path, record, field, limit) -> None:
    """PostgreSQL refuses an over-long varchar where SQLite keeps it: the importer checks first."""
    path = tmp_path / "long.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    before = counts()
    result = invoke("import", str(path))
    assert result.exit_code == 1
    assert f"{path}: {field}: {limit + 1} characters is longer than the limit of {limit}" in result.output
    assert counts() == before
