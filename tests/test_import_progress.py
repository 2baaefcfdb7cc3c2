"""The import progress bar moves as records are read: a 40,000-statement bundle fills it in
many steps, a converted file (its number of records known) is counted in records."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest

import factdb.cli.interchange as interchange

STATEMENTS = 40_000


class FakeBar:
    """What ``click.progressbar`` was asked to show."""

    made: list[FakeBar] = []

    def __init__(self, *, length: int, label: str, file: object) -> None:
        self.length, self.label, self.updates = length, label, []
        FakeBar.made.append(self)

    def update(self, amount: int) -> None:
        self.updates.append(amount)

    def __enter__(self) -> FakeBar:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


@pytest.fixture
def terminal(monkeypatch) -> list[FakeBar]:
    FakeBar.made = []
    monkeypatch.setattr(interchange, "_on_terminal", lambda: True)
    monkeypatch.setattr(click, "progressbar", FakeBar)
    return FakeBar.made


def _bundle(path: Path) -> Path:
    records = [
        {"type": "entity", "name": "Leon Panetta", "kind": "person"},
        {"type": "entity", "name": "AFP", "kind": "media"},
        {"type": "source", "key": "afp", "outlet": "AFP"},
        {"type": "claim", "key": "c", "text": "Iran supplies weapons to Shiite militias in Iraq"},
    ]
    records += [
        {"type": "statement", "key": f"s-{i}", "claim": "c", "speaker": "Leon Panetta", "stance": "asserts",
         "quote": f"quote number {i}", "source": "afp"}
        for i in range(STATEMENTS)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_bar_moves_through_a_40000_statement_import(db_url: str, invoke, tmp_path: Path, terminal) -> None:
    bundle = _bundle(tmp_path / "big.jsonl")
    result = invoke("import", str(bundle))
    assert result.exit_code == 0, result.output
    (bar,) = terminal
    assert (bar.label, bar.length) == ("Importing", bundle.stat().st_size)  # streamed: over the bytes read
    assert len(bar.updates) >= STATEMENTS // 1000  # a step every 500 records read
    assert all(step > 0 for step in bar.updates) and sum(bar.updates) == bar.length


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_converted_file_counts_records(db_url: str, invoke, tmp_path: Path, terminal) -> None:
    rows = "".join(f'"Claim number {i}",Leon Panetta,2011-07-11\n' for i in range(2000))
    sheet = tmp_path / "claims.csv"
    sheet.write_text("statement,who,date\n" + rows, encoding="utf-8")
    result = invoke("import", str(sheet), "--map", "statement=claim,who=speaker,date=said_on", "--outlet", "AFP")
    assert result.exit_code == 0, result.output
    (bar,) = terminal
    assert bar.length == 2 + 1 + 2000 + 2000  # Panetta, AFP; their one source; a claim and a statement per row
    assert len(bar.updates) == 9 and sum(bar.updates) == bar.length  # 500 records a step
