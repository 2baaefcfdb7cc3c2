"""Issue 14: dates at the edge and ratings that are not numbers are refused in one line by
every command and the importer, so that everything stored exports and imports again."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from faults_support import load_base

from factdb.cli import cli


def run(url: str, *args: str) -> object:
    return CliRunner().invoke(cli, ["--db", url, *args])


@pytest.fixture
def base_url(db_url: str, dataset) -> str:
    dataset(load_base)
    return db_url


OUTSIDE = "is outside the years 1000 to 9998 factdb keeps"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "contested", "--until", "9999-12"], f'until: "9999-12" {OUTSIDE}'),
        (["report", "contested", "--since", "0001"], f'since: "0001" {OUTSIDE}'),
        (["search", "Iran", "--until", "9999-12"], f'until: "9999-12" {OUTSIDE}'),
        (["search", "Iran", "--since", "0999-12-31"], f'since: "0999-12-31" {OUTSIDE}'),
        (["attribute", "iran-arms-militias", "--speaker", "Iran", "--stance", "denies", "--source", "afp-2011-07-10",
          "--said-on", "9999-12-31"], f'said on: "9999-12-31" {OUTSIDE}'),
        (["source", "add", "--key", "old", "--outlet", "AFP", "--published", "0001-01-01"],
         f'published: "0001-01-01" {OUTSIDE}'),
        (["statement", "edit", "afp-2011-07-10/panetta", "--said-on", "9999"], f'said on: "9999" {OUTSIDE}'),
    ],
)
def test_dates_at_the_edge_are_refused_in_one_line(base_url, counts, args, message):
    before = counts()
    result = run(base_url, *args)
    assert (result.exit_code, result.stderr) == (1, f"Error: {message}\n")
    assert counts() == before


def test_the_last_and_first_years_kept_work_in_reports_and_check(base_url):
    added = run(base_url, "attribute", "iran-arms-militias", "--speaker", "Iran", "--stance", "denies",
                "--source", "afp-2011-07-10", "--said-on", "9998-12-31", "--create")
    assert added.exit_code == 0, added.output
    for args in (["report", "contested", "--until", "9998-12"], ["report", "contested", "--since", "1000"],
                 ["search", "Iran", "--until", "9998"], ["check"]):
        result = run(base_url, *args)
        assert result.exit_code in (0, 1) and "internal error" not in result.output, (args, result.output)
        assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        ({"type": "statement", "key": "s", "claim": "iran-arms-militias", "speaker": "Iran", "stance": "denies",
          "source": "afp-2011-07-10", "retracted": {"at": "9999-12-31T23:59:59-05:00", "reason": "x"}},
         f'statement.retracted.at: "9999-12-31T23:59:59-05:00" {OUTSIDE}'),
        ({"type": "statement", "key": "s", "claim": "iran-arms-militias", "speaker": "Iran", "stance": "denies",
          "source": "afp-2011-07-10", "said_on": "0001-01-01"}, f'statement.said_on: "0001-01-01" {OUTSIDE}'),
        ({"type": "source", "key": "s", "outlet": "AFP", "published_on": "9999-12"},
         f'source.published_on: "9999-12" {OUTSIDE}'),
    ],
)
def test_the_importer_refuses_dates_at_the_edge(base_url, counts, tmp_path, record, problem):
    bundle = tmp_path / "edge.jsonl"
    bundle.write_text(json.dumps(record) + "\n", encoding="utf-8")
    before = counts()
    result = run(base_url, "import", str(bundle))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{bundle}:1: {problem}"
    assert counts() == before


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_ratings_that_are_not_finite_numbers_are_refused(base_url, counts, tmp_path, value):
    bundle = tmp_path / "nan.yaml"
    bundle.write_text(
        "verdicts:\n- claim: iran-arms-militias\n  reviewer: AFP\n  rating: Mostly false\n"
        f"  rating_value: {value}\n",
        encoding="utf-8",
    )
    before = counts()
    result = run(base_url, "import", str(bundle))
    assert result.exit_code == 1
    shown = {".nan": "nan", ".inf": "inf", "-.inf": "-inf"}[value]
    assert result.stderr.splitlines()[0] == (
        f'{bundle}:5: verdicts[0].rating_value: "{shown}" is not a finite number (JSON has no NaN or infinity)'
    )
    assert counts() == before
    text = tmp_path / "nan.jsonl"
    text.write_text('{"type": "verdict", "claim": "iran-arms-militias", "reviewer": "AFP", "rating": "x", '
                    '"rating_value": "Infinity"}\n', encoding="utf-8")
    refused = run(base_url, "import", str(text))
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[0] == (
        f'{text}:1: verdict.rating_value: "Infinity" is not a finite number (JSON has no NaN or infinity)'
    )
