"""Bundles: export -> import into an empty database -> export is byte-identical; imports are
idempotent (row counts and the full export unchanged by a second import)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import make_database

from factdb.cli import cli

DATA = Path(__file__).parent / "data"
EVERY_FIELD = DATA / "every_field.yaml"
FORMATS = ["yaml", "json", "jsonl"]


@pytest.fixture
def other_db(db_url: str, tmp_path: Path, sqlite_template: Path):
    """A second empty database on the same backend as ``db_url``."""
    backend = "sqlite" if db_url.startswith("sqlite") else "postgresql"
    (tmp_path / "other").mkdir()
    yield from make_database(backend, tmp_path / "other", sqlite_template)


def load_generator():
    """bench/generate.py, imported by path (bench/ is not a package on sys.path in CI)."""
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "bench" / "generate.py"
    spec = importlib.util.spec_from_file_location("bench_generate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(url: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", url, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def summary(url: str, *args: str) -> dict:
    return json.loads(run(url, "import", *args, "--summary-format", "json"))["counts"]


def test_every_field_survives_the_round_trip_in_every_format(db_url, other_db, tmp_path, counts):
    run(db_url, "import", str(EVERY_FIELD))
    for fmt in FORMATS:
        first = run(db_url, "export", "--format", fmt)
        path = tmp_path / f"all.{fmt}"
        path.write_text(first, encoding="utf-8")
        run(other_db, "import", str(path))
        assert run(other_db, "export", "--format", fmt) == first
    # every field of the hand-made bundle is in the export (nothing silently dropped)
    exported = run(db_url, "export", "--format", "yaml")
    for field in ("published_on: '2011-07-12'", "published_time: '11:06'", "modified_time: '11:08'", "text_state: truncated", "position: body",
                  "kind: statement", "stance: no-comment", "joint_speakers:", "- speaker_description: a Pentagon aide", "utterance: tehran-two-denials", "kind: counters", "kind: supports", "part_of:", "roles:", "of:", "from:", "until:", "republishes:", "authors:", "links:",
                  "responds_to:", "speaker_affiliation:", "speaker_description:", "hedge:", "via:",
                  "retracted:", "reason:", "rating_value:", "best_rating:", "worst_rating:", "reviewed_on:",
                  "statement:", "reviewer_url:", "reviewer_same_as:", "publisher:", "rating_explanation:",
                  "normalized_rating:", "title:", "description:", "review_body:", "language:", "claim_venue:",
                  "claimant_same_as:", "appearances:"):
        assert field in exported, field


def test_a_second_import_changes_nothing(db_url, counts):
    created = summary(db_url, str(EVERY_FIELD))
    assert created["statement"] == {"created": 5, "updated": 0, "unchanged": 0}
    before_counts = counts()
    before_export = run(db_url, "export")
    again = summary(db_url, str(EVERY_FIELD))
    assert all(c["created"] == 0 and c["updated"] == 0 for c in again.values())
    assert again["entity"]["unchanged"] == 11
    after_counts = counts()
    assert after_counts.pop("history") == before_counts.pop("history") + 1  # the import's own entry
    assert after_counts == before_counts
    assert run(db_url, "export") == before_export


def test_export_yaml_reads_well(db_url):
    run(db_url, "import", str(EVERY_FIELD))
    text = run(db_url, "export")
    assert text.startswith("entities:\n- name: AFP\n  kind: media\n  aliases:\n  - Agence France-Presse\n")
    assert "  note: |-\n      Spokesman under two ministers.\n      Second line.\n" in text
    assert "- key: afp-2011-07-11-panetta/655da9c2549a\n" in text  # the derived key is written
    assert "certainty: unspecified" not in text


def test_export_of_one_claim_is_a_bundle_that_stands_alone(db_url, other_db, tmp_path):
    run(db_url, "import", str(EVERY_FIELD))
    text = run(db_url, "export", "--claim", "iran-meddles-in-iraq", "--format", "json")
    bundle = json.loads(text)
    assert [c["key"] for c in bundle["claims"]] == ["iran-meddles-in-iraq"]
    assert [s["key"] for s in bundle["statements"]] == ["mehmanparast-denies"]
    assert [e["name"] for e in bundle["entities"]] == [
        "AFP", "Example Fact Check", "Iran", "Iran's state television website", "Iranian foreign ministry",
        "NBC News", "Ramin Mehmanparast",
    ]
    assert [s["key"] for s in bundle["sources"]] == ["undated"]
    path = tmp_path / "claim.json"
    path.write_text(text, encoding="utf-8")
    run(other_db, "import", str(path))
    assert run(other_db, "export", "--format", "json") == text


def test_export_of_a_claim_takes_the_statements_it_answers(db_url):
    run(db_url, "import", str(EVERY_FIELD))
    bundle = json.loads(run(db_url, "export", "--claim", "iran-arms-militias", "--format", "json"))
    assert [c["key"] for c in bundle["claims"]] == ["iran-arms-militias", "iran-meddles-in-iraq"]
    assert len(bundle["statements"]) == 3
    # the claim's verdicts, the one on Panetta's statement of it too
    assert [v["rating"] for v in bundle["verdicts"]] == ["Mostly true", "Half true"]
    assert [s["key"] for s in bundle["sources"]] == ["afp-2011-07-11-panetta", "copy-of-afp"]


def test_export_of_an_unknown_claim_is_one_line(invoke):
    result = invoke("export", "--claim", "no-such-claim")
    assert result.exit_code == 1
    assert result.stderr == 'Error: No claim named "no-such-claim".\n'


def test_an_empty_database_exports_empty_bundles(invoke):
    assert invoke("export").stdout == "{}\n"
    assert invoke("export", "--format", "json").stdout == "{}\n"
    assert invoke("export", "--format", "jsonl").stdout == ""


def test_generated_bundle_round_trip(db_url, other_db, tmp_path):
    write_jsonl = load_generator().write_jsonl
    path = tmp_path / "generated.jsonl"
    write_jsonl(path, statements=300, seed=7)
    run(db_url, "import", str(path))
    first = run(db_url, "export", "--format", "jsonl")
    exported = tmp_path / "exported.jsonl"
    exported.write_text(first, encoding="utf-8")
    run(other_db, "import", str(exported))
    assert run(other_db, "export", "--format", "jsonl") == first
    again = summary(db_url, str(path))
    assert all(c["created"] == 0 and c["updated"] == 0 for c in again.values())
    assert again["statement"]["unchanged"] == 300


def test_indexes_dropped_for_the_bulk_load_are_back(db_url, engine):
    from sqlalchemy import inspect

    def indexes() -> dict[str, list[str]]:
        inspector = inspect(engine)
        return {t: sorted(i["name"] for i in inspector.get_indexes(t)) for t in ("statements", "statement_via")}

    before = indexes()
    assert "ix_statements_claim_cover" in before["statements"]
    run(db_url, "import", str(EVERY_FIELD))
    assert indexes() == before
