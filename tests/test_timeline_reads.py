"""A timeline of many claims (the whole database, a tag) reads its statements a block of
claims at a time; the report is the one a single read gives: the same periods, the same
chronology in the same order, copies folded alike, ``--limit`` cutting only the list."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from test_copies import _generated

from factdb.reports import timeline


def _dated(seed: int) -> list[dict[str, Any]]:
    """:func:`test_copies._generated` (stories, copies, retractions) with dates of every
    precision, some missing, and a tag on half of the claims."""
    rng = random.Random(seed)
    lines = _generated(seed)
    for line in lines:
        if line["type"] == "claim" and rng.random() < 0.5:
            line["tags"] = ["half"]
        if line["type"] == "statement" and rng.random() < 0.8:
            year, month, day = rng.randrange(2008, 2012), rng.randrange(1, 13), rng.randrange(1, 29)
            line["said_on"] = rng.choice([f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}"])
    return lines


def _report(invoke: Callable[..., Result], *options: str) -> dict[str, Any]:
    result = invoke("report", "timeline", *options, "--format", "json")
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.output)
    return report


@pytest.mark.parametrize("options", [(), ("--by", "month", "--include-retracted"), ("--tag", "half", "--by", "day"),
                                     ("--limit", "7"), ("--tag", "half", "--limit", "3", "--include-retracted")])
def test_a_timeline_read_claim_by_claim_is_the_timeline_read_at_once(
    invoke: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: tuple[str, ...]
) -> None:
    bundle = tmp_path / "dated.jsonl"
    bundle.write_text("".join(json.dumps(line) + "\n" for line in _dated(3)))
    assert invoke("import", str(bundle)).exit_code == 0
    at_once = _report(invoke, *options)
    # copies folded across sources of one story, in the blocks as in the whole
    assert any(row["carried_by"] for row in _report(invoke, "--include-retracted")["chronology"])
    assert at_once["chronology"]
    monkeypatch.setattr(timeline, "CLAIMS_PER_READ", 1)  # one read per claim
    assert _report(invoke, *options) == at_once
    monkeypatch.setattr(timeline, "CLAIMS_PER_READ", 3)  # blocks that split the claims unevenly
    assert _report(invoke, *options) == at_once
