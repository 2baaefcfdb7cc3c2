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
    result = invoke("report", "claim", "iran-arms-militias", "--include-retracted", "--format", fmt, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert result.output == (EXPECTED / golden).read_text(encoding="utf-8")


def test_tables_fit_columns_without_breaking_words(story: str, invoke) -> None:
    for args in [c for _, c in REPORTS]:
        whole = invoke(*args[:-1], "table", env={"COLUMNS": None}).output  # piped: not wrapped
        words = {w for line in whole.splitlines() for w in line.split()}
        assert "https://example.org/politifact/iran-arms" in words or "politifact" not in whole
        fitted = invoke(*args[:-1], "table", env={"COLUMNS": "80"}).output
        assert max(len(line) for line in fitted.splitlines()) <= 80, args
        for columns in ("80", "50"):
            wrapped = invoke(*args[:-1], "table", env={"COLUMNS": columns}).output
            # every word of the wrapped text is a whole word of the unwrapped text: no name,
            # key or URL broken across lines
            wrapped_words = {w for line in wrapped.splitlines() for w in line.split() if w.strip("-=")}
            assert wrapped_words <= words, (args, columns)


def test_piped_output_is_not_wrapped(story: str, invoke) -> None:
    result = invoke("report", "claim", "iran-arms-militias", env={"COLUMNS": None})
    lines = result.output.splitlines()
    assert '    "We\'re very concerned about Iran and the weapons they\'re providing to extremists in Iraq"' in lines
    assert max(len(line) for line in lines) > 80
    assert "\x1b[" not in result.output  # never coloured when piped


def test_colour_and_pager_only_at_a_terminal(story: str, invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    import click

    from factdb.cli import report as report_cli

    paged: list[str] = []
    monkeypatch.setattr(report_cli, "_terminal", lambda: True)
    monkeypatch.setattr(click, "echo_via_pager", lambda text, color=None: paged.append(text))
    result = invoke("report", "claim", "iran-arms-militias", env={"COLUMNS": "80", "NO_COLOR": None})
    assert result.output == "" and len(paged) == 1  # longer than a screen: paged
    assert "\x1b[32m\x1b[1m[+]\x1b[0m" in paged[0] and "\x1b[31m\x1b[1m[-]\x1b[0m" in paged[0]
    plain = invoke("report", "claim", "iran-arms-militias", "--no-pager", env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert len(paged) == 1 and "[+] 2011-06 (month)  Robert Gates" in plain.output
    assert "\x1b[" not in plain.output
    assert "\x1b[" not in invoke("report", "claim", "iran-arms-militias", "--format", "json").output


def test_pager_shows_colours_with_less_and_strips_them_elsewhere(
    story: str, invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # the real click pager, with a stand-in "less" and "more" that record what they were given:
    # less gets LESS=-R (it showed every escape as "ESC[32m" when click was told colour=True)
    from click import _termui_impl

    from factdb.cli import report as report_cli

    monkeypatch.setattr(report_cli, "_terminal", lambda: True)
    monkeypatch.setattr(_termui_impl, "isatty", lambda stream: True)
    seen = {}
    for name in ("less", "more"):
        pager = tmp_path / name / name
        pager.parent.mkdir()
        pager.write_text(f'#!/bin/sh\n{{ echo "LESS=$LESS"; cat; }} > {tmp_path / name}.out\n')
        pager.chmod(0o755)
        result = invoke("report", "claim", "iran-arms-militias", env={"COLUMNS": "80", "NO_COLOR": None,
                                                                      "LESS": None, "PAGER": str(pager)})
        assert result.exit_code == 0, result.output
        seen[name] = (tmp_path / f"{name}.out").read_text(encoding="utf-8")
    assert seen["less"].startswith("LESS=-R\n") and "\x1b[32m\x1b[1m[+]\x1b[0m" in seen["less"]
    assert seen["more"].startswith("LESS=\n") and "\x1b[" not in seen["more"]
    assert "[+] 2011-06 (month)  Robert Gates" in seen["more"]


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
        (["report", "contested", "--since", "2011-13"], 1, 'Error: since: "2011-13" is not a valid date (month must be in 1..12)'),
        (["report", "contested", "--speaker", "Panneta"], 1, 'Error: No entity named "Panneta". Did you mean "Leon Panetta"?'),
        (["report", "timeline", "--claim", "nope"], 1, 'Error: No claim named "nope".'),
        (["report", "contested", "--rated", " "], 1, 'Error: --rated: give a rating, e.g. false or "mostly true"'),
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
    assert invoke("report", "sourcing", "--flag", "nope").exit_code == 2
    for report_args in (["claim", "iran-arms-militias"], ["entity", "Iran"], ["sourcing"], ["timeline"]):
        assert invoke("report", *report_args, "--limit", "0").exit_code == 2


def test_help_has_examples() -> None:
    from click.testing import CliRunner

    from factdb.cli import cli

    for name in ("claim", "entity", "contested", "sourcing", "timeline"):
        result = CliRunner().invoke(cli, ["report", name, "--help"])
        assert result.exit_code == 0
        assert "Example:" in result.output and f"factdb report {name}" in result.output
