"""Every ``factdb`` example in the README's ```sh blocks runs, in order, on one database, as
a reader following the README would (the daily-use examples build seed 000, ``factdb seed``
loads the rest): a README command that no longer works fails here.

An example succeeds (exit 0) unless its comment starts with "refused" or "exits 1"; then it
must fail with exit 1 and one line on stderr. The few that cannot run here are listed in SKIPPED with the reason.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from factdb.cli import cli

README = Path(__file__).resolve().parent.parent / "README.md"

# files the examples read that no earlier example writes: each a file of the reader's own
NEEDS_A_FILE = {
    "statements.jsonl", "big.jsonl", "../shared/data/liar/valid.tsv", "train2.tsv", "review.jsonld", "feed.json",
    "search-response.json", "claimskg_result.csv", "page.html", "saved-page", "page.json", "claims.csv",
    "claims.txt", "quotes.csv", "denials.csv", "old.csv", "article.txt", "edited.txt",
}
SKIPPED = {
    "factdb --as \"desk editor\" ...": "a placeholder for any command",
    "factdb export --format jsonl | factdb --db copy.sqlite3 import - --format jsonl": "a shell pipe",
    "factdb export > all.yaml": "a shell redirection",
    "factdb report claim iran-arms-militias --include-retracted --format html > dossier.html": "a shell redirection",
}


def examples() -> list[str]:
    """The README's commands, in order: continuation lines joined, comments dropped."""
    text = README.read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)\n```", text, re.S):
        joined = re.sub(r"\\\n\s*", " ", block)
        for line in joined.splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                commands.append(line.strip())
    return commands


def _words(command: str) -> tuple[list[str], str]:
    """(argv after ``factdb``, the trailing comment)."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=False)
    lexer.whitespace_split = True
    lexer.commenters = "#"
    words = list(lexer)
    comment = command.split("  #", 1)[1] if "  #" in command else ""
    return words[1:], comment


def _why_skipped(command: str, words: list[str]) -> str | None:
    if not command.startswith("factdb "):
        return "not a factdb command (a venv, psql or a benchmark)"
    for prefix, reason in SKIPPED.items():
        if command.startswith(prefix):
            return reason
    if any(word in NEEDS_A_FILE for word in words):
        return "reads a file of the reader's own"
    if any(word.startswith("postgresql://") for word in words):
        return "needs a PostgreSQL server"
    return None


def test_every_readme_example_runs(tmp_path: Path, monkeypatch, sqlite_template: Path) -> None:
    monkeypatch.chdir(tmp_path)
    database = tmp_path / "factdb.sqlite3"
    database.write_bytes(sqlite_template.read_bytes())
    runner = CliRunner()

    def run(words: list[str]):
        return runner.invoke(cli, ["--db", str(database), *words], catch_exceptions=False)

    failures, ran, skipped = [], 0, []
    for command in examples():
        words, comment = _words(command)
        why = _why_skipped(command, words)
        if why is not None:
            skipped.append((command, why))
            continue
        if words[:2] == ["--db", "other.sqlite3"]:
            assert run(["--db", "other.sqlite3", "init"]).exit_code in (0, 1)  # the README inits it elsewhere
        result = runner.invoke(cli, words if words[:1] == ["--db"] else ["--db", str(database), *words])
        ran += 1
        refused = comment.strip().startswith(("refused", "exits 1"))
        ok = result.exit_code == 0 if not refused else (result.exit_code == 1 and len(result.stderr.splitlines()) == 1)
        if not ok:
            failures.append((command, result.exit_code, result.stderr.strip()[:300]))
    assert failures == [], "\n".join(map(str, failures))
    assert ran >= 70, (ran, skipped)
    assert len(skipped) <= 60, skipped


@pytest.mark.parametrize("command", [c for c in examples() if c.startswith("factdb ")][:1])
def test_the_examples_are_found(command: str) -> None:
    assert command.startswith("factdb ")
