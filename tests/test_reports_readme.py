"""The README's report examples are the checked outputs in tests/report_expected."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = Path(__file__).parent / "report_expected"


@pytest.mark.parametrize("name", ["claim", "entity", "contested", "sourcing", "timeline"])
def test_readme_json_example_is_current(name: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    examples = [json.loads(block) for block in re.findall(r"```json\n(.*?)\n```", readme, re.S)]
    assert json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8")) in examples


def test_readme_table_example_is_current() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert (EXPECTED / "claim.txt").read_text(encoding="utf-8").rstrip("\n") in readme
