"""Issue 14, smaller ones: `factdb check | head` ends quietly; the problem count of a bundle
is exact above the 1,000 problems listed."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from factdb.cli import cli


def test_a_reader_that_goes_away_ends_the_command_quietly(db_url, tmp_path):
    bundle = tmp_path / "many.jsonl"
    bundle.write_text("".join(
        json.dumps({"type": "claim", "key": f"many-{i}", "text": f"Iran arms militias number {i} in a long claim"}) + "\n"
        for i in range(3000)), encoding="utf-8")
    assert CliRunner().invoke(cli, ["--db", db_url, "import", str(bundle)]).exit_code == 0
    for command in (["check"], ["claim", "list"], ["export", "--format", "jsonl"]):
        stderr, status = _piped_to_head(db_url, command)
        assert (stderr, status in (0, 1)) == ("", True), command  # 1 when the broken pipe was met


def _piped_to_head(url: str, command: list[str]) -> tuple[str, int]:
    """Run the command with its output read by a reader that stops after one line."""
    process = subprocess.Popen([sys.executable, "-m", "factdb", "--db", url, *command],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read().decode()
    return stderr, process.wait(timeout=120)


def test_the_problem_count_is_exact_above_a_thousand(db_url, counts, tmp_path):
    bundle = tmp_path / "bad.jsonl"
    bundle.write_text("".join(
        json.dumps({"type": "claim", "key": f"k{i}", "text": "Iran arms militias", "bogus": 1}) + "\n"
        for i in range(1500)), encoding="utf-8")
    before = counts()
    result = CliRunner().invoke(cli, ["--db", db_url, "import", str(bundle)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[-2:] == [
        "... and 500 more problems",
        f"Error: 1500 problems in {bundle}; nothing was written (fix them, or use --skip-invalid to write the valid "
        "records).",
    ]
    assert len(lines) == 1002
    assert counts() == before
