"""The reports end to end through the CLI: exact JSON on both backends, exact table and
Markdown for the dossier, every format of every report, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_data import load_story

EXPECTED = Path(__file__).parent / "report_expected"

# (golden file, command line): the README's JSON examples are these files.
REPORTS = [
    ("claim.json", ["report", "claim", "iran-arms-militias", "--format", "json"]),
    ("entity.json", ["report", "entity", "Tehran", "--format", "json"]),
    ("contested.json", ["report", "contested", "--format", "json"]),
    ("sourcing.json", ["report", "sourcing", "--format", "json"]),
    (
        "timeline.json",
        ["report", "timeline", "--claim", "iran-arms-militias", "--by", "month", "--include-retracted", "--format", "json"],
    ),
]


@pytest.fixture
def story(db_url: str, dataset) -> str:
    dataset(load_story)
    return db_url


@pytest.mark.parametrize(("golden", "args"), REPORTS, ids=[g for g, _ in REPORTS])
def test_exact_json(story: str, invoke, golden: str, args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == json.loads((EXPECTED / golden).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("golden", "fmt"), [("claim.txt", "table"), ("claim.md", "markdown")])
def test_dossier_exact_text(story: str, invoke, golden: str, fmt: str) -> None:
    result = invoke("report", "claim", "iran-arms-militias", "--include-retracted", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.output == (EXPECTED / golden).read_text(encoding="utf-8")


def test_dossier_table_fits_80_columns(story: str, invoke) -> None:
    for args in [c for _, c in REPORTS]:
        result = invoke(*args[:-1], "table")
        assert result.exit_code == 0
        assert max(len(line) for line in result.output.splitlines()) <= 80, args


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown", "html"])
@pytest.mark.parametrize("command", [c for _, c in REPORTS], ids=[g.split(".")[0] for g, _ in REPORTS])
def test_every_format(story: str, invoke, command: list[str], fmt: str) -> None:
    result = invoke(*command[:-1], fmt)
    assert result.exit_code == 0, result.output
    assert result.output.strip()


def test_dossier_csv_is_the_statements(story: str, invoke) -> None:
    result = invoke("report", "claim", "iran-arms-militias", "--format", "csv")
    lines = result.output.splitlines()
    assert lines[0].startswith("claim,key,said_on,said_on_precision,side,stance,speaker,")
    assert [line.split(",")[1] for line in lines[1:]] == [
        "s-gates", "s-panetta", "s-tehran", "s-mehmanparast", "s-ministry-no-comment", "s-us-source",
    ]  # fmt: skip


def test_retracted_statement_shown_only_on_request(story: str, invoke) -> None:
    plain = json.loads(invoke("report", "claim", "iran-arms-militias", "--format", "json").output)
    shown = json.loads(invoke("report", "claim", "iran-arms-militias", "--include-retracted", "--format", "json").output)
    assert "s-commanders" not in [s["key"] for s in plain["statements"]]
    assert [s["key"] for s in shown["statements"] if s["retracted"]] == ["s-commanders"]
    assert plain["summary"] == shown["summary"]  # never counted either way
    assert plain["summary"]["retracted"] == 1


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["report", "claim", "iran-arms"], 1, 'Error: No claim named "iran-arms". Did you mean "iran-arms-militias"?'),
        (["report", "entity", "Tehrn"], 1, 'Error: No entity named "Tehrn". Did you mean "Tehran"?'),
        (["report", "contested", "--since", "2011-13"], 1, 'Error: --since: "2011-13" is not a valid date (month must be in 1..12)'),
        (["report", "contested", "--speaker", "Panneta"], 1, 'Error: No entity named "Panneta". Did you mean "Leon Panetta"?'),
        (["report", "timeline", "--claim", "nope"], 1, 'Error: No claim named "nope".'),
    ],
)
def test_errors_are_one_line(story: str, invoke, counts, args: list[str], code: int, message: str) -> None:
    before = counts()
    result = invoke(*args)
    assert result.exit_code == code
    assert result.output.strip().splitlines()[-1] == message
    assert counts() == before


def test_wrong_call_exits_2(story: str, invoke) -> None:
    assert invoke("report", "contested", "--limit", "0").exit_code == 2
    assert invoke("report", "timeline", "--by", "week").exit_code == 2
    assert invoke("report", "claim", "iran-arms-militias", "--format", "pdf").exit_code == 2


def test_help_has_examples() -> None:
    from click.testing import CliRunner

    from factdb.cli import cli

    for name in ("claim", "entity", "contested", "sourcing", "timeline"):
        result = CliRunner().invoke(cli, ["report", name, "--help"])
        assert result.exit_code == 0
        assert "Example:" in result.output and f"factdb report {name}" in result.output
