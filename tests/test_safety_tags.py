"""Issue 14: one case rule for tags everywhere (lower case): written by the CLI or the
importer, filtered by every --tag, removed by --untag; revision 0030 lower-cases stored tags."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy
from click.testing import CliRunner

from factdb.cli import cli
from factdb.db import create_engine
from factdb.migrate import migrate


def run(url: str, *args: str) -> object:
    return CliRunner().invoke(cli, ["--db", url, *args])


def test_a_tag_imported_in_capitals_is_found_and_removed_in_any_case(db_url, tmp_path):
    bundle = tmp_path / "tags.jsonl"
    bundle.write_text('{"type": "claim", "key": "k1", "text": "Iran arms militias", "tags": ["IRAN", "Iran", "Iraq"]}\n',
                      encoding="utf-8")
    assert run(db_url, "import", str(bundle)).exit_code == 0
    again = run(db_url, "import", str(bundle), "--summary-format", "json")
    assert json.loads(again.stdout)["counts"]["claim"] == {"created": 0, "updated": 0, "unchanged": 1}
    for tag in ("IRAN", "iran", "Iran"):
        listed = json.loads(run(db_url, "claim", "list", "--tag", tag, "--format", "json").stdout)
        assert [(c["key"], c["tags"]) for c in listed] == [("k1", ["iran", "iraq"])], tag
        contested = json.loads(run(db_url, "report", "contested", "--tag", tag, "--format", "json").stdout)
        assert contested["filters"]["tag"] == tag
    edited = run(db_url, "claim", "edit", "k1", "--untag", "IRAN", "--tag", "SYRIA")
    assert edited.exit_code == 0, edited.output
    shown = json.loads(run(db_url, "claim", "show", "k1", "--format", "json").stdout)
    assert shown["tags"] == ["iraq", "syria"]


def test_revision_0030_lower_cases_stored_tags(db_url):
    engine = create_engine(db_url)
    try:
        migrate(engine, "0014")
        with engine.begin() as conn:
            conn.execute(sqlalchemy.text("INSERT INTO claims (id, key, text, created_at, updated_at) VALUES (1, 'k1', 'Iran arms militias', :now, :now)"),
                         {"now": dt.datetime(2026, 12, 2, tzinfo=dt.UTC)})
            for tag in ("IRAN", "Iran", "iraq", "ÉTÉ"):
                conn.execute(sqlalchemy.text("INSERT INTO claim_tags (claim_id, tag) VALUES (1, :t)"), {"t": tag})
        migrate(engine, "head")
        with engine.connect() as conn:
            tags = conn.execute(sqlalchemy.text("SELECT tag FROM claim_tags ORDER BY tag")).scalars().all()
    finally:
        engine.dispose()
    assert tags == ["iran", "iraq", "été"]
