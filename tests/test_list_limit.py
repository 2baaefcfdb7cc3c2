"""``--limit N`` on the listings (claim, entity, source, statement list): the first N rows of
the full listing, in its order, with a line on stderr when rows were left out (both backends)."""

from __future__ import annotations

import json

import pytest

LISTINGS = [
    (("claim", "list"), "claims"),
    (("entity", "list"), "entities"),
    (("source", "list"), "sources"),
    (("statement", "list"), "statements"),
    (("statement", "list", "--claim", "iran-arms-militias"), "statements"),
]


@pytest.mark.parametrize(("command", "what"), LISTINGS, ids=[" ".join(c) for c, _ in LISTINGS])
def test_limit_gives_the_first_rows_and_says_it_cut(seeded_db, invoke, command, what) -> None:
    full = invoke(*command, "--format", "json")
    assert full.exit_code == 0, full.output
    rows = json.loads(full.stdout)
    assert len(rows) > 2  # the seed has enough rows for the cut to show
    cut = invoke(*command, "--limit", "2", "--format", "json")
    assert cut.exit_code == 0, cut.output
    assert json.loads(cut.stdout) == rows[:2]
    assert cut.stderr == f"The first 2 {what}; more match (raise --limit to see them).\n"
    whole = invoke(*command, "--limit", str(len(rows)), "--format", "csv")
    assert whole.stderr == ""  # nothing left out, nothing said
    assert whole.stdout == invoke(*command, "--format", "csv").stdout


def test_limit_must_be_positive(seeded_db, invoke) -> None:
    result = invoke("claim", "list", "--limit", "0")
    assert result.exit_code == 2
    assert result.stderr == "Error: factdb claim list: Invalid value for '--limit': 0 is not in the range x>=1.\n"
