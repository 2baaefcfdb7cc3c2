"""Reading bundles with bounded memory: YAML streamed in any section order, whole documents
capped, a file that never ends (/dev/zero) refused in one line."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

import factdb

ROOT = Path(factdb.__file__).resolve().parent.parent

OUT_OF_ORDER = """\
statements:
- claim: c-1
  speaker: Leon Panetta
  stance: asserts
  source: s-1
  quote: We are concerned.
claims:
- {key: c-1, text: Iran supplies weapons}
sources:
- {key: s-1, outlet: AFP, published_on: 2011-07-10}
entities:
- {name: Leon Panetta, kind: person}
- {name: AFP, kind: media}
"""


def test_yaml_sections_in_any_order_are_read_in_dependency_order(invoke, tmp_path: Path) -> None:
    path = tmp_path / "reversed.yaml"
    path.write_text(OUT_OF_ORDER, encoding="utf-8")
    result = invoke("import", str(path), "--summary-format", "json")
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout)["counts"]
    assert {kind: c["created"] for kind, c in counts.items()} == {
        "entity": 2, "source": 1, "claim": 1, "statement": 1, "verdict": 0}


def test_yaml_from_standard_input_is_streamed_in_file_order(invoke) -> None:
    assert invoke("seed").exit_code == 0
    exported = invoke("export").stdout  # YAML, in dependency order
    result = invoke("import", "-", "--format", "yaml", "--summary-format", "json", input=exported)
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout)["counts"]
    assert sum(c["unchanged"] for c in counts.values()) > 100
    assert sum(c["created"] + c["updated"] for c in counts.values()) == 0


def _limited(args: list[str]) -> subprocess.CompletedProcess:
    """``python -m factdb ARGS`` with its address space capped at 1.5 GB: a MemoryError shows."""
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "factdb", *args], env=env, capture_output=True, text=True,
                          timeout=120, preexec_fn=cap)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # reading, not writing: one backend is enough
@pytest.mark.parametrize(("name", "extra", "expected"), [
    ("endless.jsonl", [], "endless.jsonl:1: a line longer than 16 MB; not a JSON Lines bundle (one record per line)"),
    ("endless.yaml", [], "endless.yaml: not valid YAML (control characters are not allowed at byte 0)"),
    ("endless.json", ["--format", "json"], "endless.json: a JSON document is read whole and this one is larger than 64 MB"),
    ("endless.jsonld", [], "endless.jsonld: larger than 64 MB, and this file is read whole"),
    ("endless.csv", ["--map", "1=claim"], "endless.csv: larger than 64 MB, and this file is read whole"),
])
def test_a_file_that_never_ends_stops_with_one_line(db_url: str, tmp_path: Path, counts, name: str,
                                                    extra: list[str], expected: str) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    endless = tmp_path / name
    endless.symlink_to("/dev/zero")
    before = counts()
    done = _limited(["--db", db_url, "import", str(endless), *extra])
    assert done.returncode == 1
    assert "MemoryError" not in done.stderr and "Traceback" not in done.stderr
    assert expected in done.stderr.splitlines()[0], done.stderr
    assert len(done.stderr.splitlines()) <= 2  # the problem (and, for a bundle, its count)
    assert counts() == before
